from __future__ import annotations

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from threadline.actions.sites import site_add_moderator
from threadline.models import Site


class Command(BaseCommand):
    help = "Create (or promote) a user who moderates one or more sites."

    def add_arguments(self, parser):  # noqa: ANN001
        parser.add_argument("username")
        parser.add_argument("--site", action="append", required=True)
        parser.add_argument("--password", default=None, help="prompted when omitted")
        parser.add_argument("--email", default="")

    def handle(
        self,
        *args,
        username: str,
        site: list[str],
        password: str | None,
        email: str,  # noqa: ANN002
        **opts,
    ) -> None:  # noqa: ANN003
        sites = list(Site.objects.filter(name__in=site))
        missing = set(site) - {s.name for s in sites}
        if missing:
            raise CommandError(f"No such site: {', '.join(sorted(missing))}")
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            password = password or getpass.getpass("Password: ")
            user = User.objects.create_user(username=username, password=password, email=email)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        for s in sites:
            site_add_moderator(site=s, user=user)
        self.stdout.write(f"{username} moderates {', '.join(s.name for s in sites)}")
