from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "board"
    verbose_name = "Innovation Board"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from harrow_innovation.core import demo, navigation
        from harrow_innovation.people.roles import ROLE_PERMISSIONS, Role

        from . import meeting_tasks  # noqa: F401 - registers board.return_parked_ideas with Celery
        from .permissions import can_read_board_papers

        navigation.register(navigation.NavEntry("board:meetings", "Board", visible=can_read_board_papers, order=40))
        from harrow_innovation.core import waiting

        from .selectors import actions_waiting_for

        waiting.register(waiting.WaitingSection("board_actions", "board/_waiting_actions.html", actions_waiting_for,
                                                order=60))
        manage = {f"board.{verb}_{model}" for verb in ("add", "change", "view") for model in ("board", "membership")}
        read = {f"board.view_{model}" for model in ("meeting", "agendaitem", "decision", "action", "minutes", "meetinglog")}
        ROLE_PERMISSIONS[Role.ADMIN] |= manage | read | {"board.delete_membership"}
        post_migrate.connect(_schedule_parked_return, sender=self, dispatch_uid="board.schedule_parked_return")

        from .demo import seed_demo_board

        demo.register("Innovation Board", seed_demo_board)


def _schedule_parked_return(sender, using: str = "default", **kwargs) -> None:
    """A daily beat job brings parked ideas back to the Board's list on their date (admins may change its time)."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    if PeriodicTask.objects.using(using).filter(task="board.return_parked_ideas").exists():
        return
    schedule, _ = CrontabSchedule.objects.using(using).get_or_create(
        minute="30", hour="5", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/London"
    )
    PeriodicTask.objects.using(using).create(
        name="Return parked ideas to the Board's list", task="board.return_parked_ideas", crontab=schedule,
        description="Parked ideas whose date has come go back to the secretary's 'ready for the Board' list.",
    )
