"""govsite's zh_Hans additions to Wagtail's admin catalogue: in use, and compiled from the .po as it is."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


def _po_entries() -> dict[str, str]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid "(.+)"$', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? "(.+)"$', block, re.M)
        if msgid and msgstr:
            entries[msgid.group(1).replace('\\"', '"')] = msgstr.group(1).replace('\\"', '"')
    return entries


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    entries = _po_entries()
    assert len(entries) == 8
    with (LOCALE / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for msgid, msgstr in entries.items():
        assert catalogue.gettext(msgid) == msgstr, msgid


def test_the_admin_strings_wagtail_left_in_english_are_chinese() -> None:
    with translation.override("zh-hans"):
        assert translation.gettext("Go to the first error") == "转到第一处错误"
        assert translation.gettext("The page could not be created due to validation errors.") == (
            "页面未能创建，请按提示更正后再提交。"
        )
        pages = translation.ngettext(
            '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
            '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
            4,
        )
        assert pages % {"total": 4, "site_name": "青山市人民政府"} == (
            '4 个页面<span class="w-sr-only">（青山市人民政府）</span>'
        )
