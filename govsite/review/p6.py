"""P6 (inspection-rules §7): personal-data exemption by configuration only.

A column marked 个人信息公示豁免 (``ColumnPage.disclosure_exempt``, with its legal basis, set by a
站点管理员) publishes personal data because a rule requires it (失信惩戒、行政处罚公示). The
personal-data findings (P1–P5) of its pages are then not kept as problems, and every time that happens
one ``review.p6_exemption`` audit row names the column, the basis and what was exempted — rule, place
and the masked form, never the personal data itself.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction
from wagtail.models import Page

from govsite.audit.log import record
from govsite.content.models import ColumnPage
from govsite.review.runner import Located

PERSONAL_DATA_RULES = frozenset({"P1", "P2", "P3", "P4", "P5"})


def exempt_column(page: Page) -> ColumnPage | None:
    """The page's column if it is exempt (one query)."""
    parent_path = page.path[: -Page.steplen]
    return ColumnPage.objects.filter(path=parent_path, disclosure_exempt=True).first()


def apply(actor: Any, page: Page, located: list[Located]) -> list[Located]:
    """``located`` without the personal-data findings when the page's column is exempt (logged)."""
    if not any(item.finding.rule in PERSONAL_DATA_RULES for item in located):
        return located
    column = exempt_column(page)
    if column is None:
        return located
    exempted = [item for item in located if item.finding.rule in PERSONAL_DATA_RULES]
    with transaction.atomic():
        record(
            actor,
            "review.p6_exemption",
            page,
            detail={
                "column": column.title,
                "column_id": column.pk,
                "basis": column.disclosure_basis,
                "rules": dict(sorted(Counter(item.finding.rule for item in exempted).items())),
                "exempted": [
                    {
                        "rule": item.finding.rule,
                        "location": item.finding.location,
                        "masked": item.finding.suggestion,
                    }
                    for item in exempted
                ],
            },
        )
    return [item for item in located if item.finding.rule not in PERSONAL_DATA_RULES]
