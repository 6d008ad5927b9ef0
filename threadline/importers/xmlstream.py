"""Streaming XML for the importers: lxml ``iterparse`` with every finished record cleared,
so memory stays flat however large the export is. No DTDs, entities or network."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from lxml import etree

from threadline.importers.base import ImportFormatError

_LOCAL: dict[str, str] = {}  # qualified tag -> local name; exports use a few dozen tags


def _local(tag: str) -> str:
    name = tag[tag.rfind("}") + 1 :]
    if len(_LOCAL) < 4096:  # bounded: a hostile file may use any number of tags
        _LOCAL[tag] = name
    return name


def localname(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return _LOCAL.get(tag) or _local(tag)


def children(el: etree._Element) -> dict[str, etree._Element]:
    """The first child of each local name, read in one pass."""
    found: dict[str, etree._Element] = {}
    names = _LOCAL
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        name = names.get(tag) or _local(tag)
        if name not in found:
            found[name] = child
    return found


def child_text(el: etree._Element, name: str) -> str | None:
    """Text of the first child with this local name (any namespace); None when absent."""
    for child in el:
        if localname(child) == name:
            return child.text or ""
    return None


def iter_records(fp: IO[bytes], tags: tuple[str, ...]) -> Iterator[etree._Element]:
    """Yield each element whose local name is in ``tags`` once it is complete, then free it.

    A file that is not well-formed raises ``ImportFormatError`` naming the line and problem.
    """
    head = fp.read(64)
    fp.seek(0)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped and not stripped.startswith(b"<"):
        raise ImportFormatError(
            f"stray bytes {stripped[:8]!r} before the XML declaration; the file must start "
            "with '<?xml' or '<'",
            line=1,
        )
    parser = etree.iterparse(
        fp,
        events=("end",),
        tag=[f"{{*}}{t}" for t in tags],
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_comments=True,
    )
    try:
        for _event, el in parser:
            parent = el.getparent()
            if parent is not None and localname(parent) in tags:
                continue  # a reference inside a record (a post's <thread/>): read with it
            yield el
            # Free what was read: this record and the siblings before it.
            el.clear(keep_tail=False)
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else None)
        message = str(exc.msg or exc).split(", line ")[0]
        raise ImportFormatError(f"{message} (not well-formed XML)", line=line) from exc


def parse_bool(value: str | None, *, line: int, name: str) -> bool:
    text = (value or "").strip().lower()
    if text in ("", "false", "0"):
        return False
    if text in ("true", "1"):
        return True
    from threadline.importers.base import BadRecordError

    raise BadRecordError(line, f"<{name}> is {text!r}, not true or false")
