"""The ``threadline`` console script: Threadline's commands plus Django's management commands.

threadline serve [--host H] [--port P] [--workers N]
threadline demo
threadline site add NAME --origin https://news.example [--origin ...]
threadline story add --site NAME --url URL --title TITLE
threadline createsuperuser | createmoderator USERNAME --site NAME
threadline migrate | shell | ...            (any Django management command)
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["threadline", *args])


if __name__ == "__main__":
    main()
