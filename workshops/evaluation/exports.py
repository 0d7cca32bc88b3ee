"""The session and programme reports' figures as CSV: every cell made spreadsheet-safe."""

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from project.exports import spreadsheet_safe
from workshops.evaluation.selectors import NO_EVIDENCE, FormResult

type Row = list[Any]
# Column names stay the same in every language: a spreadsheet built on the file refers to them.
COLUMNS = ["section", "item", "value"]


def to_csv(rows: Iterable[Row]) -> str:
    """CSV text with a header, each cell through spreadsheet_safe (numbers stay numbers)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()


def _answered(section: str, result: FormResult) -> list[Row]:
    """Each question of a form: people per rating or option, then what was written."""
    rows: list[Row] = []
    for q in result.questions:
        for label, value in q.chart.bars if q.chart else []:
            rows.append([section, f"{q.question.text}: {label}", value])
        rows += [[section, q.question.text, text] for text in q.texts]
    return rows


def session_report_rows(report: dict[str, Any]) -> list[Row]:
    """The session report: attendance, feedback responses, each form's answers, balance."""
    rows: list[Row] = [
        [_("Attendance"), _("people who attended"), report["attended"]],
        [_("Feedback"), _("responses"), report["responses"]],
        [_("Feedback"), _("response rate %"), report["response_rate"]],
    ]
    results = ([report["feedback"]] if report["feedback"] else []) + report["custom"]
    for result in results:
        rows.append([result.form.title, _("filled in with support"), result.supported])
        rows += _answered(result.form.title, result)
    rows.append([_("Equal voice"), _("balance index"), report["balance_index"]])
    rows.append([_("Equal voice"), _("turns taken"), report["turns_taken"]])
    return rows


def _outcome_rows(report: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for outcome, indicators in report["outcomes"]:
        section = _("Outcome: %(title)s") % {"title": outcome.title}
        if not indicators:
            rows.append([section, "", NO_EVIDENCE])
        rows += [
            [section, indicator.title, found.figure or NO_EVIDENCE]
            for indicator, found in indicators
        ]
    return rows


def _wellbeing_rows(report: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for key, name in (("wellbeing", "WEMWBS"), ("wellbeing_short", "SWEMWBS")):
        change = report[key]
        section = _("Wellbeing (%(instrument)s)") % {"instrument": name}
        rows.append([section, "n", change.n])
        rows.append([section, _("mean change"), change.mean_change])
        rows.append([section, _("baseline only, no follow-up yet"), change.baseline_only])
    return rows


def _session_rows(report: dict[str, Any]) -> list[Row]:
    """Attendance, equal voice and what was said in feedback, session by session."""
    rows: list[Row] = [
        [_("Attendance"), _("Session %(n)s: %(title)s") % {"n": s.number, "title": s.title}, n]
        for s, n, _responses in report["attendance"]
    ]
    rows += [
        [
            _("Equal voice"),
            _("Session %(n)s: %(title)s") % {"n": b.session.number, "title": b.session.title},
            _("no turns taken") if b.no_turns else b.index,
        ]
        for b in report["balance"]
    ]
    rows.append(
        [_("Equal voice"), _("sessions where nobody took the floor"), report["balance_no_turns"]]
    )
    rows += [
        [_("Said in feedback"), f"{session_title}: {question}", text]
        for session_title, question, text in report["free_text"]
    ]
    return rows


def programme_report_rows(report: dict[str, Any]) -> list[Row]:
    """The programme report: outcomes, feedback, wellbeing, attendance, balance, each form."""
    rows = _outcome_rows(report)
    rows += [
        [
            _("Feedback"),
            q.text,
            _("mean %(mean)s n %(n)s counts %(counts)s")
            % {"mean": q.mean, "n": q.n, "counts": " ".join(map(str, q.counts))},
        ]
        for q in report["feedback"]
    ]
    rows += _wellbeing_rows(report)
    rows += _session_rows(report)
    rows += [
        [_("Feedback choice"), f"{chart.title}: {option}", people]
        for chart in report["feedback_choices"]
        for option, people in chart.bars
    ]
    for result in report["custom"]:
        section = _("Form: %(title)s") % {"title": result.form.title}
        rows.append([section, _("responses"), result.responses])
        rows.append([section, _("filled in with support"), result.supported])
        rows += _answered(section, result)
    return rows
