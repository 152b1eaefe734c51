from django.db import migrations


class Migration(migrations.Migration):
    """PackOpened belongs to the board now (board 0007): the model leaves this app's state; its table stays."""

    dependencies = [
        ('notifications', '0005_kind_choices_declared_by_the_apps'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='PackOpened')],
            database_operations=[],
        ),
    ]
