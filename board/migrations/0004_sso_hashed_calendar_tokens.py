"""Calendar feed addresses: keep only the SHA-256 of each secret.

Existing addresses keep working: each stored secret is replaced by its digest,
which is what the feed now looks up.
"""

import hashlib

from django.db import migrations


def hash_secrets(apps, schema_editor):
    CalendarFeedToken = apps.get_model("board", "CalendarFeedToken")
    for row in CalendarFeedToken.objects.only("pk", "digest").iterator():
        CalendarFeedToken.objects.filter(pk=row.pk).update(digest=hashlib.sha256(row.digest.encode()).hexdigest())


def forget_addresses(apps, schema_editor):
    # A digest cannot be turned back into the secret: going back, everyone makes a new address.
    apps.get_model("board", "CalendarFeedToken").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("board", "0003_meeting_log_calendar_feed_token"),
    ]

    operations = [
        migrations.RenameField(model_name="calendarfeedtoken", old_name="token", new_name="digest"),
        migrations.RunPython(hash_secrets, forget_addresses),
    ]
