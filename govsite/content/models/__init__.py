"""Content models: page types (pages.py), policy documents and their 解读 (policy.py), the unified
resource library — metadata, placements, push/repost, 索引号 allocation (library.py) — and the
recycle bin (recycle.py)."""

from govsite.content.models.library import (
    EFFECT_LEVELS,
    GENRES,
    TOPIC_CATEGORIES,
    IndexNumberAllocation,
    IndexNumberCounter,
    LibraryItemPage,
    Placement,
    PushRequest,
    item_address,
)
from govsite.content.models.pages import (
    UPDATE_PERIOD_DAYS,
    ArticlePage,
    ColumnClass,
    ColumnPage,
    HomePage,
    ItemAttachment,
    NoticePage,
    TopicPage,
)
from govsite.content.models.policy import (
    DisclosureCatalogPage,
    InterpretationPage,
    PolicyDocumentPage,
    ServiceGuidePage,
    Validity,
)
from govsite.content.models.recycle import RecycleBinEntry, RecycleBinPage

__all__ = [
    "EFFECT_LEVELS",
    "GENRES",
    "TOPIC_CATEGORIES",
    "UPDATE_PERIOD_DAYS",
    "ArticlePage",
    "ColumnClass",
    "ColumnPage",
    "DisclosureCatalogPage",
    "HomePage",
    "IndexNumberAllocation",
    "IndexNumberCounter",
    "InterpretationPage",
    "ItemAttachment",
    "LibraryItemPage",
    "NoticePage",
    "Placement",
    "PolicyDocumentPage",
    "PushRequest",
    "RecycleBinEntry",
    "RecycleBinPage",
    "ServiceGuidePage",
    "TopicPage",
    "Validity",
    "item_address",
]
