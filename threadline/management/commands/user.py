"""``threadline user export|erase --site S (--username U | --email E) [--yes]``"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from threadline import errors
from threadline.actions.datarights import person_erase, person_export, person_find
from threadline.models import Site


class Command(BaseCommand):
    help = "A reader's data rights, for operators: export their data as JSON, or erase them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verb", choices=["export", "erase"])
        parser.add_argument("--site", required=True)
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--username")
        who.add_argument("--email")

    def handle(self, *args: Any, **opts: Any) -> None:
        site = Site.objects.filter(name=opts["site"]).first()
        if site is None:
            raise CommandError(f"No site named {opts['site']!r}")
        try:
            person = person_find(site=site, username=opts["username"], email=opts["email"])
            if opts["verb"] == "export":
                data = person_export(person=person)
                self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
            else:
                result = person_erase(person=person)
                self.stdout.write(json.dumps(result))
        except errors.ThreadlineError as exc:
            raise CommandError(exc.message) from exc
