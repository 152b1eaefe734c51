"""API tokens stored as SHA-256 digests, replacing Django REST framework's plain-text tokens.

Tokens made with rest_framework.authtoken keep working: each key is copied in as
its digest (expiring API_TOKEN_LIFETIME_DAYS from now) and the plain key is then
deleted. The authtoken table itself is left empty, not dropped, as that app is
no longer installed.
"""

import datetime
import hashlib
from datetime import timedelta

import django.db.models.deletion
import django.utils.dateparse
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def copy_plain_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        rows = cursor.fetchall()
    ApiToken = apps.get_model("portfolio", "ApiToken")
    expires = django.utils.timezone.now() + timedelta(days=getattr(settings, "API_TOKEN_LIFETIME_DAYS", 365))
    def aware(created):
        # SQLite hands back naive text-parsed datetimes (in UTC); PostgreSQL aware ones.
        if isinstance(created, str):
            created = django.utils.dateparse.parse_datetime(created)
        if created is not None and django.utils.timezone.is_naive(created):
            created = django.utils.timezone.make_aware(created, datetime.timezone.utc)
        return min(created or expires, expires - timedelta(days=1))

    ApiToken.objects.bulk_create([
        ApiToken(user_id=user_id, name="Token made before tokens expired", digest=hashlib.sha256(key.encode()).hexdigest(),
                 hint=key[:8], created_at=aware(created), expires_at=expires)
        for key, user_id, created in rows
    ])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='What the token is for, e.g. the report that uses it.', max_length=100)),
                ('digest', models.CharField(max_length=64, unique=True)),
                ('hint', models.CharField(help_text="The secret's first characters, to tell tokens apart.", max_length=12)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('expires_at', models.DateTimeField()),
                ('last_used_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('revoked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['user', '-created_at'], name='apitoken_user_created')],
                'constraints': [models.CheckConstraint(condition=models.Q(('expires_at__gt', models.F('created_at'))), name='apitoken_expires_after_made')],
            },
        ),
        migrations.RunPython(copy_plain_tokens, migrations.RunPython.noop),
    ]
