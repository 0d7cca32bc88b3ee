"""Every write to evaluation, one module for each part: session feedback, the builder,
wellbeing measures, responses, the plan, reminders and action points.

Callers use `services.<name>`; each name lives in the module of its part.
"""

from workshops.evaluation.defaults import (
    DEFAULT_FEEDBACK_RATINGS,
    DEFAULT_FEEDBACK_TEXT,
    RATING_FACES,
    RATING_WORDS,
)
from workshops.evaluation.services.action_points import action_point_create, action_point_update
from workshops.evaluation.services.builder import (
    BUILDER_KINDS,
    form_close,
    form_create,
    form_settings_update,
    question_add,
    question_move,
    question_remove,
    question_update,
)
from workshops.evaluation.services.feedback import (
    FEEDBACK_OPEN_FOR,
    feedback_form_for,
    feedback_template_for,
)
from workshops.evaluation.services.measures import instrument_form_create, licence_record
from workshops.evaluation.services.plan import (
    follow_up_set,
    indicator_create,
    indicator_delete,
    indicator_move,
    indicator_update,
    outcome_add,
    outcome_create,
    outcome_delete,
    outcome_move,
    outcome_update,
)
from workshops.evaluation.services.reminders import Reminded, follow_up_remind
from workshops.evaluation.services.responses import response_submit, response_submit_supported

__all__ = [
    "BUILDER_KINDS",
    "DEFAULT_FEEDBACK_RATINGS",
    "DEFAULT_FEEDBACK_TEXT",
    "FEEDBACK_OPEN_FOR",
    "RATING_FACES",
    "RATING_WORDS",
    "Reminded",
    "action_point_create",
    "action_point_update",
    "feedback_form_for",
    "feedback_template_for",
    "follow_up_remind",
    "follow_up_set",
    "form_close",
    "form_create",
    "form_settings_update",
    "indicator_create",
    "indicator_delete",
    "indicator_move",
    "indicator_update",
    "instrument_form_create",
    "licence_record",
    "outcome_add",
    "outcome_create",
    "outcome_delete",
    "outcome_move",
    "outcome_update",
    "question_add",
    "question_move",
    "question_remove",
    "question_update",
    "response_submit",
    "response_submit_supported",
]
