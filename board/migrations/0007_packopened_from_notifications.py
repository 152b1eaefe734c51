import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """PackOpened moves here from the notifications app: state only, the table notifications_packopened stays."""

    dependencies = [
        ('board', '0006_one_line_names'),
        ('notifications', '0006_packopened_moves_to_board'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PackOpened',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('meeting_id', models.PositiveBigIntegerField()),
                        ('first_opened_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'notifications_packopened',
                        'constraints': [models.UniqueConstraint(fields=('user', 'meeting_id'), name='pack_opened_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
