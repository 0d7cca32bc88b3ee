"""An organiser records where people come from: when adding them, and later from the
programme's people list, on a phone."""

from typing import Any

from participants.models import Membership
from tests.browser.conftest import assert_accessible


def test_an_organiser_adds_a_person_with_their_sector_and_changes_it_later(
    open_page: Any, server: Any, programme: Any, organiser: Any
) -> None:
    page = open_page(organiser, phone=True)
    page.goto(f"/programmes/{programme.pk}/people/add/")
    page.get_by_label("Name", exact=True).fill("Tara Third")
    page.get_by_label("Practitioner").check()
    page.get_by_label("Organisation (optional)").fill("Fife Carers Centre")
    page.get_by_label("Third sector (charity, community group)").check()
    assert_accessible(page)
    page.get_by_role("button", name="Add person", exact=True).click()
    page.get_by_text("Fife Carers Centre · Third sector (charity, community group)").wait_for()

    page.get_by_role("link", name="Organisation and sector of Tara Third").click()
    assert page.get_by_label("Organisation (optional)").input_value() == "Fife Carers Centre"
    assert page.get_by_label("Third sector (charity, community group)").is_checked()
    assert_accessible(page)
    page.get_by_label("Organisation (optional)").fill("NHS Fife")
    page.get_by_label("Statutory (NHS, council)").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("NHS Fife · Statutory (NHS, council)").wait_for()
    assert_accessible(page)
    membership = Membership.objects.get(user__display_name="Tara Third")
    assert (membership.organisation, membership.sector) == ("NHS Fife", "statutory")
