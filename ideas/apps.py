from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Ideas"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from harrow_innovation.core import demo
        from harrow_innovation.people.backends import REQUEST_USER_COLUMNS
        from harrow_innovation.people.roles import ROLE_PERMISSIONS, Role

        from .permissions import HAS_REVIEWS_COLUMN

        post_migrate.connect(_seed_defaults, sender=self, dispatch_uid="ideas.seed_defaults")
        manage = {f"ideas.{verb}_{model}" for verb in ("add", "change", "view")
                  for model in ("workflow", "stage", "transition", "criterion", "centralsystem")}
        ROLE_PERMISSIONS[Role.ADMIN] |= manage | {"ideas.view_idea", "ideas.change_idea"}
        ROLE_PERMISSIONS[Role.ADMIN] |= {"ideas.delete_stage", "ideas.delete_transition"}
        from .demo import seed_demo_ideas
        from .demo_capacity import seed_demo_capacity
        from .navigation import register_entries
        from .notices import register as register_notices

        register_entries()
        register_notices()
        REQUEST_USER_COLUMNS["request_has_reviews"] = HAS_REVIEWS_COLUMN

        demo.register("Ideas", seed_demo_ideas)
        demo.register("Staff capacity", seed_demo_capacity)
        demo.register("Overlaps between ideas", _seed_overlaps)


def _seed_overlaps() -> None:
    """The demo ideas' kept overlaps (for the triage view and exports), as the tasks would work them out."""
    from .overlaps_kept import refresh_stale

    refresh_stale(limit=5000)


def _seed_defaults(sender, **kwargs) -> None:
    from .workflow_seed import seed_defaults

    seed_defaults()
