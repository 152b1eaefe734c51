# Agenda packs: remember what each version was built from, so a changed paper makes a new version.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("board", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="packversion",
            name="content_hashes",
            field=models.JSONField(
                blank=True, default=dict, help_text="Hash of each paper and of the agenda this version was built from."
            ),
        ),
    ]
