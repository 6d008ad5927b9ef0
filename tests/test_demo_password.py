"""The demo's moderator account: the documented password on a local install only; anywhere
else a random one, printed once."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from threadline.demo import is_local_install


def _printed_password(out: str) -> str:
    return out.split("Moderator: moderator / ", 1)[1].split()[0]


@pytest.mark.parametrize(
    ("overrides", "local"),
    [
        ({}, True),  # the tests' own default: SQLite in the data directory, http
        ({"PUBLIC_URL": "https://comments.example.com"}, False),
        ({"SESSION_COOKIE_SECURE": True}, False),
        ({"DEBUG": True, "PUBLIC_URL": "https://comments.example.com"}, True),
    ],
)
def test_only_a_local_install_counts_as_local(settings, overrides: dict, local: bool) -> None:  # noqa: ANN001
    settings.DEBUG = False
    # The local default's database, also when this suite runs on PostgreSQL (only the
    # settings are read; no connection is made).
    settings.DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(Path(settings.DATA_DIR) / "threadline.sqlite3"),
        }
    }
    for name, value in overrides.items():
        setattr(settings, name, value)
    assert is_local_install() is local


def test_a_production_database_is_not_local(settings) -> None:  # noqa: ANN001
    settings.DEBUG = False
    settings.DATABASES = {
        "default": {"ENGINE": "django.db.backends.postgresql", "NAME": "threadline"}
    }
    assert not is_local_install()


@pytest.mark.django_db
def test_the_demo_in_production_gets_a_random_password_printed_once(settings, capsys) -> None:  # noqa: ANN001
    settings.DEBUG = False
    settings.PUBLIC_URL = "https://comments.example.com"
    call_command("demo", "--if-empty")
    out = capsys.readouterr().out
    password = _printed_password(out)
    moderator = get_user_model().objects.get(username="moderator")
    assert "moderator-demo" not in out and len(password) >= 16
    assert moderator.check_password(password) and not moderator.check_password("moderator-demo")
    call_command("demo", "--if-empty")  # `make run` again: nothing loaded, nothing shown
    assert password not in capsys.readouterr().out


@pytest.mark.django_db
def test_the_local_demo_keeps_the_documented_password(settings, capsys) -> None:  # noqa: ANN001
    # Local whatever database this suite runs on: DEBUG counts as local (the SQLite case is
    # checked above, from the settings alone).
    settings.DEBUG = True
    call_command("demo", "--if-empty")
    assert _printed_password(capsys.readouterr().out) == "moderator-demo"
    assert get_user_model().objects.get(username="moderator").check_password("moderator-demo")
