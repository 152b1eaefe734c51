"""Store every email address in one normal form (trimmed, lower case), then make the database insist on it.

Sign-in throttling counts attempts per stored address, so two spellings of one
account would be two counters. If two accounts would end up with the same
address, the migration stops and names them rather than guess which to keep:
an administrator merges or renames one, then runs ``migrate`` again.
"""

import django.db.models.functions.text
from django.db import migrations, models


class EmailCollision(Exception):
    pass


def normalise_stored_emails(apps, schema_editor):
    User = apps.get_model("people", "User")
    db = schema_editor.connection.alias
    by_address: dict[str, list] = {}
    for pk, email in User.objects.using(db).order_by("pk").values_list("pk", "email"):
        by_address.setdefault((email or "").strip().lower(), []).append((pk, email))
    clashes = {address: rows for address, rows in by_address.items() if len(rows) > 1}
    if clashes:
        lines = "; ".join(
            f"{address!r} is held by " + ", ".join(f"user {pk} ({email!r})" for pk, email in rows)
            for address, rows in sorted(clashes.items())
        )
        raise EmailCollision(
            "Cannot store email addresses in one form: some accounts differ only by case or spaces. "
            f"Merge or rename them in Django admin, then run migrate again. {lines}"
        )
    for address, [(pk, email)] in by_address.items():
        if email != address:
            User.objects.using(db).filter(pk=pk).update(email=address)


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(normalise_stored_emails, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("email", django.db.models.functions.text.Lower(django.db.models.functions.text.Trim("email")))
                ),
                name="people_user_email_normal_form",
                violation_error_message="Enter the email address in lower case without spaces.",
            ),
        ),
    ]
