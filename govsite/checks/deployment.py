"""The deployment's lists as ``CheckContext.extra`` for the T1 and T3 engines."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from govsite.checks.models import OutdatedName, ProtectedTerm


def deployment_extra(on: date) -> dict[str, list[Any]]:
    """``{"terms": [...], "outdated_names": [...]}`` for text dated ``on``: the protected terms valid on
    that day (a leader only during his term of office) and every outdated name (the engine compares the
    effective date with the text's date). One query per list."""
    valid = (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )
    terms: list[Any] = []
    for kind, term, name, title in (
        ProtectedTerm.objects.filter(valid).order_by("pk").values_list("kind", "term", "name", "title")
    ):
        if kind == ProtectedTerm.Kind.LEADER:
            terms.append({"name": name, "title": title})
        else:
            terms.append({"term": term, "kind": kind})
    outdated: list[Any] = []
    for old, new, effective, brand, source in OutdatedName.objects.order_by("pk").values_list(
        "old_name", "new_name", "effective_date", "still_valid_as_brand", "source"
    ):
        row: dict[str, Any] = {
            "old": old,
            "new": new,
            "effective_date": effective.isoformat(),
            "still_valid_as_brand": brand,
        }
        if source:
            row["source"] = source
        outdated.append(row)
    return {"terms": terms, "outdated_names": outdated}
