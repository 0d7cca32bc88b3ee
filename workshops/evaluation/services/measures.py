"""Wellbeing measures: the organisation's licence for an instrument, and the measure itself."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from participants.models import User
from project.text import clean_text
from workshops.evaluation import instruments
from workshops.evaluation.models import Form, InstrumentLicence, Question
from workshops.models import Programme, Session

HOLDER_MAX = 120
REFERENCE_MAX = 80


@transaction.atomic
def licence_record(
    *,
    programme: Programme,
    instrument: str,
    licence_holder: str,
    reference: str,
    licensed_on: date,
    by: User,
) -> InstrumentLicence:
    """Record the organisation's licence for an instrument: only then can it be used."""
    if instrument not in instruments.INSTRUMENTS:
        raise ValidationError({"instrument": _("Choose WEMWBS or SWEMWBS")})
    if not licence_holder.strip() or not reference.strip():
        raise ValidationError(_("Enter who holds the licence and its reference"))
    licence_holder = clean_text(licence_holder, "licence_holder", max_length=HOLDER_MAX)
    reference = clean_text(reference, "reference", max_length=REFERENCE_MAX)
    licence, _created = InstrumentLicence.objects.update_or_create(
        programme=programme,
        instrument=instrument,
        defaults={
            "licence_holder": licence_holder.strip(),
            "reference": reference.strip(),
            "licensed_on": licensed_on,
            "recorded_by": by,
        },
    )
    return licence


@transaction.atomic
def instrument_form_create(
    *, programme: Programme, instrument: str, timepoint: str, session: Session | None = None
) -> Form:
    """A wellbeing measure at a timepoint: the instrument's items, worded and ordered exactly."""
    if instrument not in instruments.INSTRUMENTS:
        raise ValidationError(_("Choose WEMWBS or SWEMWBS"))
    if not InstrumentLicence.objects.filter(programme=programme, instrument=instrument).exists():
        raise ValidationError(_("Record the organisation's licence for this instrument first"))
    if timepoint not in (Form.Timepoint.BASELINE, Form.Timepoint.FOLLOW_UP):
        raise ValidationError(_("Choose baseline or follow-up"))
    spec = instruments.INSTRUMENTS[instrument]
    form = Form.objects.create(
        programme=programme,
        session=session,
        kind=Form.Kind.INSTRUMENT,
        title=f"{spec.name}: {Form.Timepoint(timepoint).label.lower()}",
        instrument=instrument,
        timepoint=timepoint,
    )
    Question.objects.bulk_create(
        Question(
            form=form, order=i, kind=Question.Kind.INSTRUMENT_ITEM, text=text, item_number=number
        )
        for i, (number, text) in enumerate(spec.items())
    )
    return form
