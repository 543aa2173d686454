"""Coverage of the law: every catalogue row of a profile's regime has a criterion or a reason.

The first tests hold the real profiles to that rule; the rest show the rule and the checks can fail.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conformance.catalogue.coverage import Coverage, coverage_of
from conformance.catalogue.law import rows_of_regime
from conformance.catalogue.loader import load_profile
from conformance.errors import ConfigError
from tests.conftest import ROOT, run_cli

PROFILES = sorted(p.parent for p in (ROOT / "profiles").glob("*/profile.yaml"))


def accounting_problems(cov: Coverage) -> list[str]:
    """What the suite refuses, each said so that whoever reads it knows the line to add or delete."""
    out = []
    if cov.unaccounted:
        out.append(
            f"{cov.profile['id']}: rows with neither a criterion nor a reason (add a criterion, or a line "
            f"'ROW: {{kind: gap}}' to {cov.reasons_file or 'coverage.yaml'}): {', '.join(cov.unaccounted)}"
        )
    for r in cov.stale:
        out.append(f"{cov.profile['id']}: stale reason, {r.row} now has a criterion: delete {r.where}")
    for cid, rid in cov.outside_regime:
        out.append(
            f"{cov.profile['id']}: criterion {cid} verifies {rid}, which is not in regime {cov.regime} "
            f"(drop it with 'remove: [{cid}]' or fix its 'covers')"
        )
    for cid in cov.orphans:
        out.append(f"{cov.profile['id']}: criterion {cid} names no catalogue row (use a catalogue ID)")
    return out


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_every_row_of_the_regime_is_accounted_for(profile: Path) -> None:
    cov = coverage_of(load_profile(profile))
    problems = accounting_problems(cov)
    assert not problems, "\n".join(problems)
    assert [r.row.id for r in cov.rows] == list(rows_of_regime(cov.regime))


@pytest.mark.parametrize(("profile", "regime", "n"), [("vn-2020", "2020", 195), ("vn-2025", "2025", 235)])
def test_json_lists_every_row_once(profile: str, regime: str, n: int) -> None:
    proc = run_cli("coverage", f"profiles/{profile}", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    ids = [r["id"] for r in data["rows"]]
    assert data["regime"] == regime and len(ids) == len(set(ids)) == n
    assert ids == list(rows_of_regime(regime)) and sum(data["counts"].values()) == n
    by_id = {r["id"]: r for r in data["rows"]}
    assert by_id["DS-006"]["status"] == "automated" and by_id["DS-006"]["criteria"][0]["id"] == "DS-006"
    assert by_id["SR-074"]["status"] == "manual"
    assert by_id["DS-037"]["criteria"] == [
        {"id": "SR-063", "channel": "api", "level": "bat-buoc", "automated": True, "via": "covers"}
    ]
    gap = next(r for r in data["rows"] if r["status"] == "gap")
    assert gap["gap"] is True and gap["reason"]["source"].startswith("profiles/vn-2020/coverage.yaml:")
    assert data["counts"]["gap"] == len(data["gaps"]) > 0


def test_terminal_table_shows_gaps_plainly() -> None:
    proc = run_cli("coverage", "profiles/vn-2020", env={"COLUMNS": "160"})
    assert proc.returncode == 0, proc.stderr
    assert "KHOẢNG TRỐNG" in proc.stdout and "dòng là khoảng trống: chưa có tiêu chí kiểm tra" in proc.stdout
    assert "195 dòng của chế độ 2020" in proc.stdout
    only = run_cli("coverage", "profiles/vn-2020", "--only", "automated", env={"COLUMNS": "160"})
    gaps = json.loads(run_cli("coverage", "profiles/vn-2020", "--json").stdout)["gaps"]
    assert "DS-006" in only.stdout and f"{gaps[0]} " not in only.stdout
    assert run_cli("coverage", "profiles/vn-2020", "--strict").returncode == 1  # gaps remain today


# -- the rule can fail ----------------------------------------------------------------------------------
@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    """A copy of both national profiles that a test may break."""
    for name in ("vn-2020", "vn-2025"):
        shutil.copytree(ROOT / "profiles" / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _gap_row(profiles: Path) -> str:
    """A row vn-2020 gives a reason for and vn-2025 inherits, its reason rewritten as a plain
    ``{kind: gap}`` line (the reasons shrink and change as criteria are added)."""
    rows25 = {r.row.id for r in coverage_of(load_profile(profiles / "vn-2025")).rows}
    f = profiles / "vn-2020" / "coverage.yaml"
    text = f.read_text("utf-8")
    block = re.compile(r"^  ([A-Z]{2}-\d{3}[a-z]?):.*\n(?:    .*\n)*", re.M)
    m = next(m for m in block.finditer(text) if m.group(1) in rows25)
    f.write_text(text[: m.start()] + f"  {m.group(1)}: {{kind: gap}}\n" + text[m.end() :], "utf-8")
    return m.group(1)


def _add_reason(path: Path, row: str, reason: str = "{kind: gap}") -> None:
    _edit(path, "reasons:\n", f"reasons:\n  {row}: {reason}\n")


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line)


def test_a_row_with_neither_criterion_nor_reason_fails(profiles: Path) -> None:
    row = _gap_row(profiles)
    _edit(profiles / "vn-2020" / "coverage.yaml", f"  {row}: {{kind: gap}}\n", "")
    cov = coverage_of(load_profile(profiles / "vn-2020"))
    assert cov.unaccounted == [row]
    assert row in accounting_problems(cov)[0]
    assert coverage_of(load_profile(profiles / "vn-2025")).unaccounted == [row]  # inherited
    proc = run_cli("coverage", str(profiles / "vn-2020"))
    assert proc.returncode == 1 and row in proc.stderr and "không có lý do" in proc.stderr


def test_a_reason_for_a_row_that_does_not_exist_names_file_and_line(profiles: Path) -> None:
    f = profiles / "vn-2020" / "coverage.yaml"
    _add_reason(f, "SR-999")
    with pytest.raises(ConfigError) as exc:
        coverage_of(load_profile(profiles / "vn-2020"))
    assert f"coverage.yaml:{_line_of(f, 'SR-999')}: reasons.SR-999: không có dòng SR-999" in str(exc.value)
    for args in (("coverage", str(profiles / "vn-2020")), ("validate", str(profiles / "vn-2020"))):
        proc = run_cli(*args)
        assert proc.returncode == 2 and f":{_line_of(f, 'SR-999')}: reasons.SR-999:" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_a_reason_for_a_covered_row_is_stale_and_says_which_line_to_delete(profiles: Path) -> None:
    f = profiles / "vn-2020" / "coverage.yaml"
    _add_reason(f, "DS-006")
    cov = coverage_of(load_profile(profiles / "vn-2020"))
    line = _line_of(f, "DS-006")
    assert [r.row for r in cov.stale] == ["DS-006"]
    assert accounting_problems(cov) == [
        f"vn-2020: stale reason, DS-006 now has a criterion: delete {cov.reasons_file}:{line}"
    ]
    proc = run_cli("coverage", str(profiles / "vn-2020"))
    assert proc.returncode == 0 and f"coverage.yaml:{line}: DS-006:" in proc.stderr and "xóa" in proc.stderr
    assert run_cli("coverage", str(profiles / "vn-2020"), "--strict").returncode == 1
    # the child profile inherits the reason but did not write it: not stale there
    assert coverage_of(load_profile(profiles / "vn-2025")).stale == []


def test_a_reason_outside_the_regime_is_an_error_but_inherited_ones_are_dropped(profiles: Path) -> None:
    f20, f25 = profiles / "vn-2020" / "coverage.yaml", profiles / "vn-2025" / "coverage.yaml"
    cov25 = coverage_of(load_profile(profiles / "vn-2025"))
    assert "AR-046" not in {r.row.id for r in cov25.rows}  # TT 02/2019 only; vn-2020 gives a reason
    _add_reason(f20, "TR-016")
    with pytest.raises(ConfigError, match=r"reasons.TR-016: dòng TR-016 không thuộc chế độ 2020"):
        coverage_of(load_profile(profiles / "vn-2020"))
    _edit(f20, "  TR-016: {kind: gap}\n", "")
    _add_reason(f25, "AR-046")
    with pytest.raises(
        ConfigError, match=r"coverage.yaml:\d+: reasons.AR-046: dòng AR-046 không thuộc chế độ 2025"
    ):
        coverage_of(load_profile(profiles / "vn-2025"))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  {row}: {{kind: gap}}\n", "  {row}: {{kind: pending}}\n", "reasons.{row}.kind: giá trị 'pending'"),
        (
            "  {row}: {{kind: gap}}\n",
            "  {row}: {{kind: out-of-scope}}\n",
            "reasons.{row}: thiếu trường bắt buộc note",
        ),
        ("  {row}: {{kind: gap}}\n", "  {row}: {{kind: gap, why: x}}\n", "trường không được phép: why"),
        ("reasons:\n", "reason:\n", "thiếu trường bắt buộc reasons"),
    ],
)
def test_a_malformed_reasons_file_names_line_and_field(
    profiles: Path, old: str, new: str, message: str
) -> None:
    row = _gap_row(profiles)
    _edit(profiles / "vn-2020" / "coverage.yaml", old.format(row=row), new.format(row=row))
    with pytest.raises(ConfigError) as exc:
        coverage_of(load_profile(profiles / "vn-2020"))
    assert message.format(row=row) in str(exc.value) and "coverage.yaml:" in str(exc.value)


def test_covers_counts_for_coverage_and_is_checked(profiles: Path) -> None:
    g = profiles / "vn-2020" / "gui-nhan.yaml"
    gap = next(r.row.id for r in coverage_of(load_profile(profiles / "vn-2020")).rows if r.status == "gap")
    _edit(g, "covers: [DS-037]", f"covers: [DS-037, {gap}]")
    cov = coverage_of(load_profile(profiles / "vn-2020"))
    assert [r.row for r in cov.stale] == [gap]  # SR-063 now verifies it, so its gap line is stale
    _edit(g, f"covers: [DS-037, {gap}]", "covers: [DS-037, SR-999]")
    with pytest.raises(ConfigError) as exc:
        load_profile(profiles / "vn-2020")
    assert f"gui-nhan.yaml:{_line_of(g, 'SR-999')}: criteria[1].covers[1]: không có dòng SR-999" in str(
        exc.value
    )
    _edit(g, "covers: [DS-037, SR-999]", "covers: [SR-063]")
    with pytest.raises(ConfigError, match="dòng của chính tiêu chí"):
        load_profile(profiles / "vn-2020")


def test_criteria_outside_the_regime_or_the_catalogue_are_reported(profiles: Path) -> None:
    g = profiles / "vn-2020" / "gui-nhan.yaml"
    _edit(g, "covers: [DS-037]", "covers: [DS-037, TR-016]")
    _edit(g, "  - id: SR-069\n", "  - id: SR-007\n")  # SR-007 is a gap in the catalogue's numbering
    _add_reason(profiles / "vn-2020" / "coverage.yaml", "SR-069")
    cov = coverage_of(load_profile(profiles / "vn-2020"))
    assert cov.outside_regime == [("SR-063", "TR-016")] and cov.orphans == ["SR-007"]
    problems = accounting_problems(cov)
    assert any("SR-063 verifies TR-016" in p for p in problems)
    assert any("SR-007 names no catalogue row" in p for p in problems)
    assert coverage_of(load_profile(profiles / "vn-2025")).outside_regime == []  # TR-016 is a 2025 row


def test_a_profile_without_reasons_file_leaves_every_uncovered_row_unaccounted(profiles: Path) -> None:
    (profiles / "vn-2020" / "coverage.yaml").unlink()
    cov = coverage_of(load_profile(profiles / "vn-2020"))
    counts = cov.counts()  # rows verified by a criterion (automated or manual) need no reason
    assert cov.reasons_file is None and len(cov.unaccounted) == 195 - counts["automated"] - counts["manual"]


def test_prune_deletes_exactly_the_stale_reasons(profiles: Path) -> None:
    f = profiles / "vn-2020" / "coverage.yaml"
    original = f.read_text("utf-8")
    block = "  DS-007:\n    kind: out-of-scope\n    note:\n      vi: cũ\n      en: old\n    see: OQ-30\n"
    _edit(f, "reasons:\n", "reasons:\n  DS-006: {kind: gap}\n" + block)
    proc = run_cli("coverage", str(profiles / "vn-2020"), "--prune", "--strict", "--only", "automated")
    assert "đã xóa lý do cũ DS-006" in proc.stderr and "đã xóa lý do cũ DS-007" in proc.stderr
    assert f.read_text("utf-8") == original
    assert coverage_of(load_profile(profiles / "vn-2020")).stale == []
