"""``threadline import [FORMAT] FILE --site S [--dry-run] [--keep-pingbacks] [--base-url URL]``"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from threadline import errors
from threadline.actions.imports import ImportReport, import_run
from threadline.importers.base import FORMATS


class _Bar:
    """Reading shows bytes, writing shows comments; both with rate and time left."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if phase not in self.tasks:
            self.tasks[phase] = self.progress.add_task(phase, total=total)
        self.progress.update(self.tasks[phase], completed=done, total=total)


class Command(BaseCommand):
    help = "Import comments from a Disqus, WordPress, Isso, Commento or Threadline export."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "args",
            nargs="+",
            metavar="[FORMAT] FILE",
            help=f"format ({', '.join(FORMATS)}; detected when omitted) and file",
        )
        parser.add_argument("--site", required=True, help="the site's name")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument(
            "--keep-pingbacks", action="store_true", help="keep WordPress pingbacks and trackbacks"
        )
        parser.add_argument(
            "--base-url", default="", help="for exports that name pages by path (Isso): the origin"
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: str, **opts: Any) -> None:
        if len(args) > 2:
            raise CommandError("Give at most a format and a file.")
        fmt, path = (args[0], args[1]) if len(args) == 2 else (None, args[0])
        try:
            with open(path, "rb") as fp, Progress(*_columns(), transient=False) as progress:
                report = import_run(
                    site_name=opts["site"],
                    fp=fp,
                    fmt=fmt,
                    dry_run=opts["dry_run"],
                    keep_pingbacks=opts["keep_pingbacks"],
                    base_url=opts["base_url"],
                    progress=_Bar(progress),
                )
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        except errors.ThreadlineError as exc:
            raise CommandError(f"{path}: {exc.message}") from exc
        self._print(report, as_json=opts["json"])

    def _print(self, report: ImportReport, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
            return
        prefix = "Dry run: would import" if report.dry_run else "Imported"
        self.stdout.write(
            f"{prefix} {report.created} comments into {report.stories_created} new stories "
            f"({report.format}); skipped {report.skipped_existing} already imported, "
            f"{report.skipped_deleted} deleted, {report.skipped_pingbacks} pingbacks, "
            f"{report.skipped_bad} bad; {report.tombstones} tombstones for missing parents."
        )
        for problem in report.problems:
            where = f"line {problem.line}: " if problem.line else ""
            self.stderr.write(f"  skipped: {where}{problem.message}")
        if report.reasons:
            counts = ", ".join(f"{n} {reason}" for reason, n in sorted(report.reasons.items()))
            self.stdout.write(
                f"Site limits: refused {report.skipped_limits} rows; by reason: {counts}."
            )
        for row in report.rows:
            where = f"line {row['line']}: " if row["line"] else ""
            detail = ", ".join(
                f"{k} {v}"
                for k, v in row.items()
                if k not in ("reason", "action", "source_id", "line")
            )
            self.stderr.write(
                f"  {row['action']}: {where}{row['source_id']} {row['reason']} ({detail})"
            )


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        unit = "B" if task.description == "reading" else "comments"
        return Text(f"{task.speed or 0:,.0f} {unit}/s")


def _columns() -> tuple[ProgressColumn, ...]:
    """Count, rate and time left (reading counts bytes, writing counts comments)."""
    return (
        TextColumn("{task.description:8}"),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
