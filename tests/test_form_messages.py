"""Every required field says what to enter, by name: never a bare "This field is required."."""

import importlib
import inspect
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

GENERIC = str(forms.Field.default_error_messages["required"])
FORM_MODULES = [
    "workshops.forms",
    "workshops.floor.forms",
    "workshops.evaluation.forms",
    "workshops.evaluation.plan_forms",
    "workshops.evaluation.answers",
    "participants.forms",
    "participants.payments.forms",
    "boards.forms",
]


def _forms() -> list[type[forms.BaseForm]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                found.append(cls)
    return found


@pytest.mark.parametrize("form_class", _forms(), ids=lambda c: c.__name__)
def test_every_required_field_has_its_own_message(form_class: type[forms.BaseForm]) -> None:
    try:
        fields = form_class().fields
    except TypeError:  # needs its choices: the class's own fields are what it declares
        fields = form_class.base_fields
    generic = [
        name
        for name, field in fields.items()
        if field.required and field.error_messages.get("required") == GENERIC
    ]
    assert not generic, f"{form_class.__name__}: {generic} say only {GENERIC!r}"


@pytest.mark.django_db
def test_an_empty_programme_form_names_each_missing_field(organiser: Any) -> None:
    client = Client()
    client.force_login(organiser)
    response = client.post(reverse("programme_create"), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert GENERIC not in page
    start = page.index("govuk-error-summary__list")
    summary = page[start : page.index("</ul>", start)]
    for message in (
        "Enter the programme’s name",
        "Enter the site or locality",
        "Enter the start date",
        "Enter the end date",
    ):
        assert message in summary, message
        assert page.count(message) == 2, message  # in the summary and beside the field


@pytest.mark.django_db
def test_an_empty_session_form_names_each_missing_field(organiser: Any, programme: Any) -> None:
    client = Client()
    client.force_login(organiser)
    response = client.post(reverse("session_create", args=[programme.pk]), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert GENERIC not in page
    for message in (
        "Enter the session’s title",
        "Enter the date of the session",
        "Enter the time it starts",
        "Enter the time it ends",
    ):
        assert page.count(message) == 2, message
