"""Names guests may not post under (threadline.domain.names): how names compare, and the cached
staff names."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory
from threadline import errors
from threadline.domain.names import check_guest_name, name_key, staff_names


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Jane Doe", "jane doe", True),
        ("Jane Doe", "  JANE\tDOE ", True),
        ("Jane Doe", "Jane.Doe", True),
        ("Jane Doe", "jane_doe", True),
        ("Jane Doe", "Jáne Döe", True),
        ("Jane Doe", "J\u0430ne D\u043ee", True),  # Cyrillic а and о
        ("Jane Doe", "Ｊａｎｅ Ｄｏｅ", True),  # full-width
        ("Jane Doe", "Jane\u200bDoe", True),
        ("Jane Doe", "Jane Doe2", False),
        ("Jane Doe", "Jane Doe fan", False),
        ("Jane Doe", "Jan Doe", False),
    ],
)
def test_names_compare_folded_without_spacing(a: str, b: str, same: bool) -> None:
    assert (name_key(a) == name_key(b)) is same


@pytest.mark.django_db
def test_a_name_of_punctuation_only_is_never_reserved(site) -> None:
    site.reserved_names = "!!!"
    check_guest_name(site=site, name="...")  # nothing to compare: allowed


@pytest.mark.django_db
def test_staff_names_are_read_once_then_cached(site, django_assert_num_queries) -> None:
    site.moderators.add(UserFactory(username="mod", first_name="Mo Derator"))
    with django_assert_num_queries(2):
        assert staff_names(site_id=site.pk) == {"mod", "moderator"}
    with django_assert_num_queries(0):
        staff_names(site_id=site.pk)


@pytest.mark.django_db
def test_a_broken_cache_still_protects_staff_names(site, monkeypatch) -> None:
    from django.core.cache import cache

    def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set", broken)
    site.moderators.add(UserFactory(username="mod", first_name="Mo Derator"))
    with pytest.raises(errors.NameReservedError):
        check_guest_name(site=site, name="Mo Derator")
