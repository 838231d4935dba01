"""One module per text engine; each registers itself with ``govsite.checks.engine.register``."""

from __future__ import annotations

import importlib
import pkgutil


def load_all() -> None:
    """Import every engine module of this package (each registers its engine on import)."""
    for module in pkgutil.iter_modules(__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
