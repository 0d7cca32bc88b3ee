"""Reads for evaluation, one module for each part: charts, form results, wellbeing change,
indicator evidence, the reports, the plan, the forms and action points.

Callers use `selectors.<name>`; each name lives in the module of its part.
"""

from workshops.evaluation.selectors.action_points import (
    action_point_in,
    action_points,
    idea_candidates,
    ideas_acted_on,
    members_of,
)
from workshops.evaluation.selectors.charts import Chart
from workshops.evaluation.selectors.evidence import (
    NO_EVIDENCE,
    Evidence,
    indicator_evidence,
    payments_on_time,
)
from workshops.evaluation.selectors.plan import (
    Due,
    due_status,
    follow_up_of,
    follow_ups_due,
    indicator_in,
    outcome_in,
    plan_outcomes,
    rating_question_texts,
)
from workshops.evaluation.selectors.questionnaires import (
    builder_questions,
    custom_forms,
    has_answered,
    has_answers,
    licences_of,
    measures_of,
    others_in_programme,
    previous_answers,
    question_in,
    questions_of,
    sessions_of,
)
from workshops.evaluation.selectors.reports import (
    QuestionSummary,
    attendance_by_session,
    balance_by_session,
    feedback_choice_summary,
    feedback_summary,
    free_text,
    payments_summary,
    programme_report,
    session_report,
    supported_count,
)
from workshops.evaluation.selectors.results import (
    FormResult,
    QuestionResult,
    form_results,
    quotable_answers,
)
from workshops.evaluation.selectors.wellbeing import PairedChange, paired_change, scores_at

__all__ = [
    "NO_EVIDENCE",
    "Chart",
    "Due",
    "Evidence",
    "FormResult",
    "PairedChange",
    "QuestionResult",
    "QuestionSummary",
    "action_point_in",
    "action_points",
    "attendance_by_session",
    "balance_by_session",
    "builder_questions",
    "custom_forms",
    "due_status",
    "feedback_choice_summary",
    "feedback_summary",
    "follow_up_of",
    "follow_ups_due",
    "form_results",
    "free_text",
    "has_answered",
    "has_answers",
    "idea_candidates",
    "ideas_acted_on",
    "indicator_evidence",
    "indicator_in",
    "licences_of",
    "measures_of",
    "members_of",
    "others_in_programme",
    "outcome_in",
    "paired_change",
    "payments_on_time",
    "payments_summary",
    "plan_outcomes",
    "previous_answers",
    "programme_report",
    "question_in",
    "questions_of",
    "quotable_answers",
    "rating_question_texts",
    "scores_at",
    "session_report",
    "sessions_of",
    "supported_count",
]
