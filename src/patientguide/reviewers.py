"""The reviewers file: who may be named in ``reviewed_by`` (name, credentials, role, interests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def load_reviewers(path: Path) -> dict[str, dict[str, Any]]:
    """``{id: {name, credentials, role, conflicts_of_interest}}``; an unreadable file gives ``{}``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    if isinstance(data, dict) and isinstance(data.get("reviewers"), dict):
        data = data["reviewers"]
    return {str(k): (v if isinstance(v, dict) else {"name": str(v)}) for k, v in data.items()} if isinstance(data, dict) else {}
