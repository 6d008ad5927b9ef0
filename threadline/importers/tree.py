"""The shape of one story's imported thread, before anything is written.

Pure functions over plain records: which comments stand (a deleted comment only as a
tombstone above replies), where a reply to a missing parent goes (under a tombstone that
takes the parent's id), and an order in which every parent precedes its replies.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from threadline.importers.base import DELETED, ImportedComment


@dataclass
class Plan:
    ordered: list[ImportedComment] = field(default_factory=list)  # parents first
    placeholders: int = 0  # tombstones standing in for missing parents
    dropped_deleted: int = 0  # deleted comments without replies: not imported
    dropped_empty: list[ImportedComment] = field(default_factory=list)


def _placeholder(child: ImportedComment) -> ImportedComment:
    return ImportedComment(
        thread_key=child.thread_key,
        external_id=child.parent_external_id,
        created_at=child.created_at,
        status=DELETED,
        line=child.line,
        extra={"placeholder": True},
    )


def _parents_first(new: dict[str, ImportedComment]) -> list[ImportedComment]:
    placed: set[str] = set()
    order: list[ImportedComment] = []
    for item in sorted(new.values(), key=lambda c: c.created_at):
        chain: list[ImportedComment] = []
        seen: set[str] = set()
        node: ImportedComment | None = item
        while node is not None and node.external_id not in placed:
            if node.external_id in seen:  # a reply cycle: the loop's top becomes a root
                chain[-1].parent_external_id = ""
                break
            seen.add(node.external_id)
            chain.append(node)
            node = new.get(node.parent_external_id)
        for link in reversed(chain):
            placed.add(link.external_id)
            order.append(link)
    return order


def plan_thread(new: dict[str, ImportedComment], *, known: set[str], keep_deleted: bool) -> Plan:
    """``new``: comments to write, by external id, with ``body`` already converted to text;
    ``known``: external ids already stored."""
    plan = Plan()
    for item in list(new.values()):
        parent = item.parent_external_id
        if parent and parent not in new and parent not in known:
            new[parent] = _placeholder(item)
    order = _parents_first(new)
    has_reply: set[str] = set()
    kept: list[ImportedComment] = []
    for item in reversed(order):
        empty = item.status != DELETED and not item.body.strip()
        tombstone = item.status == DELETED or empty
        if tombstone and item.external_id not in has_reply and not (keep_deleted and not empty):
            if item.extra.get("placeholder"):
                continue
            if empty:
                plan.dropped_empty.append(item)
            else:
                plan.dropped_deleted += 1
            continue
        if empty:
            item.status = DELETED  # an empty comment with replies stays as their tombstone
        plan.placeholders += bool(item.extra.get("placeholder"))
        has_reply.add(item.parent_external_id)
        kept.append(item)
    plan.ordered = kept[::-1]
    return plan
