"""Every setting an operator can change is listed in the example env file and the docs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r"""env(?:\.\w+)?\(\s*["'](THREADLINE_[A-Z0-9_]+)["']""")


def _settings_read_in_code() -> set[str]:
    names: set[str] = set()
    for path in [*ROOT.joinpath("config").glob("*.py"), *ROOT.joinpath("threadline").rglob("*.py")]:
        if path.name == "settings_test.py":
            continue
        names |= set(READ.findall(path.read_text()))
        names |= set(
            re.findall(r"""os\.environ\.get\(\s*["'](THREADLINE_[A-Z0-9_]+)""", path.read_text())
        )
    return names


def test_every_setting_is_in_the_example_env_file_with_a_comment():
    example = ROOT.joinpath("threadline.example.env").read_text()
    missing = sorted(n for n in _settings_read_in_code() if n not in example)
    assert not missing, f"not in threadline.example.env: {missing}"


def test_every_setting_is_documented():
    docs = ROOT.joinpath("docs", "configuration.md").read_text()
    missing = sorted(n for n in _settings_read_in_code() if n not in docs)
    assert not missing, f"not in docs/configuration.md: {missing}"


def test_settings_are_read_from_the_environment(monkeypatch):
    import subprocess
    import sys

    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings';django.setup();"
        "from django.conf import settings as s;print(s.THREADLINE['RATE_LIMIT_POST_IP'], "
        "s.DATABASES['default']['ENGINE'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={
            **__import__("os").environ,
            "THREADLINE_RATE_LIMIT_POST_IP": "7/60",
            "THREADLINE_DATABASE_URL": "postgres://u@127.0.0.1:1/x",
        },
    )
    assert out.stdout.split() == ["7/60", "django.db.backends.postgresql"], out.stderr
