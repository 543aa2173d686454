"""Broken profiles, target files and run configurations: one clear file:line message each.

Every fixture in tests/fixtures/broken is a deliberately broken file; the table says where the
problem is and what the message must name. `conformance validate` must print exactly that, with no
traceback, and exit 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

BROKEN = ROOT / "tests" / "fixtures" / "broken"

# file → (line, field, words the message must contain)
EXPECTED: dict[str, tuple[int, str, str]] = {
    "p01-yaml-syntax.yaml": (13, "", "cú pháp YAML"),
    "p02-duplicate-key.yaml": (14, "criteria[0].level", "bị lặp lại"),
    "p03-unknown-level.yaml": (13, "criteria[0].level", "'mandatory' không hợp lệ"),
    "p04-missing-legal-basis.yaml": (10, "criteria[0]", "legal_basis"),
    "p05-bad-id.yaml": (10, "criteria[0].id", "'DS-6'"),
    "p06-unknown-operation.yaml": (19, "criteria[0].check.steps[0].call", "dossier.frobnicate"),
    "p07-unknown-judge.yaml": (22, "criteria[0].check.steps[1].judge", "looks_fine"),
    "p08-judge-bad-param.yaml": (24, "criteria[0].check.steps[1].with.statuses", "array"),
    "p09-on-not-saved.yaml": (23, "criteria[0].check.steps[1].on", "'hs2'"),
    "p10-unknown-input.yaml": (20, "criteria[0].check.steps[0].with.titel", "'titel'"),
    "p11-missing-param.yaml": (20, "criteria[0].check.steps[0].with", "param.nope"),
    "p12-feature-not-declared.yaml": (19, "criteria[0].check.steps[0].call", "test_clock"),
    "p13-manual-without-guidance.yaml": (10, "criteria[0]", "guidance"),
    "p14-duplicate-criterion.yaml": (24, "criteria[1].id", "bị trùng"),
    "p15-no-judge.yaml": (18, "criteria[0].check", "không có bộ đánh giá"),
    "p16-extends-missing.yaml": (7, "profile.extends", "../nowhere/profile.yaml"),
    "p17-override-without-flag.yaml": (11, "criteria[0].id", "override: true"),
    "p18-not-utf8.yaml": (11, "", "UTF-8"),
    "p19-empty.yaml": (1, "", "rỗng"),
    "p20-evidence-mark.yaml": (14, "criteria[0].evidence_mark", "'X'"),
    "p21-applicability-not-conditional.yaml": (15, "criteria[0].applicability", "conditional: true"),
    "p22-remove-unknown.yaml": (10, "remove[0]", "DS-999"),
    "p23-unknown-field.yaml": (10, "criteria[0]", "weight"),
    "p24-missing-title-en.yaml": (11, "criteria[0].title", "en"),
    "p25-saved-ref-later.yaml": (20, "criteria[0].check.steps[0].with", "'hs'"),
    "t01-password-literal.yaml": (25, "auth.roles.van_thu", "password"),
    "t02-bad-base-url.yaml": (9, "target.base_url", "ftp://example"),
    "t03-unknown-operation.yaml": (110, "operations.dossier.fetch", "dossier.fetch"),
    "t04-unknown-input-ref.yaml": (118, "operations.dossier.attach_document.http", "'doc'"),
    "t05-missing-login.yaml": (16, "auth", "token"),
    "t06-role-undeclared.yaml": (42, "operations.clock.set.http.as", "thu_ky"),
    "t07-bad-pointer.yaml": (
        122,
        "operations.dossier.attach_document.http.outputs.document_id",
        "document_id",
    ),
    "t08-unknown-area.yaml": (33, "capabilities.areas[1]", "'van-thu'"),
    "t09-unknown-output.yaml": (122, "operations.dossier.attach_document.http.outputs.ordinal", "'ordinal'"),
    "t10-timeout-negative.yaml": (10, "target.timeouts.connect", "-1"),
    "r01-waiver-bad-date.yaml": (6, "waivers[0].expires", "2026-02-30"),
    "r02-attestation-missing-file.yaml": (6, "attestations[0].evidence_file", "khong-co.pdf"),
}


def test_every_fixture_is_listed() -> None:
    assert sorted(p.name for p in BROKEN.glob("*.yaml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 20


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate_names_file_line_and_field(name: str) -> None:
    from click.testing import CliRunner

    from conformance.cli import main

    line, field, words = EXPECTED[name]
    result = CliRunner().invoke(main, ["validate", str(BROKEN / name)])
    out = result.output
    assert result.exit_code == 2, out
    assert "Traceback" not in out
    first = out.strip().splitlines()[0]
    rel = Path("tests/fixtures/broken") / name
    assert first.startswith(f"{rel}:{line}:"), first
    if field:
        assert f":{line}: {field}:" in first, first
    assert words in first, first


def test_validate_good_files_exit_zero() -> None:
    from click.testing import CliRunner

    from conformance.cli import main

    result = CliRunner().invoke(main, ["validate", "profiles", "targets", "fixtures/reference-run/run.yaml"])
    assert result.exit_code == 0, result.output
    assert "hợp lệ profiles/vn-2020" in result.output and "hợp lệ profiles/vn-2025" in result.output


def test_run_with_broken_profile_is_exit_2_without_traceback(tmp_path: Path) -> None:
    proc = run_cli(
        "run", "--profile", str(BROKEN / "p03-unknown-level.yaml"), "--out", str(tmp_path), "--no-pdf"
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "p03-unknown-level.yaml:13: criteria[0].level" in proc.stderr
