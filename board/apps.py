from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "board"
    verbose_name = "Innovation Board"

    def ready(self) -> None:
        from harrow_innovation.core import demo, navigation
        from harrow_innovation.people.roles import ROLE_PERMISSIONS, Role

        from . import meeting_tasks, notice_tasks  # noqa: F401 - register their tasks with Celery
        from .notices import register as register_notices
        from .permissions import can_read_board_papers

        register_notices()
        navigation.register(navigation.NavEntry("board:meetings", "Board", visible=can_read_board_papers, order=40))
        from harrow_innovation.core import waiting

        from .selectors import actions_waiting_for

        waiting.register(waiting.WaitingSection("board_actions", "board/_waiting_actions.html", actions_waiting_for,
                                                order=60))
        manage = {f"board.{verb}_{model}" for verb in ("add", "change", "view") for model in ("board", "membership")}
        read = {f"board.view_{model}" for model in ("meeting", "agendaitem", "decision", "action", "minutes", "meetinglog")}
        ROLE_PERMISSIONS[Role.ADMIN] |= manage | read | {"board.delete_membership"}

        from .demo import seed_demo_board

        demo.register("Innovation Board", seed_demo_board)

