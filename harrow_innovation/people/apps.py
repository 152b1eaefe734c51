from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "harrow_innovation.people"
    label = "people"
    verbose_name = "People and departments"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # Like Django's own permission creation, role groups follow migrations,
        # so every environment (not only the demo) has them.
        post_migrate.connect(_sync_roles, dispatch_uid="people.sync_roles")

        from django.contrib.auth.signals import user_logged_in

        from .session_expiry import start_session_clocks

        # Every way in (password, single sign-on, a test's force_login) goes through login():
        # starting the clocks there spares the first page after sign-in a session write.
        user_logged_in.connect(start_session_clocks, dispatch_uid="people.session_clocks")

        # Notifications knows no other app, so the owner of roles and of the request's user wires it in.
        from notifications.selectors import UNREAD_COLUMN

        from .backends import REQUEST_USER_COLUMNS
        from .roles import ROLE_PERMISSIONS, Role

        REQUEST_USER_COLUMNS["request_unread_notifications"] = UNREAD_COLUMN
        ROLE_PERMISSIONS[Role.ADMIN] |= {
            "notifications.view_notification",
            "notifications.change_notification",
            "notifications.view_digest",
            "notifications.view_deliverykey",
            *(f"django_celery_beat.{verb}_{model}" for verb in ("view", "add", "change")
              for model in ("periodictask", "crontabschedule", "intervalschedule")),
        }


def _sync_roles(sender, **kwargs) -> None:
    from .roles import sync_role_groups

    apps = kwargs.get("apps")
    try:
        if apps is not None:
            apps.get_model("people", "RoleGroup")
    except LookupError:
        return  # migrated back to before role codes: nothing to link the groups with

    sync_role_groups(using=kwargs.get("using", "default"))
