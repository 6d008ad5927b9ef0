"""Importing comment history: the one writer behind every format in ``threadline.importers``.

The file is read to the end first (into a disk-backed staging area), so a malformed file
writes nothing. Then each story is written in its own transaction, in bulk: ids are
allocated up front so each comment's ``path``/``root``/``depth`` are set in the same
INSERT, and counters (story count, reply counts, commenter totals) are recomputed once per
story. Re-running an import skips every comment whose external id is already stored.
One ModerationEvent records the run (source ``import:<format>``), not one per comment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Any
from urllib.parse import urljoin

from django.db import IntegrityError, transaction

from threadline import errors
from threadline.actions.stories import canonical_url
from threadline.db import bulk
from threadline.domain.identity import digest
from threadline.domain.ranking import controversy, wilson_lower_bound
from threadline.domain.text import clean_line, render_markdown
from threadline.importers import cleaning
from threadline.importers.base import (
    DELETED,
    BadRecord,
    ImportedComment,
    ImportedThread,
    detect_format,
    importer_for,
)
from threadline.importers.htmltext import html_text
from threadline.importers.staging import Staging, staging_size, staging_tell
from threadline.importers.tree import plan_thread
from threadline.importers.xmlstream import text_cap, text_cap_for
from threadline.models import (
    Comment,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
    Site,
    Story,
)
from threadline.models.comments import PATH_SEGMENT
from threadline.server import countcache

UNSEEN = (CommentStatus.REJECTED, CommentStatus.DELETED)

MAX_REPORTED = 1000
MAX_NAME_LENGTH = 100  # as for live posts (actions.comments)
# Per-row reason codes of the report's "rows": a refused row is not imported, a cut one is.
BODY_TOO_LONG, NAME_TOO_LONG, UNDEFINED_ENTITY = (
    "body_too_long",
    "name_too_long",
    "undefined_entity",
)
COMMIT_EVERY = 5000  # comments
Progress = Callable[[str, int, int | None], None]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class ImportReport:
    format: str
    dry_run: bool = False
    stories_created: int = 0
    created: int = 0
    skipped_existing: int = 0
    skipped_deleted: int = 0
    skipped_pingbacks: int = 0
    skipped_bad: int = 0
    tombstones: int = 0
    skipped_limits: int = 0  # rows refused by the site's limits (see ``rows``)
    problems: list[BadRecord] = field(default_factory=list)
    # Each row refused or changed by the site's limits (the first MAX_REPORTED) and the
    # count per reason code (all of them).
    rows: list[dict[str, Any]] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)

    def bad(self, line: int, message: str, count: int = 1) -> None:
        self.skipped_bad += count
        if len(self.problems) < MAX_REPORTED:
            self.problems.append(BadRecord(line=line, message=message))

    def row(self, item: ImportedComment, reason: str, action: str, **detail: Any) -> None:
        """Note one row refused (``action`` "refused") or imported changed ("cut", "kept")."""
        if action == "refused":
            self.skipped_limits += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1
        if len(self.rows) < MAX_REPORTED:
            self.rows.append(
                {
                    "reason": reason,
                    "action": action,
                    "source_id": item.external_id,
                    "line": item.line,
                    **detail,
                }
            )

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k not in ("problems", "rows")}
        data["reasons"] = dict(self.reasons)
        data["problems"] = [{"line": p.line, "message": p.message} for p in self.problems]
        data["rows"] = [dict(r) for r in self.rows]
        return data


@dataclass
class _Run:
    site: Site
    fmt: str
    report: ImportReport
    base_url: str
    keep_pingbacks: bool
    users: dict[str, int] = field(default_factory=dict)
    progress: Progress | None = None
    written: int = 0
    fresh: bool = False  # the site had no imported comments: nothing to look up
    commenters: dict[str, int] = field(default_factory=dict)
    stories: dict[str, int] | None = None  # story ids by external id, read once per run
    # Commenter totals still to add, by commenter id: one UPDATE per commenter per commit
    # rather than one per commenter per story.
    counts: dict[int, list[int]] = field(default_factory=dict)


def import_run(
    *,
    site_name: str,
    fp: IO[bytes],
    fmt: str | None = None,
    dry_run: bool = False,
    keep_pingbacks: bool = False,
    base_url: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    """Import one export file into a site; returns what was created and skipped (and why).

    Raises ``ImportFormatError`` (nothing written) when the file cannot be read as a whole.
    ``dry_run`` does all the work inside a transaction that is rolled back.
    """
    head = fp.read(4096)
    fp.seek(0)
    fmt = fmt or detect_format(head)
    importer = importer_for(fmt)
    site = Site.objects.filter(name=site_name).first()
    if site is None and fmt != "threadline":
        raise errors.NotFoundError(f"No site named {site_name!r}.", field="site")
    report = ImportReport(format=fmt, dry_run=dry_run)
    staging = Staging()
    cap = text_cap.set(text_cap_for(site.max_body_length) if site else text_cap.get())
    try:
        _stage(staging, importer.parse(fp), fp, progress)
        with transaction.atomic() if dry_run else nullcontext():
            _write(staging, site, site_name, fmt, report, base_url, keep_pingbacks, progress)
            if dry_run:
                transaction.set_rollback(True)
    finally:
        text_cap.reset(cap)
        staging.close()
    return report


def _stage(staging: Staging, records: Any, fp: IO[bytes], progress: Progress | None) -> None:
    total = staging_size(fp)
    for n, record in enumerate(records, start=1):
        staging.add(record)
        if progress and n % 5000 == 0:
            progress("reading", staging_tell(fp), total)
    staging.finish()


def _write(
    staging: Staging,
    site: Site | None,
    site_name: str,
    fmt: str,
    report: ImportReport,
    base_url: str,
    keep_pingbacks: bool,
    progress: Progress | None,
) -> None:
    from threadline.actions import imports_native as native

    created = False
    if fmt == "threadline":
        site, created = native.site_for_import(site=site, name=site_name, staging=staging)
    assert site is not None
    run = _Run(
        site=site,
        fmt=fmt,
        report=report,
        base_url=base_url or _origin(site),
        keep_pingbacks=keep_pingbacks,
        progress=progress,
    )
    watermark = Comment.objects.order_by("-id").values_list("id", flat=True).first() or 0
    run.fresh = not Comment.objects.filter(site=site).exclude(external_id="").exists()
    if fmt == "threadline":
        run.users = native.users_import(site=site, staging=staging, site_created=created)
        native.commenters_import(site=site, staging=staging, users=run.users)
    for bad in staging.bad:
        report.bad(bad.line, bad.message)
    with bulk.bigger_cache(), bulk.comment_indexes_deferred(staged=staging.comment_count):
        _threads_write(run, staging)
    for key, count in staging.thread_keys_without_thread():
        report.bad(0, f"{count} comment(s) name thread {key!r}, which is not in the file", count)
    if fmt == "threadline":
        native.events_import(
            site=site, staging=staging, users=run.users, after_id=watermark, site_created=created
        )
    ModerationEvent.objects.create(
        site=site,
        source=f"import:{fmt}"[:40],
        action=ModerationAction.PUBLISH,
        reasons=[f"Imported {report.created} comments ({fmt})"],
        scores=report.as_dict(),
    )


def _threads_write(run: _Run, staging: Staging) -> None:
    """Each story in its own savepoint; several stories per commit, as commits cost more
    than the rows themselves on SQLite."""
    threads = staging.threads()
    finished = False
    while not finished:
        finished = True
        with transaction.atomic():
            target = run.written + COMMIT_EVERY
            for thread in threads:
                _thread_import(run, thread, staging.comments(thread.key))
                if run.progress:
                    run.progress("writing", run.written, staging.comment_count)
                if len(run.counts) > 50_000:  # bounded memory
                    bulk.commenter_counts_add(run.counts)
                if run.written >= target:
                    finished = False
                    break
            bulk.commenter_counts_add(run.counts)  # in the same transaction as the rows


def _origin(site: Site) -> str:
    return (site.allowed_origins or ["https://localhost"])[0]


def _thread_import(run: _Run, thread: ImportedThread, comments: list[ImportedComment]) -> None:
    report = run.report
    if thread.is_deleted:
        report.skipped_deleted += len(comments)
        return
    if not comments and run.fmt != "threadline":  # only our own export keeps empty stories
        return
    try:
        url = canonical_url(urljoin(run.base_url + "/", thread.url) if thread.url else "")
    except errors.ThreadlineError:
        report.bad(
            thread.line,
            f"thread {thread.key!r} has no usable URL ({thread.url!r}); "
            f"its {len(comments)} comment(s) were skipped",
            len(comments),
        )
        return
    try:
        with transaction.atomic():
            counts = _comments_write(run, thread, url, comments)
        bulk.counts_merge(run.counts, counts)  # only once the story's rows are in
    except IntegrityError:  # ids this file already used for another thread
        report.bad(
            thread.line,
            f"thread {thread.key!r}: its comment ids are used by another "
            f"thread; its {len(comments)} comment(s) were skipped",
            len(comments),
        )
    run.written += len(comments)


def _story_for(run: _Run, thread: ImportedThread, url: str) -> int:
    """The id of the story with this URL or external id (the lower id when they differ),
    created when missing. External ids are read once per run: that column has no index."""
    if run.stories is None:
        run.stories = dict(
            Story.objects.filter(site=run.site)
            .exclude(external_id="")
            .values_list("external_id", "id")
        )
    found = [
        pk
        for pk in (
            bulk.story_id_by_url(site_id=run.site.pk, url=url),
            run.stories.get(thread.external_id) if thread.external_id else None,
        )
        if pk is not None
    ]
    if found:
        return min(found)
    run.report.stories_created += 1
    from threadline.actions.imports_native import story_fields

    transaction.on_commit(lambda: countcache.forget_url(url))
    story = Story.objects.create(
        site=run.site,
        url=url,
        title=clean_line(thread.title, max_length=300),
        external_id=thread.external_id[:200],
        is_open=thread.is_open,
        **story_fields(thread.extra),
    )
    if thread.extra.get("created_at"):  # auto_now_add ignores a given value
        Story.objects.filter(pk=story.pk).update(created_at=thread.extra["created_at"])
    if story.external_id:
        run.stories[story.external_id] = story.pk
    return story.pk


def _prepare(run: _Run, item: ImportedComment) -> None:
    """Text and safe HTML for one comment (in place)."""
    if item.status == DELETED:
        item.body = item.body_html = ""
    elif run.fmt == "threadline":
        item.body, item.body_html = (
            cleaning.clean(item.body),
            cleaning.sanitize_html(cleaning.clean(item.body_html)),
        )
    elif item.body_html:
        source = cleaning.clean(item.body_html)
        item.body, item.body_html = html_text(source), cleaning.sanitize_html(source)
    else:
        item.body = cleaning.clean(item.body).strip("\n")
        item.body_html = render_markdown(item.body) if item.body.strip() else ""


def _within_limits(run: _Run, item: ImportedComment) -> bool:
    """Prepare ``item`` and apply the site's limits for live posts; False (and reported)
    when the row is refused. A name over the limit is cut, as ``clean_name`` does."""
    report, limit = run.report, run.site.max_body_length
    if item.notes.get("body_cut"):  # the reader dropped the rest of a huge text node
        report.row(item, BODY_TOO_LONG, "refused", length=item.notes["body_cut"], limit=limit)
        return False
    _prepare(run, item)
    if len(item.body) > limit:
        report.row(item, BODY_TOO_LONG, "refused", length=len(item.body), limit=limit)
        return False
    if len(item.author_name) > MAX_NAME_LENGTH:
        whole = len(clean_line(item.author_name, max_length=len(item.author_name)))
        if whole > MAX_NAME_LENGTH:
            report.row(item, NAME_TOO_LONG, "cut", length=whole, limit=MAX_NAME_LENGTH)
    for name in item.notes.get("undefined_entities", ()):
        report.row(item, UNDEFINED_ENTITY, "kept", entity=f"&{name};")
    return True


def _comments_write(
    run: _Run, thread: ImportedThread, url: str, comments: list[ImportedComment]
) -> dict[int, list[int]]:
    """Write one story's new comments; returns what they add to their commenters' totals."""
    report = run.report
    new: dict[str, ImportedComment] = {}
    for item in comments:
        if item.kind not in ("comment", "") and not run.keep_pingbacks:
            report.skipped_pingbacks += 1
        elif item.external_id in new:
            report.bad(item.line, f"duplicate comment id {item.external_id!r}")
        elif _within_limits(run, item):
            new[item.external_id] = item
    wanted = set(new) | {c.parent_external_id for c in new.values() if c.parent_external_id}
    known = {} if run.fresh else bulk.existing_by_external_id(run.site, wanted)
    report.skipped_existing += sum(1 for key in new if key in known)
    new = {k: v for k, v in new.items() if k not in known}
    plan = plan_thread(new, known=set(known), keep_deleted=run.fmt == "threadline")
    report.skipped_deleted += plan.dropped_deleted
    report.tombstones += plan.placeholders
    for item in plan.dropped_empty:
        report.bad(item.line, f"comment {item.external_id!r} is empty")
    if not plan.ordered and run.fmt != "threadline":
        return {}
    story_id = _story_for(run, thread, url)
    rows, bumps = _rows(run, story_id, plan.ordered, known)
    bulk.comments_insert(rows)
    report.created += len(rows) - plan.placeholders
    if run.fmt == "threadline":
        from threadline.actions.imports_native import comment_extras_import

        comment_extras_import(ids=[r["id"] for r in rows], items=plan.ordered, users=run.users)
    bulk.replies_add(bumps)
    bulk.story_count_update(story_id)
    transaction.on_commit(lambda: countcache.forget_story(story_id))
    # Threadline's export carries the commenters' own totals.
    return {} if run.fmt == "threadline" else bulk.commenter_deltas(rows)


def _rows(
    run: _Run,
    story_id: int,
    ordered: list[ImportedComment],
    known: dict[str, tuple[int, str, int, int | None]],
) -> tuple[list[dict], dict]:
    """Comment rows with tree fields and reply counts; the returned ``bumps`` are replies
    added below comments stored by an earlier import."""
    ids = bulk.allocate_ids(Comment, len(ordered))
    keys = [_commenter_key(run, item) for item in ordered]
    commenters = _commenters_for(run, ordered, keys)
    placed: dict[str, dict[str, Any]] = {}
    bumps: dict[int, int] = {}
    rows = []
    for pk, item, key in zip(ids, ordered, keys, strict=True):
        row = _row(run, story_id, item, pk, commenters.get(key))
        parent = placed.get(item.parent_external_id)
        stored = known.get(item.parent_external_id)
        if parent is not None:
            row.update(
                parent_id=parent["id"],
                depth=parent["depth"] + 1,
                root_id=parent["root_id"] or parent["id"],
                path=f"{parent['path']}/{row['path']}",
            )
        elif stored is not None:
            row.update(
                parent_id=stored[0],
                depth=stored[2] + 1,
                root_id=stored[3] or stored[0],
                path=f"{stored[1]}/{row['path']}",
            )
        if row["status"] == CommentStatus.PUBLISHED and row["parent_id"]:
            for segment in row["path"].split("/")[:-1]:  # every ancestor, new or stored
                bumps[int(segment)] = bumps.get(int(segment), 0) + 1
        placed[item.external_id] = row
        rows.append(row)
    for row in rows:
        row["reply_count"] = bumps.pop(row["id"], 0)
    return rows, bumps


def _row(
    run: _Run, story_id: int, item: ImportedComment, pk: int, commenter_id: int | None
) -> dict[str, Any]:
    up, down = max(item.upvotes, 0), max(item.downvotes, 0)
    name = cleaning.clean_name(item.author_name) or ("" if item.status == DELETED else "Anonymous")
    return {
        "id": pk,
        "site_id": run.site.pk,
        "story_id": story_id,
        "parent_id": None,
        "root_id": None,
        "depth": 0,
        "path": str(pk).zfill(PATH_SEGMENT),
        "commenter_id": commenter_id,
        "user_id": run.users.get(item.extra.get("user") or ""),
        "author_name": name,
        "author_email": cleaning.email_or_blank(item.author_email),
        "ip_address": cleaning.ip_or_none(item.ip_address),
        "body": item.body,
        "body_html": item.body_html,
        "status": item.status,
        "upvotes": up,
        "downvotes": down,
        "score": up - down,
        "wilson": wilson_lower_bound(up, down),
        "controversy": controversy(up, down),
        "created_at": item.created_at,
        "external_id": item.external_id[:200],
        "moderation_reasons": [],
        **_native_fields(item.extra),
        # Only a comment nobody sees may be shadowed (the table's constraint says so too).
        "is_shadowed": bool(item.extra.get("is_shadowed")) and item.status in UNSEEN,
    }


def _native_fields(extra: dict[str, Any]) -> dict[str, Any]:
    if not extra or extra.get("placeholder"):
        return {}
    keys = (
        "edit_token_hash",
        "flag_count",
        "is_pinned",
        "is_featured",
        "moderation_reasons",
        "toxicity",
        "edited_at",
    )
    return {k: extra[k] for k in keys if k in extra}


def _commenter_key(run: _Run, item: ImportedComment) -> str:
    if "commenter" in item.extra:
        return item.extra["commenter"] or ""
    if item.extra.get("placeholder"):
        return ""
    email = cleaning.email_or_blank(item.author_email)
    if email:
        return _email_key(email)
    name = cleaning.clean_name(item.author_name) or "Anonymous"
    return f"import:{run.fmt}:{name}"[:80]


@lru_cache(maxsize=65536)
def _email_key(email: str) -> str:
    return "email:" + digest(email.lower())[:40]


def _commenters_for(run: _Run, items: list[ImportedComment], keys: list[str]) -> dict[str, int]:
    """Commenter ids by key, creating the missing ones (display name and e-mail)."""
    wanted: dict[str, tuple[str, str]] = {}
    for item, key in zip(items, keys, strict=True):
        if key and key not in wanted:
            wanted[key] = (
                cleaning.clean_name(item.author_name),
                cleaning.email_or_blank(item.author_email),
            )
    if len(run.commenters) > 200_000:  # keep memory flat on huge imports
        run.commenters.clear()
    return bulk.commenters_ensure(site_id=run.site.pk, wanted=wanted, cache=run.commenters)
