"""The agencies' comparison: three runs side by side, scores that follow the weights, knock-outs."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.report.compare import build, load_weights, render, score
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    d = tmp_path_factory.mktemp("cmp")
    out = []
    for name, faults in (
        ("sach", []),
        ("loi-a", ["dossier_title_length_unchecked"]),
        ("loi-b", ["dossier_start_date_optional"]),
    ):
        args = ["run", "-m", "lap_ho_so", "--no-pdf", "--run-dir", str(d / name)]
        for f in faults:
            args += ["--fault", f]
        proc = run_cli(*args)
        assert proc.returncode in (0, 1), proc.stdout + proc.stderr
        out.append(d / name)
    return out


def weights_file(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "weights.yaml"
    p.write_text(text, "utf-8")
    return p


def test_differing_criteria_are_side_by_side(runs: list[Path], tmp_path: Path) -> None:
    view = build(runs, load_weights(None), tmp_path)
    assert view["aligned"]
    rows = {r["id"]: r for a in view["areas"] for r in a["rows"]}
    assert {cid for cid, r in rows.items() if r["differs"]} == {"DS-006", "DS-010"}
    assert [c["result"] for c in rows["DS-006"]["cells"]] == ["pass", "fail", "pass"]
    assert [c["result"] for c in rows["DS-010"]["cells"]] == ["pass", "pass", "fail"]
    assert rows["DS-006"]["cells"][1]["href"].startswith("../")


def test_scores_follow_the_weights(runs: list[Path], tmp_path: Path) -> None:
    w = load_weights(weights_file(tmp_path, "criteria: {DS-006: 5}\nareas: {lap-ho-so: 1}\n"))
    view = build(runs, w, tmp_path)
    scores = [c["score"]["value"] for c in view["columns"]]
    n = len(view["areas"][0]["rows"])  # every other criterion weighs 1
    assert scores[0] == 100.0
    assert scores[1] == round(100 * (n - 1) / (n + 4), 1)  # loses the weight-5 criterion
    assert scores[2] == round(100 * (n + 3) / (n + 4), 1)  # loses a weight-1 criterion
    assert scores[2] > scores[1]


def test_failed_knock_out_gives_no_score(runs: list[Path], tmp_path: Path) -> None:
    w = load_weights(weights_file(tmp_path, "must: [DS-010]\n"))
    view = build(runs, w, tmp_path)
    s = [c["score"] for c in view["columns"]]
    assert s[0]["value"] == 100.0 and s[1]["value"] is not None
    assert s[2]["value"] is None and s[2]["knocked_out_by"] == ["DS-010"]
    assert "loại" in render(view)


def test_page_is_deterministic(runs: list[Path], tmp_path: Path) -> None:
    w = weights_file(tmp_path, "title: Ủy ban nhân dân tỉnh — lựa chọn 2027\nmust: [DS-011]\n")
    a = run_cli("compare", *map(str, runs), "--weights", str(w), "--out", str(tmp_path / "a"), "--no-pdf")
    b = run_cli("compare", *map(str, runs), "--weights", str(w), "--out", str(tmp_path / "a"), "--no-pdf")
    assert a.returncode == 0 and b.returncode == 0, a.stderr
    first = (tmp_path / "a" / "compare.html").read_bytes()
    run_cli("compare", *map(str, runs), "--weights", str(w), "--out", str(tmp_path / "a"), "--no-pdf")
    assert (tmp_path / "a" / "compare.html").read_bytes() == first
    assert "lựa chọn 2027" in first.decode()


def test_different_profiles_are_not_aligned(runs: list[Path], tmp_path: Path) -> None:
    other = tmp_path / "v25"
    assert (
        run_cli(
            "run", "--profile", "profiles/vn-2025", "-m", "lap_ho_so", "--no-pdf", "--run-dir", str(other)
        ).returncode
        == 0
    )
    view = build([runs[0], other], load_weights(None), tmp_path)
    assert not view["aligned"] and all(c["score"] is None for c in view["columns"])
    assert any("vn-2025" in d for d in view["differences"])
    assert "Không so sánh được" in render(view)


def test_score_ignores_not_applicable() -> None:
    crit = [
        {"id": "SR-061", "area": "gui-nhan", "result": "not_applicable"},
        {"id": "SR-063", "area": "gui-nhan", "result": "pass"},
    ]
    assert score(crit, {"areas": {}, "criteria": {}, "must": []})["value"] == 100.0


def test_bad_weights_file_names_line_and_field(tmp_path: Path) -> None:
    from conformance.errors import ConfigError

    with pytest.raises(ConfigError) as exc:
        load_weights(weights_file(tmp_path, "areas:\n  lap-ho-so: nhiều\n"))
    assert ":2: areas.lap-ho-so:" in str(exc.value)


def test_area_weights_and_criterion_weights_set_the_score() -> None:
    crit = [
        {"id": "SR-061", "area": "gui-nhan", "result": "pass"},
        {"id": "SR-063", "area": "gui-nhan", "result": "fail"},
        {"id": "DS-006", "area": "lap-ho-so", "result": "pass"},
    ]
    areas = {"gui-nhan": 3, "lap-ho-so": 1}
    assert score(crit, {"areas": areas, "criteria": {}, "must": []})["value"] == round(100 * 4 / 7, 1)
    # a criterion's own weight overrides its area's
    assert score(crit, {"areas": areas, "criteria": {"DS-006": 6}, "must": []})["value"] == 75.0
    # a knock-out the product does not meet leaves no score, whatever the rest weighs
    s = score(crit, {"areas": areas, "criteria": {"DS-006": 100}, "must": ["SR-063"]})
    assert s["value"] is None and s["knocked_out_by"] == ["SR-063"]
