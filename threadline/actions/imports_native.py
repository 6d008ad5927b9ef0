"""The parts of an import only Threadline's own export carries: the site and its policy,
users, commenters (with bans and notes), revisions, votes, flags and moderation events.

Rows keep their original timestamps (inserted "raw", as ``loaddata`` does, so
``auto_now_add`` does not overwrite them). Called by ``threadline.actions.imports`` inside
its transactions; existing users, commenters and sites are never overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, overload

from django.contrib.auth import get_user_model
from django.db import models

from threadline.importers.base import ImportedComment
from threadline.importers.staging import Staging
from threadline.models import (
    Badge,
    Comment,
    Commenter,
    CommentRevision,
    Flag,
    ModerationEvent,
    Site,
    Vote,
)

STORY_FIELDS = ("lead_image_url", "lead_image_caption", "body", "author", "premoderation")


@overload
def _when(value: None) -> None: ...
@overload
def _when(value: str) -> datetime | None: ...
def _when(value: str | None) -> datetime | None:
    """An exported ISO timestamp; None for a missing or empty one. The records are untyped
    JSON (``Any``), so callers get ``Any``: a None in a NOT NULL column is left to the
    database to refuse (IntegrityError), as before."""
    return datetime.fromisoformat(value) if value else None


def insert_raw(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Bulk insert without ``pre_save`` hooks, so given timestamps are kept."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for start in range(0, len(objs), 500):
        model._base_manager._insert(objs[start : start + 500], fields=fields, raw=True)  # type: ignore[attr-defined]


def site_for_import(*, site: Site | None, name: str, staging: Staging) -> tuple[Site, bool]:
    """The target site; created from the export's header (with its policy) when missing."""
    if site is not None:
        return site, False
    header = next(staging.extras("site")).data
    skip = {"id", "name", "moderators", "created_at"}
    values = {
        f.name: header[f.name]
        for f in Site._meta.concrete_fields
        if f.name in header and f.name not in skip
    }
    site = Site.objects.create(name=name, **values)
    if header.get("created_at"):
        Site.objects.filter(pk=site.pk).update(created_at=_when(header["created_at"]))
    return site, True


def users_import(*, site: Site, staging: Staging, site_created: bool) -> dict[str, int]:
    """User ids by username; missing users are created (unusable password unless the export
    carried the hash). Moderators are restored only on a site this import created."""
    User = get_user_model()
    ids: dict[str, int] = {}
    for record in staging.extras("user"):
        data = record.data
        user = User.objects.filter(username=data["username"]).first()
        if user is None:
            user = User(
                username=data["username"],
                email=data.get("email") or "",
                first_name=data.get("first_name") or "",
                last_name=data.get("last_name") or "",
                is_active=data.get("is_active", True),
                is_staff=data.get("is_staff", False),
                is_superuser=data.get("is_superuser", False),
            )
            if data.get("date_joined"):
                user.date_joined = _when(data["date_joined"])
            if data.get("password"):
                user.password = data["password"]
            else:
                user.set_unusable_password()
            user.save()
        ids[user.get_username()] = user.pk
    if site_created:
        header = next(staging.extras("site")).data
        site.moderators.add(*[ids[u] for u in header.get("moderators") or [] if u in ids])
    return ids


def commenters_import(*, site: Site, staging: Staging, users: dict[str, int]) -> None:
    existing = set(Commenter.objects.filter(site=site).values_list("key", flat=True))
    # A publisher's id names one commenter per site: one already here keeps it.
    sso_ids = set(Commenter.objects.filter(site=site).values_list("sso_id", flat=True))
    rows = []
    for record in staging.extras("commenter"):
        data = record.data
        if data.get("key") in existing or not data.get("key"):
            continue
        existing.add(data["key"])
        sso_id = str(data.get("sso_id") or "")[:255]
        sso_id = "" if sso_id in sso_ids else sso_id
        sso_ids.add(sso_id)
        rows.append(
            Commenter(
                site=site,
                key=data["key"],
                user_id=users.get(data.get("user") or ""),
                display_name=data.get("display_name") or "",
                email=data.get("email") or "",
                comments_total=data.get("comments_total", 0),
                comments_published=data.get("comments_published", 0),
                comments_rejected=data.get("comments_rejected", 0),
                flags_received=data.get("flags_received", 0),
                banned_until=_when(data.get("banned_until")),
                banned_forever=bool(data.get("banned_forever")),
                ban_message=data.get("ban_message") or "",
                ban_shadow=bool(data.get("ban_shadow")),
                always_premoderate=bool(data.get("always_premoderate")),
                notes=data.get("notes") or "",
                sso_id=sso_id,
                badge=str(data.get("badge") or "") if data.get("badge") in Badge.values else "",
                avatar_url=_https(data.get("avatar_url")),
                created_at=_when(data.get("created_at", "")),
            )
        )
    insert_raw(Commenter, rows)


def _https(url: Any) -> str:
    """An avatar URL as SSO stores it (https only), else none."""
    url = str(url or "")
    return url if url.startswith("https://") and len(url) <= 500 else ""


def story_fields(extra: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {k: extra[k] for k in STORY_FIELDS if extra.get(k) is not None}
    if extra.get("published_at"):
        values["published_at"] = _when(extra["published_at"])
    return values


def comment_extras_import(
    *, ids: list[int], items: list[ImportedComment], users: dict[str, int]
) -> None:
    revisions, votes, flags = [], [], []
    for pk, item in zip(ids, items, strict=True):
        for r in item.extra.get("revisions") or []:
            revisions.append(
                CommentRevision(
                    comment_id=pk,
                    body=r["body"],
                    edited_at=_when(r["edited_at"]),
                    edited_by_id=users.get(r.get("edited_by") or ""),
                )
            )
        for v in item.extra.get("votes") or []:
            votes.append(
                Vote(
                    comment_id=pk,
                    voter_key=v["voter_key"],
                    value=v["value"],
                    created_at=_when(v["created_at"]),
                )
            )
        for f in item.extra.get("flags") or []:
            flags.append(
                Flag(
                    comment_id=pk,
                    reporter_key=f["reporter_key"],
                    reason=f["reason"],
                    note=f.get("note") or "",
                    resolved=bool(f.get("resolved")),
                    created_at=_when(f["created_at"]),
                )
            )
    insert_raw(CommentRevision, revisions)
    insert_raw(Vote, votes)
    insert_raw(Flag, flags)


def events_import(
    *, site: Site, staging: Staging, users: dict[str, int], after_id: int, site_created: bool
) -> int:
    """Moderation events, linked to comments and commenters by key: those of comments this
    run created (ids above ``after_id``), and site-wide ones when the run created the site,
    so importing the same export twice adds no events. Returns how many."""
    commenters = dict(Commenter.objects.filter(site=site).values_list("key", "id"))
    batch: list[tuple[dict[str, Any], ModerationEvent]] = []
    total = 0
    for record in staging.extras("event"):
        data = record.data
        batch.append(
            (
                data,
                ModerationEvent(
                    site=site,
                    commenter_id=commenters.get(data.get("commenter") or ""),
                    actor_id=users.get(data.get("actor") or ""),
                    source=data.get("source") or "import",
                    action=data["action"],
                    reason_code=data.get("reason_code") or "",
                    reasons=data.get("reasons") or [],
                    scores=data.get("scores") or {},
                    model_version=data.get("model_version") or "",
                    created_at=_when(data["created_at"]),
                ),
            )
        )
        if len(batch) >= 2000:
            total += _events_write(site, batch, after_id, site_created)
            batch = []
    return total + _events_write(site, batch, after_id, site_created)


def _events_write(
    site: Site,
    batch: list[tuple[dict[str, Any], ModerationEvent]],
    after_id: int,
    site_created: bool,
) -> int:
    keys = {d["comment"] for d, _ in batch if d.get("comment")}
    ids = dict(
        Comment.objects.filter(site=site, external_id__in=keys).values_list("external_id", "id")
    )
    keep = []
    for data, event in batch:
        event.comment_id = ids.get(data.get("comment") or "")
        if (event.comment_id or 0) > after_id or (not data.get("comment") and site_created):
            keep.append(event)
    insert_raw(ModerationEvent, keep)
    return len(keep)
