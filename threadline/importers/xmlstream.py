"""Streaming XML for the importers: lxml ``iterparse`` with every finished record cleared,
so memory stays flat however large the export is. No DTDs, entities or network.

The bytes reach lxml through ``_CappedReader``, which bounds every text node (character
data or CDATA) at ``text_cap`` bytes: the rest of an oversized node is dropped while it
streams past, and a ``<?threadline-cut N?>`` marker (N: the node's full size in bytes) is
left in its place, so a 50 MB message costs ``text_cap`` bytes, not 50 MB, and its row is
refused by the writer as ``body_too_long``. A file without a DOCTYPE is given an external
one that is never loaded (``load_dtd=False``, ``no_network``): an undefined entity such as
``&nbsp;`` then stays in the tree as a reference, which ``node_text`` keeps literally and
reports, instead of cutting the text there or failing the whole file."""

from __future__ import annotations

from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import IO

from lxml import etree

from threadline.importers.base import ImportFormatError

# Bytes kept of one text node; the writer sets a larger cap for a site with a higher
# ``max_body_length`` (see ``text_cap_for``).
MAX_TEXT_BYTES = 1 << 20
CUT_TARGET = "threadline-cut"
text_cap: ContextVar[int] = ContextVar("text_cap", default=MAX_TEXT_BYTES)
_CHUNK = 1 << 16
_MAX_KEPT_NEWLINES = 100_000  # newlines of a dropped text kept so later line numbers hold
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
    found = child_node(el, name)
    return None if found is None else node_text(found).text  # type: ignore[union-attr]


def child_node(el: etree._Element, name: str) -> etree._Element | None:
    """The first child with this local name (any namespace)."""
    for child in el:
        if localname(child) == name:
            return child
    return None


def row_notes(body: NodeText | None, *others: NodeText | None) -> dict[str, object]:
    """What the writer reports about a row: its body cut by the reader, entities kept."""
    notes: dict[str, object] = {}
    if body is not None and body.cut:
        notes["body_cut"] = body.cut
    names = sorted({n for t in (body, *others) if t is not None for n in t.entities})
    if names:
        notes["undefined_entities"] = names
    return notes


def text_cap_for(max_body_length: int) -> int:
    """The reader's cap for a site: room for the longest allowed body as HTML in UTF-8."""
    return max(MAX_TEXT_BYTES, 8 * max_body_length)


@dataclass
class NodeText:
    """An element's text: ``cut`` is the full byte size of a node the reader cut (0 when
    whole); ``entities`` the undefined entities kept literally as ``&name;``."""

    text: str
    cut: int = 0
    entities: list[str] = field(default_factory=list)


def node_text(el: etree._Element | None) -> NodeText | None:
    """The text of ``el`` with undefined entity references kept literally and the reader's
    cut marker noted; None when ``el`` is None."""
    if el is None:
        return None
    head = el.text or ""
    if not len(el):
        return NodeText(head)
    parts, found = [head], NodeText("")
    for node in el:
        if isinstance(node, etree._Entity):
            found.entities.append(node.name)
            parts.append(node.text or "")
        elif isinstance(node, etree._ProcessingInstruction) and node.target == CUT_TARGET:
            size = (node.text or "").split()
            found.cut = max(found.cut, int(size[0]) if size and size[0].isdigit() else 1)
        else:
            continue
        parts.append(node.tail or "")
    found.text = "".join(parts)
    return found


class _CappedReader:
    """A file-like view of ``fp`` whose text nodes are at most ``cap`` bytes (see module
    docstring). It follows markup only as far as it must: character data, CDATA sections,
    comments, processing instructions and other markup, each to its terminator."""

    _ENDS = {b"<![CDATA[": b"]]>", b"<!--": b"-->", b"<?": b"?>"}

    def __init__(self, fp: IO[bytes], cap: int) -> None:
        self.fp, self.cap = fp, cap
        self.buf = b""
        self.eof = False
        self.started = False
        self.end: bytes | None = None  # the terminator of the markup we are in
        self.cdata = False
        self.run = 0  # bytes of the current text node so far
        self.dropping = False  # past the cap: bytes are dropped until the node ends
        self._pos = 0
        self.newlines = 0

    def read(self, size: int = -1) -> bytes:
        out: list[bytes] = []
        while not out and not (self.eof and not self.buf):
            if not self.eof:
                data = self.fp.read(_CHUNK)
                if not data:
                    self.eof = True
                self.buf += data
            if not self.started:
                if len(self.buf) < 4096 and not self.eof:
                    continue
                self.started = True
                self.buf = _with_doctype(self.buf)
            out.append(self._scan())
            out = [b for b in out if b]
        return b"".join(out)

    def _scan(self) -> bytes:
        """Pass on what can be judged of ``self.buf``; keep the undecided tail."""
        buf, pos, out = self.buf, 0, []
        self._found: dict[bytes, int] = {}
        keep = 0 if self.eof else 9  # enough to see "<![CDATA[" or a terminator whole
        while True:
            if self.end is not None:  # inside markup: copy to its terminator
                k = buf.find(self.end, pos)
                if k < 0:
                    stop = max(pos, len(buf) - keep)
                    if self.cdata:
                        out.append(self._text(buf, pos, stop))
                    else:
                        out.append(buf[pos:stop])
                    pos = stop
                    break
                if self.cdata:
                    out.append(self._text(buf, pos, k))
                    out.append(self._close(b"]]>", b"<![CDATA["))
                    self.run = 0
                    out.append(b"]]>")
                else:
                    out.append(buf[pos : k + len(self.end)])
                pos, self.end, self.cdata = k + len(self.end), None, False
                continue
            if not self.dropping and self._fast(buf, pos, keep, out):
                pos = self._pos
                continue
            j = buf.find(b"<", pos)
            if j < 0:
                stop = len(buf)
                out.append(self._text(buf, pos, stop))
                pos = stop
                break
            if len(buf) - j < keep:  # the markup's opening is not all here yet
                out.append(self._text(buf, pos, j))
                pos = j
                break
            out.append(self._text(buf, pos, j))
            out.append(self._close(b"", b""))
            self.run = 0
            opener = next((o for o in self._ENDS if buf.startswith(o, j)), b"<")
            self.end = self._ENDS.get(opener, b">")
            self.cdata = opener == b"<![CDATA["
            out.append(buf[j : j + len(opener)])
            pos = j + len(opener)
        self.buf = buf[pos:]
        return b"".join(out)

    def _next(self, buf: bytes, pos: int, opener: bytes) -> int:
        """The next ``opener`` at or after ``pos`` (-1: none), searched once per buffer."""
        found = self._found.get(opener, -2)
        if found == -1 or found >= pos:
            return found
        found = self._found[opener] = buf.find(opener, pos)
        return found

    def _fast(self, buf: bytes, pos: int, keep: int, out: list[bytes]) -> bool:
        """Pass plain tags and text up to the next ``<!`` or ``<?`` in one step when no
        run between two ``<`` can reach the cap (tags count too: an overestimate)."""
        ends = [self._next(buf, pos, opener) for opener in (b"<!", b"<?")]
        ends = [k for k in ends if k >= 0]
        stop = min(ends) if ends else len(buf) - keep
        if stop - pos < 256:
            return False
        last = buf.rfind(b"<", pos, stop)
        gt = buf.find(b">", last, stop) if last >= 0 else -1
        if gt < 0:
            return False
        pieces = buf[pos:stop].split(b"<")
        if self.run + len(pieces[0]) > self.cap or max(map(len, pieces)) > self.cap:
            return False
        out.append(buf[pos:stop])
        self.run, self._pos = stop - gt - 1, stop
        return True

    def _text(self, buf: bytes, start: int, stop: int) -> bytes:
        """Text bytes ``buf[start:stop]`` of the current node, up to the cap."""
        if start >= stop:
            return b""
        if self.dropping:
            self.run += stop - start
            self.newlines += buf.count(b"\n", start, stop)
            return b""
        if self.run + (stop - start) <= self.cap:
            self.run += stop - start
            return buf[start:stop]
        cut = start + (self.cap - self.run)
        while cut > start and buf[cut] & 0xC0 == 0x80:  # not inside a UTF-8 sequence
            cut -= 1
        amp = buf.rfind(b"&", max(start, cut - 64), cut)
        if not self.cdata and amp >= 0 and buf.find(b";", amp, cut) < 0:
            cut = amp  # not inside an entity or character reference
        self.dropping = True
        self.run += stop - start
        self.newlines = buf.count(b"\n", cut, stop)
        return buf[start:cut]

    def _close(self, before: bytes, after: bytes) -> bytes:
        """The cut marker when the node that just ended was cut, else nothing."""
        if not self.dropping:
            return b""
        self.dropping = False
        lines = b"\n" * min(self.newlines, _MAX_KEPT_NEWLINES)
        return before + b"<?%s %d%s?>" % (CUT_TARGET.encode(), self.run, lines) + after


def _with_doctype(head: bytes) -> bytes:
    """``head`` with an unloaded external DOCTYPE after the XML declaration when it has
    none, so that an undefined entity is a reference node rather than a fatal error."""
    if b"<!DOCTYPE" in head or b"<!doctype" in head:
        return head
    start = len(head) - len(head.lstrip(b"\xef\xbb\xbf \t\r\n"))
    if head.startswith(b"<?xml", start):
        end = head.find(b"?>", start)
        if end < 0:
            return head
        start = end + 2
    return head[:start] + b'<!DOCTYPE threadline-import SYSTEM "about:invalid">' + head[start:]


def _refuse_external_entities(el: etree._Element) -> None:
    """Refuse a file whose DOCTYPE declares an external entity (``SYSTEM`` or ``PUBLIC``,
    a parameter entity too): it is never read or fetched, but an export has no business
    pointing at files or addresses, so the whole file is refused (XXE)."""
    dtd = el.getroottree().docinfo.internalDTD
    if dtd is None:
        return
    for entity in dtd.iterentities():
        if entity.system_url:
            raise ImportFormatError(
                f"the DOCTYPE declares the external entity {entity.name!r} "
                f"({entity.system_url[:80]!r}); files with external entities are refused",
                line=1,
            )


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
        _CappedReader(fp, text_cap.get()),
        events=("end",),
        tag=[f"{{*}}{t}" for t in tags],
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=True,
        remove_comments=True,
    )
    checked = False
    try:
        for _event, el in parser:
            if not checked:  # before the first record is handed on, so nothing is written
                _refuse_external_entities(el)
                checked = True
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
