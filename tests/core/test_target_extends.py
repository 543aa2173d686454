"""A target that ``extends:`` another: merged one level deep, each problem in the file it is written in."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conformance.errors import ConfigError
from conformance.target import load_target

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "targets" / "reference.yaml"


@pytest.fixture
def base_dir(tmp_path: Path) -> Path:
    shutil.copy(BASE, tmp_path / "reference.yaml")
    return tmp_path


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reference_ui_is_reference_with_the_pages_bindings() -> None:
    http, ui = load_target(BASE), load_target(ROOT / "targets" / "reference-ui.yaml")
    assert set(ui.operations) == set(http.operations)
    differs = {op for op in http.operations if ui.operations[op] != http.operations[op]}
    assert differs and all("ui" in ui.operations[op] for op in differs)
    assert ui.exchange == http.exchange and ui.auth == http.auth and ui.ui == http.ui
    assert ui.sha256 != http.sha256  # the report's target digest covers both files


def test_entries_replace_whole_and_null_removes(base_dir: Path) -> None:
    child = _write(
        base_dir / "staging.yaml",
        "extends: reference.yaml\n"
        "target: {base_url: 'https://staging.example.vn'}\n"
        "capabilities: {areas: [lap-ho-so]}\n"
        "operations:\n"
        "  dossier.get: {http: {method: GET, path: '/v2/dossiers/${in.id}', as: chuyen_vien}}\n"
        "  clock.set: null\n"
        "exchange: null\n",
    )
    t = load_target(child)
    base = load_target(base_dir / "reference.yaml")
    assert t.base_url == "https://staging.example.vn" and t.name == base.name
    assert t.areas == ("lap-ho-so",) and t.features == base.features
    assert t.operations["dossier.get"]["http"]["path"] == "/v2/dossiers/${in.id}"
    assert "clock.set" not in t.operations and "clock.reset" in t.operations
    assert t.exchange is None
    assert t.path.endswith("staging.yaml")


def test_problem_names_the_file_that_holds_the_value(base_dir: Path) -> None:
    data = yaml.safe_load((base_dir / "reference.yaml").read_text("utf-8"))
    data["operations"]["dossier.close"]["http"]["as"] = "ke_toan"  # a role no file declares
    (base_dir / "reference.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    child = _write(
        base_dir / "child.yaml",
        "extends: reference.yaml\noperations:\n  dossier.get: {http: {method: GET, path: /x, as: nobody}}\n",
    )
    with pytest.raises(ConfigError) as exc:
        load_target(child)
    where = {(Path(p.file).name, p.field) for p in exc.value.problems}
    assert ("reference.yaml", "operations.dossier.close.http.as") in where
    assert all(p.line for p in exc.value.problems)


def test_child_problem_has_its_line(base_dir: Path) -> None:
    child = _write(
        base_dir / "child.yaml",
        "extends: reference.yaml\n\noperations:\n"
        "  dossier.get: {http: {method: GET, path: /x, as: nobody}}\n",
    )
    with pytest.raises(ConfigError) as exc:
        load_target(child)
    [p] = exc.value.problems
    assert Path(p.file).name == "child.yaml" and p.line == 4 and p.field == "operations.dossier.get.http.as"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("extends: missing.yaml\n", "không có tệp"),
        ("extends: child.yaml\n", "vòng lặp"),
        ("extends: ''\n", "extends"),
    ],
)
def test_bad_extends_is_one_clear_problem(base_dir: Path, text: str, words: str) -> None:
    child = _write(base_dir / "child.yaml", text)
    with pytest.raises(ConfigError) as exc:
        load_target(child)
    assert any(words in p.message and Path(p.file).name == "child.yaml" for p in exc.value.problems)


def test_validate_recognises_an_extending_target() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "conformance", "validate", "targets/reference-ui.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "reference-ui.yaml" in out.stdout and "tệp đích" in out.stdout
