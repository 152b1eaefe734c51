from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    label = "notifications"
    verbose_name = "Notifications and reminders"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from harrow_innovation.core.navigation import NavEntry, register
        from harrow_innovation.people.backends import REQUEST_USER_COLUMNS
        from harrow_innovation.people.roles import ROLE_PERMISSIONS, Role

        from . import checks  # noqa: F401 - registers the start-up checks
        from .selectors import UNREAD_COLUMN, unread_count

        register(NavEntry("notifications:list", "Notifications", badge=unread_count, order=90))
        REQUEST_USER_COLUMNS["request_unread_notifications"] = UNREAD_COLUMN
        post_migrate.connect(_default_schedules, sender=self, dispatch_uid="notifications.default_schedules")
        ROLE_PERMISSIONS[Role.ADMIN] |= {
            "notifications.view_notification",
            "notifications.change_notification",
            "notifications.view_digest",
            "notifications.view_deliverykey",
            *(f"django_celery_beat.{verb}_{model}" for verb in ("view", "add", "change")
              for model in ("periodictask", "crontabschedule", "intervalschedule")),
        }


def _default_schedules(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from .schedules import ensure_default_schedules

    # A partial migrate (one app to a target) sends post_migrate before these tables exist.
    tables = set(connections[using].introspection.table_names())
    if not {"notifications_scheduleseed", "django_celery_beat_periodictask"} <= tables:
        return
    ensure_default_schedules(using=using)
