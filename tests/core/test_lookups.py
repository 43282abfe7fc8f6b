"""``core.lookups``: a missing row, a service's NotFoundError and a None all become the 404 page."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import NotFound

from tests.factories import UserFactory
from wki.auth.models import User
from wki.core.errors import NotFoundError
from wki.core.lookups import found_or_404, get_or_404, or_404


def test_get_or_404_gives_the_row_or_404(db_session):
    user = UserFactory()
    assert get_or_404(User, user.id) is user
    with pytest.raises(NotFound):
        get_or_404(User, user.id + 1000)


def test_or_404_turns_the_services_not_found_into_404_with_its_message():
    def lookup(key, *, kind):
        if key == "er":
            return (key, kind)
        raise NotFoundError("Dit bestaat niet.")

    assert or_404(lookup, "er", kind="x") == ("er", "x")
    with pytest.raises(NotFound) as caught:
        or_404(lookup, "weg", kind="x")
    assert caught.value.description == "Dit bestaat niet."


def test_other_service_errors_are_not_a_404():
    def refuse():
        raise ValueError("kapot")

    with pytest.raises(ValueError):
        or_404(refuse)


@pytest.mark.parametrize("value", [0, "", [], False])
def test_found_or_404_keeps_falsy_values_that_are_not_none(value):
    assert found_or_404(value) is value


def test_found_or_404_none_is_404():
    with pytest.raises(NotFound):
        found_or_404(None)
