"""Every model of every installed feature, for Alembic and the shell.

Each feature names the modules holding its tables (``Feature.models``, wki/core/features.py); importing this
module imports them all, in the order the features are installed (core first).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from wki import FEATURES


def import_all_models() -> list[ModuleType]:
    names = ["wki.core.setup", *FEATURES]
    modules = []
    for name in names:
        for module in importlib.import_module(name).feature.models:
            modules.append(importlib.import_module(module))
    return modules


MODULES = import_all_models()
