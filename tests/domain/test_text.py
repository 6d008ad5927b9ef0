"""Comment text: Markdown rendering and sanitising, against hostile input."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared_path
from threadline import errors
from threadline.domain.text import (
    ALLOWED_TAGS,
    clean_line,
    clean_name,
    clean_text,
    plain_text,
    render_markdown,
    xml_safe,
)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001,ANN201
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            if tag == "ol" and name == "start" and (value or "").isdigit():
                continue  # the number a list starts from
            if name not in ("href", "title", "rel"):
                self.problems.append(f"attribute {name}")
            if name == "href" and not re.match(r"(https?:|mailto:)", (value or "").strip(), re.I):
                self.problems.append(f"href {value}")


def unsafe(html: str) -> list[str]:
    """Elements or attributes that could run script or load content: none are allowed."""
    parser = _Elements()
    parser.feed(html)
    return parser.problems


class _Danger:
    @staticmethod
    def search(html: str) -> list[str]:
        return unsafe(html)


DANGER = _Danger()


def test_markdown_features():
    html = render_markdown(
        "*em* **strong** `code`\n\n> quote\n\n- a\n- b\n\n[x](https://a.example)"
    )
    for tag in (
        "<em>em</em>",
        "<strong>strong</strong>",
        "<code>code</code>",
        "<blockquote>",
        "<li>a</li>",
    ):
        assert tag in html
    assert 'rel="nofollow ugc noopener"' in html


def test_a_list_keeps_the_number_it_starts_from_on_the_page_and_for_the_scorers():
    # "1991." must not read "1." on the page, and a number code at the start of a comment
    # ("1488. The truth will come out") is in the text the scorers read.
    assert '<ol start="1991">' in render_markdown("1991. The year Ukraine became independent.")
    assert plain_text("1488. The truth will come out.").startswith("1488.")
    assert plain_text("1. one\n2. two") == "one\ntwo"
    assert "start" not in render_markdown('<ol start="5" onclick="x">hi</ol>').split("&lt;")[0]


def test_bare_urls_are_linked():
    html = render_markdown("see https://news.example/a?b=1 now")
    assert '<a href="https://news.example/a?b=1" rel="nofollow ugc noopener">' in html


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "![i](https://a.example/i.png)",
        '<a href="javascript:alert(1)">x</a>',
        "# heading",
    ],
)
def test_no_raw_html_no_images_no_script_links(source):
    html = render_markdown(source)
    assert not DANGER.search(html), html
    assert "<h1" not in html


def _payloads():
    lines = []
    for name in (
        "markdown-xss-payloads.txt",
        "payloadsallthethings-XSS_Polyglots.txt",
        "payloadsallthethings-IntrudersXSS.txt",
        "payloadsallthethings-xss_alert.txt",
    ):
        lines += [
            ln
            for ln in shared_path("fixtures", "xss", name).read_text(errors="replace").splitlines()
            if ln.strip()
        ]
    return lines


def test_every_shared_xss_payload_renders_inert():
    payloads = _payloads()
    assert len(payloads) > 100
    for p in payloads:
        try:
            html = render_markdown(clean_text(p))
        except errors.ThreadlineError:
            continue  # refused outright (control characters): also inert
        assert not DANGER.search(html), (p, html)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_is_refused_cleanly_or_rendered_safely(text):
    try:
        cleaned = clean_text(text)
    except errors.ThreadlineError as exc:
        assert exc.status == 400
        return
    assert not DANGER.search(render_markdown(cleaned))


# --- plain sentences are rendered without markdown-it, to the same bytes ---------------

_TRICKY = st.text(
    alphabet=st.sampled_from(
        list("abcXYZ019 .,;:!?'\"()-+*_#>=~`[]<>&@/\\|\n\t") + ["é", "ß", "Ж", "中", "\u00a0"]
    ),
    max_size=80,
)


@settings(max_examples=3000, deadline=None)
@given(_TRICKY)
def test_plain_sentences_render_as_markdown_it_would(text):
    from threadline.domain.text import _markdown, _plain_paragraphs

    plain = _plain_paragraphs(text)
    if plain is not None:
        assert plain == _markdown().render(text)


def test_plain_rendering_matches_markdown_it_on_real_and_generated_comments():
    import csv
    import itertools
    import random
    import sys

    from threadline.domain.text import _markdown, _plain_paragraphs

    path = shared_path("fixtures", "toxicity", "wikipedia-toxicity_nonfuzzed_testset.csv")
    csv.field_size_limit(10**8)
    with path.open(newline="", encoding="utf-8") as f:
        rows = itertools.islice(csv.DictReader(f), 6000)
        texts = [row["comment"].replace("\r\n", "\n") for row in rows]
    sys.path.insert(0, str(shared_path("bench")))
    try:
        import commentgen  # the bench kit's comment generator (../shared/bench)
    finally:
        sys.path.pop(0)
    rng = random.Random(7)
    texts += [commentgen.make_text(rng) for _ in range(2000)]
    plain = [t for t in texts if _plain_paragraphs(t) is not None]
    assert len(plain) > 300  # the comparison covers a real share of ordinary comments
    for text in plain:
        assert _plain_paragraphs(text) == _markdown().render(text), text


@pytest.mark.parametrize(
    "text",
    [
        "See example.com for more",  # linkify would link it
        "1. first\n2. second",
        "- a list",
        "> a quote",
        "Two  \nspaces make a break",
        "a\n\n\nb",
        "Tom & Jerry",
        "    code",
        "Heading\n=======",
        "Trailing no-break space\u00a0",
    ],
)
def test_anything_that_may_be_markdown_goes_to_markdown_it(text):
    from threadline.domain.text import _plain_paragraphs

    assert _plain_paragraphs(text) is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_xml_safe_leaves_only_what_xml_1_0_can_carry(value: str) -> None:
    from xml.sax.saxutils import escape

    from lxml import etree

    etree.fromstring(f"<a>{escape(xml_safe(value))}</a>".encode("utf-8", "surrogatepass"))


def test_xml_safe_drops_controls_noncharacters_and_lone_surrogates() -> None:
    assert xml_safe("a\x01b\x0bc\ufffed\uffffe\ud800f\t\n") == "abcdef\t\n"
    assert xml_safe("\U0001f600 ok\ue000") == "\U0001f600 ok\ue000"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_line_is_one_visible_line_and_never_raises(value: str) -> None:
    out = clean_line(value, max_length=50)
    assert len(out) <= 50 and out == out.strip() and xml_safe(out) == out
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", out)


@pytest.mark.parametrize("name", ["a\u200cb", "a\u200eb", "\u00ad", "a\U000e0041"])
def test_clean_name_refuses_format_characters(name: str) -> None:
    with pytest.raises(errors.ControlCharactersError):
        clean_name(name, field="n", max_length=100)


def test_clean_name_requires_and_limits() -> None:
    with pytest.raises(errors.NameRequiredError):
        clean_name("  ", field="n", max_length=10, required=True)
    with pytest.raises(errors.ValidationError):
        clean_name("x" * 11, field="n", max_length=10)
    assert clean_name("  Ann  ", field="n", max_length=10) == "Ann"
