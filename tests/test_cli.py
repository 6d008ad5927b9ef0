"""The `threadline` console script, run as an operator would."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from threadline.models import Comment, Site, Story

pytestmark = pytest.mark.django_db


def test_site_add_and_story_add_print_ids(capsys):
    call_command(
        "site",
        "add",
        "daily",
        "--origin",
        "https://News.Example/x",
        "--origin",
        "https://b.example",
    )
    site = Site.objects.get(name="daily")
    assert site.allowed_origins == ["https://b.example", "https://news.example"]
    capsys.readouterr()
    call_command(
        "story", "add", "--site", "daily", "--url", "https://news.example/a", "--title", "A"
    )
    story_id = int(capsys.readouterr().out.strip())
    assert Story.objects.get(pk=story_id).title == "A"


def test_story_add_for_unknown_site_fails_clearly():
    with pytest.raises(CommandError, match="No site named 'nope'"):
        call_command("story", "add", "--site", "nope", "--url", "https://x.example/a")


def test_bad_origin_fails_clearly():
    with pytest.raises(CommandError, match="Not an origin"):
        call_command("site", "add", "x", "--origin", "ftp://x")


def test_createmoderator(capsys):
    call_command("site", "add", "daily")
    call_command("createmoderator", "mod", "--site", "daily", "--password", "a long passphrase 1")
    assert Site.objects.get(name="daily").moderators.filter(username="mod").exists()


def test_demo_loads_deep_realistic_threads_once(capsys):
    call_command("demo", "--if-empty")
    assert Story.objects.count() == 4
    total = Comment.objects.count()
    assert total >= 500
    assert Comment.objects.filter(depth__gte=5).exists()
    call_command("demo", "--if-empty")
    assert Comment.objects.count() == total


def test_console_script_runs_django_commands():
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "from threadline.cli import main; main(['help', 'site'])"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "site add NAME" in out.stdout or "Manage sites" in out.stdout, out.stderr


def test_site_sso_makes_shows_rotates_and_turns_off_the_secret(capsys):
    call_command("site", "add", "daily")
    capsys.readouterr()
    call_command("site", "sso", "daily")
    assert capsys.readouterr().out == ""  # off until the operator makes a secret
    call_command("site", "sso", "daily", "--rotate")
    first = capsys.readouterr().out.strip()
    assert first == Site.objects.get(name="daily").sso_secret and len(first) >= 43
    call_command("site", "sso", "daily")
    assert capsys.readouterr().out.strip() == first
    call_command("site", "sso", "daily", "--rotate")
    assert capsys.readouterr().out.strip() not in ("", first)
    call_command("site", "sso", "daily", "--off")
    assert Site.objects.get(name="daily").sso_secret == ""
    with pytest.raises(CommandError, match="No site named 'nope'"):
        call_command("site", "sso", "nope")
