from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Delivers (email, in-app, digest), deduplicates and schedules; knows no other app.

    Apps declare their notice kinds, events and periodic jobs to ``kinds``,
    ``events`` and ``schedules`` from their own ``notices.py``. The people app
    grants the Admin role this app's permissions and reads the unread badge with
    the signed-in user (``harrow_innovation.people.apps``).
    """

    name = "notifications"
    label = "notifications"
    verbose_name = "Notifications and reminders"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from harrow_innovation.core.navigation import NavEntry, register

        from . import checks  # noqa: F401 - registers the start-up checks
        from .selectors import unread_count

        register(NavEntry("notifications:list", "Notifications", badge=unread_count, order=90))
        post_migrate.connect(_default_schedules, sender=self, dispatch_uid="notifications.default_schedules")


def _default_schedules(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from .schedules import ensure_default_schedules

    # A partial migrate (one app to a target) sends post_migrate before these tables exist.
    tables = set(connections[using].introspection.table_names())
    if not {"notifications_scheduleseed", "django_celery_beat_periodictask"} <= tables:
        return
    ensure_default_schedules(using=using)
