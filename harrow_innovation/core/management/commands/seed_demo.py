from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from harrow_innovation.core.demo import seed_demo
from harrow_innovation.people.demo import DEMO_PASSWORD, DEMO_USERS

RISK_FLAG = "--i-know-this-creates-published-passwords"


class Command(BaseCommand):
    help = "Fill the database with Harrow's departments, demo users and demo ideas. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            RISK_FLAG, dest="accept_published_passwords", action="store_true",
            help="Run under production settings anyway. The demo accounts (one an Admin) share a published password.",
        )

    def handle(self, *args, **options):
        # The demo accounts' password is in the README: on a live service they are open doors.
        if settings.IS_PRODUCTION and not options["accept_published_passwords"]:
            raise CommandError(
                "seed_demo refuses to run under production settings: it creates demo accounts, one of them an "
                f"Admin, whose password ({DEMO_PASSWORD}) is published. If this really is a demo server, "
                f"run it again with {RISK_FLAG}."
            )
        seed_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Sign in with any of these (password {DEMO_PASSWORD}):"))
        for email, name, _title, _dept, roles, _staff, _su in DEMO_USERS:
            self.stdout.write(f"  {email:<28} {name} ({', '.join(r.label for r in roles)})")
