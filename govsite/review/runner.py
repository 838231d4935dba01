"""Runs the text engines over what a page would publish: its title, its body (as ``html_to_text`` sees
it) and the text of every attachment (``checks.attachments``), and returns located findings.

Pure of database writes: ``actions.run_checks`` decides what to keep. A file that cannot be read, or a
part of it without text (a scanned PDF page), becomes a "未检查" finding — never a silent pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument

from govsite.checks.attachments import AttachmentError, extract
from govsite.checks.engine import CheckContext, Finding, Severity, scan
from govsite.checks.text import html_to_text

CONTEXT_CHARS = 30
UNCHECKED_RULE = "T6"
UNCHECKED_ENGINE = "attachments"


@dataclass(frozen=True)
class Located:
    """A finding with the place it was found in and the text around it (for highlighting)."""

    finding: Finding
    source: str  # "title" | "body" | "attachment"
    document_id: int | None = None
    attachment_name: str = ""
    context_before: str = ""
    context_after: str = ""

    @property
    def location(self) -> str:
        return self.finding.location


def _around(text: str, start: int, end: int) -> tuple[str, str]:
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    return before, after


def _located(text: str, findings: Iterable[Finding], source: str) -> list[Located]:
    out: list[Located] = []
    for finding in findings:
        before, after = _around(text, finding.start, finding.end)
        out.append(Located(finding, source, context_before=before, context_after=after))
    return out


def body_text(body_html: str) -> str:
    return html_to_text(body_html or "")


def check_title(title: str, context: CheckContext) -> list[Located]:
    return _located(title, [replace(f, location="标题") for f in scan(title, context)], "title")


def check_body(body_html: str, context: CheckContext) -> list[Located]:
    text = body_text(body_html)
    return _located(text, [replace(f, location="正文") for f in scan(text, context)], "body")


def check_document(document: AbstractDocument, context: CheckContext) -> list[Located]:
    """Findings of one attachment file; an unreadable file or part of it is one "未检查" row each."""
    name = document.title or document.filename  # shown to people; the file name gives the format
    try:
        with document.open_file() as handle:
            data = handle.read()
        extraction = extract(data, name=document.filename)
    except (AttachmentError, OSError) as exc:
        return [_unchecked(f"附件无法检查：{exc}", document_id=document.pk, attachment_name=name)]
    out: list[Located] = []
    for segment in extraction.segments:
        for finding in scan(segment.text, context):
            before, after = _around(segment.text, finding.start, finding.end)
            located = replace(finding, location=segment.locate(finding.start, finding.end))
            out.append(
                Located(
                    located,
                    "attachment",
                    document_id=document.pk,
                    attachment_name=name,
                    context_before=before,
                    context_after=after,
                )
            )
    out.extend(
        _unchecked(f"附件部分内容未检查：{reason}", document_id=document.pk, attachment_name=name)
        for reason in extraction.unchecked
    )
    return out


def _unchecked(message: str, *, document_id: int, attachment_name: str) -> Located:
    finding = Finding(
        rule=UNCHECKED_RULE,
        severity=Severity.REVIEW,
        start=0,
        end=0,
        matched="",
        message=message,
        engine=UNCHECKED_ENGINE,
        location="",
    )
    return Located(finding, "attachment", document_id=document_id, attachment_name=attachment_name)


def attachment_document_ids(page: object) -> list[int]:
    """Document ids attached to a page object (a live page or a revision's object), in order."""
    related = getattr(page, "attachments", None)
    if related is None:
        return []
    return [att.document_id for att in related.all() if att.document_id is not None]


def check_page(page: object, context: CheckContext) -> list[Located]:
    """Title, body and attachments of a page object (documents loaded in one query)."""
    found = check_title(str(getattr(page, "title", "")), context)
    found += check_body(str(getattr(page, "body", "") or ""), context)
    ids = attachment_document_ids(page)
    documents = get_document_model().objects.in_bulk(ids)
    for doc_id in dict.fromkeys(ids):
        document = documents.get(doc_id)
        if document is not None:
            found += check_document(document, context)
    return found
