"""One-query reads asked on every post or thread read, as prepared statements.

Each statement is built once per database (and shape) from the models' metadata and then
only executed: the ORM would compile the same query anew on every call, which costs more
than the database spends answering it. Values go through the model fields' own adaptation
(``get_db_prep_value``), so they compare with the stored columns exactly as an ORM filter
would. What an answer means (refuse the post, skip the job) is for the callers to decide.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, connections, router
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from threadline.db import sqlfast
from threadline.models import (
    Ban,
    BanKind,
    Comment,
    ModeratorDigest,
    Site,
    Story,
    Subscription,
    Webhook,
)

# --- bans: one prepared query per post ------------------------------------------------


@cache
def _ban_sql(using: str, candidates: int) -> str:
    table, site, kind, value, until, message = sqlfast.quoted(
        using, Ban, "site", "kind", "value", "until", "message"
    )
    ips = ", ".join(["%s"] * candidates)
    # Table and column names come from the model; values are parameters.
    return (
        f"SELECT {message}, {until} FROM {table} WHERE {site} = %s "  # noqa: S608
        f"AND ({until} IS NULL OR {until} > %s) "
        f"AND (({kind} = %s AND {value} = %s) OR ({kind} = %s AND {value} IN ({ips}))) LIMIT 1"
    )


def active_ban(
    *, site_id: int, email: str, ips: list[str], now: datetime
) -> tuple[str, datetime | None] | None:
    """(message, end or None) of a ban in force at ``now`` on the site of the e-mail
    address ``email`` (already folded) or of one of ``ips`` (an address and its networks,
    "" for none), else None."""
    using = router.db_for_read(Ban)
    field = Ban._meta.get_field("until")
    params = [site_id, field.get_db_prep_value(now, connections[using])]
    params += [BanKind.EMAIL.value, email, BanKind.IP.value, *ips]
    row = sqlfast.execute(_ban_sql(using, len(ips)), params, using=using, fetch=True)
    if row is None:
        return None
    return row[0] or "", _stored_time(row[1])


def _stored_time(value: datetime | str | None) -> datetime | None:
    """A DATETIME column as raw SQL returns it: a datetime (PostgreSQL), or SQLite's text in
    UTC."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(value)
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, UTC)
    return parsed


# --- the thread page (the fast path, before Django) -----------------------------------


@cache
def _page_state(alias: str, site_fields: tuple[str, ...]) -> tuple[str, Callable[..., list]]:
    story, version, site_id, pk = sqlfast.quoted(alias, Story, "version", "site", "pk")
    site, site_pk, *columns = sqlfast.quoted(alias, Site, "pk", *site_fields)
    selected = ", ".join([f"{story}.{version}", *(f"{site}.{c}" for c in columns)])
    fields = [
        Story._meta.get_field("version"),
        *(Site._meta.get_field(name) for name in site_fields),
    ]
    # Table and column names come from the models; the id is a parameter.
    return (
        f"SELECT {selected} FROM {story} INNER JOIN {site} "  # noqa: S608
        f"ON ({story}.{site_id} = {site}.{site_pk}) WHERE {story}.{pk} = %s",
        sqlfast.row_converter(connections[alias], fields),
    )


def story_page_state(story_id: int, site_fields: tuple[str, ...]) -> list[Any] | None:
    """The story's version, then ``site_fields`` of its site, in one query on the default
    connection, or None without such a story. The values pass through the ORM's
    converters, so they are those the model instances would hold."""
    sql, convert = _page_state(connection.alias, site_fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, [story_id])
        row = cursor.fetchone()
    return None if row is None else convert(row)


# --- after commit: is there anything to do? -----------------------------------------------


@cache
def _comment_state_sql(using: str) -> str:
    comment, c_id, story_id, site_id, parent_id, status = sqlfast.quoted(
        using, Comment, "id", "story", "site", "parent", "status"
    )
    story, s_id, version = sqlfast.quoted(using, Story, "id", "version")
    # Table and column names come from the models; the id is a parameter.
    return (
        f"SELECT {comment}.{story_id}, {comment}.{site_id}, {comment}.{parent_id}, "  # noqa: S608
        f"{comment}.{status}, {story}.{version} FROM {comment} INNER JOIN {story} "
        f"ON ({comment}.{story_id} = {story}.{s_id}) WHERE {comment}.{c_id} = %s"
    )


def comment_state(*, comment_id: int) -> tuple[int, int, int | None, str, int] | None:
    """(story id, site id, parent id, status, story version) of a comment, or None."""
    using = router.db_for_read(Comment)
    row = sqlfast.execute(_comment_state_sql(using), [comment_id], using=using, fetch=True)
    return None if row is None else tuple(row)


@cache
def _webhook_sql(using: str) -> str:
    table, site, active = sqlfast.quoted(using, Webhook, "site", "is_active")
    return f"SELECT 1 FROM {table} WHERE {site} = %s AND {active} LIMIT 1"  # noqa: S608


def webhook_active_exists(*, site_id: int) -> bool:
    """Whether the site has a webhook that is not paused."""
    using = router.db_for_read(Webhook)
    return sqlfast.execute(_webhook_sql(using), [site_id], using=using, fetch=True) is not None


@cache
def _subscription_sql(using: str) -> str:
    table, site, verified, unsubscribed = sqlfast.quoted(
        using, Subscription, "site", "verified_at", "unsubscribed_at"
    )
    return (
        f"SELECT 1 FROM {table} WHERE {site} = %s AND {verified} IS NOT NULL "  # noqa: S608
        f"AND {unsubscribed} IS NULL LIMIT 1"
    )


def subscription_active_exists(*, site_id: int) -> bool:
    """Whether any verified address on the site still takes e-mails."""
    using = router.db_for_read(Subscription)
    return sqlfast.execute(_subscription_sql(using), [site_id], using=using, fetch=True) is not None


@cache
def _digest_sql(using: str) -> str:
    digest, d_site, sent = sqlfast.quoted(using, ModeratorDigest, "site", "last_sent_at")
    qn = connections[using].ops.quote_name
    moderators = Site._meta.get_field("moderators")
    link = qn(moderators.m2m_db_table())
    l_site, l_user = qn(moderators.m2m_column_name()), qn(moderators.m2m_reverse_name())
    user_model = get_user_model()
    user, u_id, u_email = sqlfast.quoted(using, user_model, user_model._meta.pk.name, "email")
    # Table and column names come from the models; values are parameters.
    return (
        f"SELECT EXISTS(SELECT 1 FROM {digest} WHERE {d_site} = %s AND {sent} > %s), "  # noqa: S608
        f"EXISTS(SELECT 1 FROM {link} INNER JOIN {user} ON ({link}.{l_user} = {user}.{u_id}) "
        f"WHERE {link}.{l_site} = %s AND NOT ({user}.{u_email} = ''))"
    )


def digest_state(*, site_id: int, sent_after: datetime) -> tuple[Any, Any]:
    """(whether the site's last digest went out after ``sent_after``, whether one of its
    moderators has an e-mail address), as the database answers them (0/1 or booleans)."""
    using = router.db_for_read(ModeratorDigest)
    field = ModeratorDigest._meta.get_field("last_sent_at")
    cutoff = field.get_db_prep_value(sent_after, connections[using])
    recent, has_recipient = sqlfast.execute(
        _digest_sql(using), [site_id, cutoff, site_id], using=using, fetch=True
    )
    return recent, has_recipient


# --- health -------------------------------------------------------------------------------


def ping() -> None:
    """One trivial statement on the default connection; raises when the database is down."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
