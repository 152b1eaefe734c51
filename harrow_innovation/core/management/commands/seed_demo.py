from django.core.management.base import BaseCommand

from harrow_innovation.core.demo import seed_demo
from harrow_innovation.people.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Fill the database with Harrow's departments, demo users and demo ideas. Safe to run again."

    def handle(self, *args, **options):
        seed_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Sign in with any of these (password {DEMO_PASSWORD}):"))
        for email, name, _title, _dept, roles, _staff, _su in DEMO_USERS:
            self.stdout.write(f"  {email:<28} {name} ({', '.join(r.label for r in roles)})")
