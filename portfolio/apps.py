from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portfolio"

    def ready(self) -> None:
        from harrow_innovation.core import demo
        from harrow_innovation.core.navigation import NavEntry, register
        from harrow_innovation.people.roles import ROLE_PERMISSIONS, Role

        from .demo import seed_demo_delivery
        from .permissions import can_view_portfolio, data_register_only

        register(NavEntry("portfolio:overview", "Portfolio", visible=can_view_portfolio, order=50))
        # Staff who do not read the portfolio still reach the data register (portfolio readers find it there).
        register(NavEntry("portfolio:data_outputs", "Data", visible=data_register_only, order=51))
        from harrow_innovation.core import waiting

        from .selectors import delivery_updates_due_from

        waiting.register(waiting.WaitingSection("delivery_updates", "portfolio/includes/waiting_updates.html",
                                                delivery_updates_due_from, order=70))
        # Admins can change when an API token expires and correct delivery records.
        tokens = {"portfolio.view_apitoken", "portfolio.change_apitoken"}
        records = {f"portfolio.{verb}_{model}" for verb in ("view", "change") for model in ("deliveryupdate", "benefitrecord")}
        ROLE_PERMISSIONS[Role.ADMIN] |= tokens | records
        demo.register("Portfolio", seed_demo_delivery)
        from notifications import schedules

        from .tasks import JOBS

        schedules.declare(*JOBS)
        # The idea page, review page and Board papers read shared-system load from the kept totals.
        from ideas import system_load

        from .totals import load_reader

        system_load.use_kept_reader(load_reader)
