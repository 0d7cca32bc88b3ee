"""Every form in the project, every text field: the hostile corpus is refused by the field
itself, before any view or service sees it."""

import importlib
import pkgutil
from typing import Any

import pytest
from django import forms

from tests.hostile import REFUSED_IN_NAMES, REFUSED_ON_ONE_LINE, REFUSED_STRINGS

APPS = ("boards", "participants", "project", "workshops")
# Fields where people type a person's name.
NAME_FIELDS = {"display_name", "new_name"}


def project_form_classes() -> list[type[forms.BaseForm]]:
    """Every Form and ModelForm class defined in the project's own modules."""
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                importlib.import_module(info.name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type[Any]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in APPS and cls not in found:
            found.append(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def text_fields() -> list[tuple[str, str, forms.CharField]]:
    """(form, field name, field) for every text field of every project form."""
    fields = []
    for form_class in project_form_classes():
        try:
            # As a page builds it: allauth's sign-up form drops its username field here.
            declared = form_class().fields
        except TypeError:  # needs arguments (the people to choose from): as declared
            declared = form_class.base_fields
        for name, field in declared.items():
            if isinstance(field, forms.CharField) and not isinstance(
                field.widget, forms.PasswordInput
            ):
                fields.append((f"{form_class.__module__}.{form_class.__qualname__}", name, field))
    return fields


TEXT_FIELDS = text_fields()


def test_the_sweep_finds_the_forms_people_type_into() -> None:
    found = {(form.rsplit(".", 1)[-1], name) for form, name, _ in TEXT_FIELDS}
    for expected in [
        ("ProgrammeForm", "name"),
        ("WhoAreYouForm", "new_name"),
        ("AddPersonForm", "display_name"),
        ("SignupForm", "display_name"),
        ("CardAddForm", "text"),
        ("ExpenseForm", "receipt_note"),
    ]:
        assert expected in found
    assert len(TEXT_FIELDS) > 25


def refuses(field: forms.Field, value: str) -> bool:
    try:
        field.clean(value)
    except forms.ValidationError as exc:
        assert exc.messages and all(m.strip() for m in exc.messages)
        return True
    return False


@pytest.mark.parametrize(
    ("form", "name", "field"), TEXT_FIELDS, ids=[f"{f}.{n}" for f, n, _ in TEXT_FIELDS]
)
def test_every_text_field_refuses_control_characters_and_over_long_text(
    form: str, name: str, field: forms.CharField
) -> None:
    accepted = [v[:40] for v in REFUSED_STRINGS if not refuses(field, v)]
    assert not accepted, f"{form}.{name} accepts {accepted!r}"
    multiline = getattr(field, "multiline", False) or isinstance(field.widget, forms.Textarea)
    if not multiline:
        accepted = [v for v in REFUSED_ON_ONE_LINE if not refuses(field, v)]
        assert not accepted, f"{form}.{name} (one line) accepts {accepted!r}"


@pytest.mark.parametrize(
    ("form", "name", "field"),
    [f for f in TEXT_FIELDS if f[1] in NAME_FIELDS],
    ids=[f"{f}.{n}" for f, n, _ in TEXT_FIELDS if n in NAME_FIELDS],
)
def test_every_name_field_refuses_direction_controls(
    form: str, name: str, field: forms.CharField
) -> None:
    accepted = [v for v in REFUSED_IN_NAMES if not refuses(field, v)]
    assert not accepted, f"{form}.{name} accepts {accepted!r}"
    assert not refuses(field, "Zoë Ñúñez مرحبا")


def test_model_form_text_fields_hold_what_the_database_holds() -> None:
    for form_class in project_form_classes():
        meta = getattr(form_class, "_meta", None)
        model = getattr(meta, "model", None)
        if model is None:
            continue
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.CharField):
                assert field.max_length == model._meta.get_field(name).max_length, name
