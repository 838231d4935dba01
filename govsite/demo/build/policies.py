"""The portal's named 政策文件 (numbered, signed and dated, one revised, one repealed, one expired) and
their 文字 and 图解 解读."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from govsite.accounts.models import User
from govsite.content.models import ColumnPage, InterpretationPage, PolicyDocumentPage, Validity
from govsite.demo import textgen
from govsite.demo.build.lifecycle import IMPORTANT_ITEMS, INTERPRETATIONS, POLICIES, Form, PolicySpec
from govsite.demo.build.pages import add_items, item_rng, mark_live, missing_slugs, on_working_day
from govsite.demo.build.pictures import demo_image, png_picture
from govsite.demo.build.voices import VOICES
from govsite.sites.models import GovSite


@dataclass(frozen=True)
class _Document:
    """A planned 政策文件: what its page, its 解读 and a later revision need to know of it."""

    spec: PolicySpec
    when: datetime
    signed: date
    name: str
    number: str

    @property
    def effective(self) -> date:
        # A 办法 takes effect 30 days after publication (textgen says so in its last article); other
        # documents on signature ("自印发之日起施行").
        return self.when.date() + timedelta(days=30) if self.spec.short_type == "办法" else self.signed


def _plan_documents(seed: int, anchor: date) -> dict[str, _Document]:
    documents: dict[str, _Document] = {}
    for spec in POLICIES:
        when = on_working_day(anchor, spec.age_days, 10)
        signed = when.date() - timedelta(days=item_rng(seed, spec.slug + ":signed").randint(2, 6))
        documents[spec.slug] = _Document(
            spec,
            when,
            signed,
            spec.name.format(year=signed.year),
            f"{spec.prefix}〔{signed.year}〕{spec.serial}号",
        )
    return documents


def _serials_per_year(documents: Sequence[_Document]) -> Iterator[tuple[_Document, int]]:
    serials: dict[int, int] = {}
    for document in documents:
        serials[document.signed.year] = serials.get(document.signed.year, 0) + 1
        yield document, serials[document.signed.year]


def _validity_changed_on(document: _Document, documents: dict[str, _Document], anchor: date) -> date | None:
    spec = document.spec
    if spec.validity == Validity.REVISED:
        return documents[spec.successor].effective
    if spec.validity == Validity.REPEALED:
        return anchor - timedelta(days=spec.repealed_age_days)
    if spec.validity == Validity.EXPIRED:
        return date(document.signed.year + 1, 1, 1)  # a programme for one year
    return None


def ensure_policies(
    seed: int, anchor: date, column: ColumnPage, owner: User, items: dict[str, int]
) -> dict[str, PolicyDocumentPage]:
    documents = _plan_documents(seed, anchor)
    missing = missing_slugs(column, list(documents))
    replaced = {spec.successor: documents[spec.slug] for spec in POLICIES if spec.successor}
    # 统一编号: numbered per year in order of signature
    by_signature = sorted(
        (d for d in documents.values() if d.spec.normative), key=lambda d: (d.signed, d.spec.slug)
    )
    register = {d.spec.slug: f"青规〔{d.signed.year}〕{n}号" for d, n in _serials_per_year(by_signature)}
    pages: list[PolicyDocumentPage] = []
    for slug in sorted(missing):
        document = documents[slug]
        spec = document.spec
        old = replaced.get(slug)
        article = textgen.policy_document(
            item_rng(seed, slug),
            VOICES[spec.voice],
            document.when,
            issuer=spec.issuer,
            number=document.number,
            signed=document.signed,
            document=textgen.PolicyTitle(document.name, spec.short_type, spec.purpose),
            replaces=f"《{old.name}》（{old.number}）" if old else "",
            topic=spec.topic,
        )
        page = PolicyDocumentPage(
            title=article.title,
            slug=slug,
            body=article.html(),
            source=article.source,
            publisher=spec.issuer,
            written_date=document.signed,
            document_number=document.number,
            topic_category=spec.topic_category,
            genre="通知",
            effect_level="行政规范性文件" if spec.normative else "其他文件",
            keywords=spec.keywords,
            validity=spec.validity,
            effective_from=document.effective,
            validity_changed_on=_validity_changed_on(document, documents, anchor),
            register_number=register.get(slug, ""),
            is_important_policy=slug in IMPORTANT_ITEMS,
        )
        pages.append(mark_live(page, document.when, owner))
    add_items(column, pages, PolicyDocumentPage, "policies", items)
    saved = {p.slug: p for p in PolicyDocumentPage.objects.child_of(column).filter(slug__in=list(documents))}
    for spec in POLICIES:
        if spec.successor and saved[spec.slug].successor_id is None:
            PolicyDocumentPage.objects.filter(pk=saved[spec.slug].pk).update(successor=saved[spec.successor])
    return saved


def ensure_interpretations(
    seed: int,
    anchor: date,
    column: ColumnPage,
    policies: dict[str, PolicyDocumentPage],
    portal: GovSite,
    owner: User,
    dry_run: bool,
    items: dict[str, int],
) -> None:
    documents = _plan_documents(seed, anchor)
    missing = missing_slugs(column, [slug for slug, _, _ in INTERPRETATIONS])
    pages: list[InterpretationPage] = []
    for slug, policy_slug, form in INTERPRETATIONS:
        if slug not in missing:
            continue
        policy, document = policies[policy_slug], documents[policy_slug]
        voice = VOICES[document.spec.voice]
        when = document.when + timedelta(hours=1)  # published with the document (“三同步”)
        image = None
        if form == Form.GRAPHIC:
            article = textgen.graphic_summary(
                item_rng(seed, slug), voice, when, document=document.name, topic=document.spec.topic
            )
            if not dry_run:
                alt = f"图解：《{document.name}》的出台背景、主要目标、重点任务和保障措施（文字版见正文）"
                image = demo_image(portal, article.title, alt, png_picture(slug, 640, 900, 4), f"{slug}.png")
        else:
            article = textgen.interpretation_text(
                item_rng(seed, slug), voice, when, document=document.name, topic=document.spec.topic
            )
        page = InterpretationPage(
            title=article.title,
            slug=slug,
            body=article.html(),
            source=article.source,
            publisher=article.publisher,
            written_date=when.date(),
            topic_category=policy.topic_category,
            genre="解读",
            keywords=policy.keywords,
            form=form,
            policy=policy,
            image=image,
        )
        pages.append(mark_live(page, when, owner))
    add_items(column, pages, InterpretationPage, "interpretations", items)
