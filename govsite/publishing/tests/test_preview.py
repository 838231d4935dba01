"""Preview = published (issue 5 item 7): the admin preview of an item is the publisher's file, byte for
byte, for a saved draft and for a page not yet created."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from govsite.content.models import ArticlePage
from govsite.publishing import actions
from govsite.publishing.serve import find_file
from govsite.testing import factories as f

pytestmark = pytest.mark.django_db


def test_the_preview_of_an_edit_is_the_file_publishing_writes(personas: Any) -> None:
    col = f.column(personas.site_a, "政务要闻", responsible_unit=personas.unit_a, slug="zwyw")
    item = f.article(col, "原标题")
    client = Client()
    client.force_login(personas.site_admin_a)
    edit = reverse("wagtailadmin_pages:edit", args=[item.pk])
    data = querydict_from_html(client.get(edit).content.decode(), form_id="page-edit-form")
    data["title"] = "预览中的新标题"

    assert client.post(reverse("wagtailadmin_pages:preview_on_edit", args=[item.pk]), data).json()["is_valid"]
    preview = client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[item.pk])).content

    assert "预览中的新标题" in preview.decode()
    assert '<link rel="stylesheet" href="/static/govsite.css">' in preview.decode()
    # Publish that version from the same form: the published file has exactly the preview's bytes.
    data["action-publish"] = "action-publish"
    assert client.post(edit, data).status_code == 302
    assert ArticlePage.objects.get(pk=item.pk).title == "预览中的新标题"
    actions.publish_site(personas.site_a)
    published = find_file(personas.site_a.code, "/" + f.public_url(ArticlePage.objects.get(pk=item.pk)))
    assert published is not None
    assert published.read_bytes() == preview
