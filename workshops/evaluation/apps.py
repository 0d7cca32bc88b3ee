from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "workshops.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"

    def ready(self) -> None:
        """Show the feedback form in the room when it moves to a feedback activity."""
        # Models and templates are ready only now; a higher app plugs itself into the room.
        from workshops.evaluation import render
        from workshops.room import render as room_render

        room_render.register_activity_body("feedback", render.render_activity_body)
