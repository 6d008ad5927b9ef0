from __future__ import annotations

import io

import pytest
from lxml import etree

from tests.factories import SiteFactory
from tests.importers.conftest import fixture
from threadline.actions.imports import import_run
from threadline.exporters.disqus import export_disqus
from threadline.models import Comment

pytestmark = pytest.mark.django_db


def test_disqus_export_is_well_formed_and_imports_back_with_the_same_tree() -> None:
    source = SiteFactory(name="old")
    with open(fixture("disqus", "isso-tests-disqus.xml"), "rb") as fp:
        import_run(site_name="old", fp=fp)
    xml = "".join(export_disqus(site=source)).encode()
    root = etree.fromstring(xml)
    ns = {"d": "http://disqus.com"}
    assert len(root.findall("d:thread", ns)) == 2 and len(root.findall("d:post", ns)) == 5
    SiteFactory(name="back")
    report = import_run(site_name="back", fp=io.BytesIO(xml))
    assert report.created == 5
    old = {c.body: (c.depth, c.status) for c in Comment.objects.filter(site__name="old")}
    new = {c.body: (c.depth, c.status) for c in Comment.objects.filter(site__name="back")}
    assert old == new


def test_cdata_terminator_in_a_comment_is_split() -> None:
    from threadline.exporters.disqus import _cdata

    assert _cdata("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>"
    assert etree.fromstring(f"<m>{_cdata('a]]>b')}</m>".encode()).text == "a]]>b"


def test_disqus_export_drops_characters_xml_cannot_carry(story) -> None:
    from tests.factories import post_comment
    from threadline.models import Story

    comment = post_comment(story, "odd \ufffe body").comment
    Comment.objects.filter(pk=comment.pk).update(author_name="Bo\x07b")
    Story.objects.filter(pk=story.pk).update(title="Bad\x01 title")
    xml = "".join(export_disqus(site=story.site)).encode()
    root = etree.fromstring(xml)
    ns = {"d": "http://disqus.com"}
    assert root.find("d:thread/d:title", ns).text == "Bad title"
    assert root.find("d:post/d:author/d:name", ns).text == "Bob"
    assert "odd  body" in root.find("d:post/d:message", ns).text
