from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "harrow_innovation.core"
    label = "core"
    verbose_name = "Service"

    def ready(self) -> None:
        from harrow_innovation.people.roles import ROLE_PERMISSIONS, Role

        # Admins see the task outbox and retry failed tasks (the rows themselves are never edited by hand).
        ROLE_PERMISSIONS[Role.ADMIN] |= {"core.view_outboxtask", "core.change_outboxtask"}
