"""`remove:` works in any file a profile includes (an area drops its own inherited rows), with the
error pointing at that file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.catalogue.loader import load_profile
from conformance.errors import ConfigError
from tests.conftest import ROOT

HEAD = """profile:
  id: child
  version: "1"
  title: {vi: Con, en: Child}
  regime: "2025"
  valid_as_of: "2026-11-01"
  extends: %s
  include: [area.yaml]
"""


def _child(tmp_path: Path, area: str) -> Path:
    (tmp_path / "profile.yaml").write_text(HEAD % (ROOT / "profiles" / "vn-2020" / "profile.yaml"), "utf-8")
    (tmp_path / "area.yaml").write_text(area, "utf-8")
    return tmp_path


def test_included_file_removes_inherited_criteria(tmp_path: Path) -> None:
    base = load_profile(ROOT / "profiles" / "vn-2020")
    child = load_profile(_child(tmp_path, "remove:\n  - TR-014a\n"))
    assert "TR-014a" in base.criteria and "TR-014a" not in child.criteria
    assert set(base.criteria) - set(child.criteria) == {"TR-014a"}


def test_unknown_removal_in_an_included_file_is_located(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_profile(_child(tmp_path, "# comment\nremove:\n  - TR-999\n"))
    text = str(err.value)
    assert "area.yaml:3" in text and "TR-999" in text
