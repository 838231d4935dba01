"""Realistic Chinese government-site text for the demo 站群: news, notices, policy documents, reports and
profiles composed from phrase tables. Pure code: the same ``random.Random`` state gives the same text.

The package: ``model`` (types), ``domains`` and ``phrases`` (word lists), ``writer`` (helpers and the
article in progress), ``news`` and ``documents`` (one writer per genre), ``lifecycle`` (named policy
items) and ``services`` (办事指南). Every public name is importable from here.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime

from govsite.demo.textgen.documents import DOCUMENT_WRITERS
from govsite.demo.textgen.domains import DOMAINS, GENERIC_MEASURES
from govsite.demo.textgen.lifecycle import (
    NoticeKind,
    graphic_summary,
    interpretation_text,
    notice_with_deadline,
    policy_document,
)
from govsite.demo.textgen.model import Article, Domain, Genre, Leader, PolicyTitle, Voice
from govsite.demo.textgen.news import NEWS_WRITERS
from govsite.demo.textgen.phrases import (
    CAMPAIGNS,
    CHECKS,
    DEMANDS,
    DEPARTMENTS,
    DOC_TYPES,
    FUTURES,
    GIVEN,
    GUARANTEES,
    HOLIDAYS,
    PROBLEMS,
    SEASONS,
    SURNAMES,
    TASK_VERBS,
    TRAININGS,
    VERBS,
)
from govsite.demo.textgen.services import COMPLAINT_PHONE, SERVICE_GUIDES, ServiceGuideText
from govsite.demo.textgen.writer import (
    CN_NUMERALS,
    Writer,
    cn_date,
    cn_number,
    fill,
    person_name,
    stable_person,
)

GENERATORS: dict[Genre, Callable[[Writer], Article]] = {**NEWS_WRITERS, **DOCUMENT_WRITERS}


def generate(
    rng: random.Random, genre: Genre | str, voice: Voice, when: datetime, *, topic: str | None = None
) -> Article:
    """Write one article of ``genre`` by ``voice``, dated ``when`` (dates in the text follow it), about
    ``topic`` if given (a 专题's articles), else about a topic of the voice's field drawn from ``rng``."""
    return GENERATORS[Genre(genre)](Writer(rng, voice, when, topic))


__all__ = [
    "CAMPAIGNS",
    "CHECKS",
    "CN_NUMERALS",
    "COMPLAINT_PHONE",
    "DEMANDS",
    "DEPARTMENTS",
    "DOC_TYPES",
    "DOMAINS",
    "FUTURES",
    "GENERATORS",
    "GENERIC_MEASURES",
    "GIVEN",
    "GUARANTEES",
    "HOLIDAYS",
    "PROBLEMS",
    "SEASONS",
    "SERVICE_GUIDES",
    "SURNAMES",
    "TASK_VERBS",
    "TRAININGS",
    "VERBS",
    "Article",
    "Domain",
    "Genre",
    "Leader",
    "NoticeKind",
    "PolicyTitle",
    "ServiceGuideText",
    "Voice",
    "Writer",
    "cn_date",
    "cn_number",
    "fill",
    "generate",
    "graphic_summary",
    "interpretation_text",
    "notice_with_deadline",
    "person_name",
    "policy_document",
    "stable_person",
]
