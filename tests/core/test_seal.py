"""Sealed evidence bundles: verify passes on a sealed run and names any changed, removed or added file."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.catalogue.diff import diff
from conformance.catalogue.loader import load_profile
from conformance.seal import seal, verify
from tests.conftest import ROOT, run_cli

PKI = ROOT / "fixtures" / "pki"
TRUST = {
    "trust_roots": [PKI / "root-ca.cert.pem"],
    "crls": [PKI / "issuing-ca.crl"],
    "other_certs": [PKI / "issuing-ca.cert.pem"],
}
PW = {"TEST_SEAL_PASSWORD": "qlvbdh-test-only"}


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("seal")
    run_dir = d / "run"
    proc = run_cli("run", "-k", "DS-006 or DS-007", "--no-pdf", "--run-dir", str(run_dir))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run_cli(
        "seal",
        str(run_dir),
        "--pkcs12",
        str(PKI / "evaluator.p12"),
        "--password-env",
        "TEST_SEAL_PASSWORD",
        env=PW,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return d / "run.seal.zip"


def rewrite(
    src: Path, dst: Path, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None
) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return dst


def test_sealed_bundle_verifies(sealed: Path) -> None:
    v = verify(sealed, **TRUST)
    assert v.ok, v.problems
    assert "Trần Thị Bình" in (v.signer or "") and v.state == "complete"
    proc = run_cli(
        "verify",
        str(sealed),
        "--trust",
        str(PKI / "root-ca.cert.pem"),
        "--cert",
        str(PKI / "issuing-ca.cert.pem"),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_changed_file_is_named(sealed: Path, tmp_path: Path) -> None:
    def change(name: str, data: bytes) -> bytes:
        return data.replace(b'"pass"', b'"fail"') if name == "run/results.json" else data

    v = verify(rewrite(sealed, tmp_path / "x.zip", change), **TRUST)
    assert not v.ok and v.problems == ["run/results.json: nội dung đã bị thay đổi (SHA-256 không khớp)"]


def test_removed_file_is_named(sealed: Path, tmp_path: Path) -> None:
    victim = next(n for n in zipfile.ZipFile(sealed).namelist() if n.startswith("run/evidence/DS-006/0"))
    v = verify(rewrite(sealed, tmp_path / "x.zip", lambda n, d: None if n == victim else d), **TRUST)
    assert not v.ok and v.problems == [f"{victim}: tệp bị xóa khỏi gói"]


def test_added_file_is_named(sealed: Path, tmp_path: Path) -> None:
    v = verify(
        rewrite(sealed, tmp_path / "x.zip", lambda n, d: d, {"run/evidence/DS-006/999-x.json": b"{}"}),
        **TRUST,
    )
    assert not v.ok and v.problems == ["run/evidence/DS-006/999-x.json: tệp được thêm vào sau khi niêm phong"]


def test_edited_seal_breaks_the_signature(sealed: Path, tmp_path: Path) -> None:
    def change(name: str, data: bytes) -> bytes:
        if name != "SEAL.json":
            return data
        m = json.loads(data)
        m["verdict"] = "DAT" if m["verdict"] != "DAT" else "KHONG_DAT"
        return json.dumps(m, ensure_ascii=False, indent=1, sort_keys=True).encode()

    v = verify(rewrite(sealed, tmp_path / "x.zip", change), **TRUST)
    assert not v.ok and any("SEAL.json" in p and "chữ ký" in p for p in v.problems)


def test_untrusted_root_is_refused(sealed: Path) -> None:
    v = verify(sealed, [PKI / "untrusted-root-ca.cert.pem"], other_certs=[PKI / "issuing-ca.cert.pem"])
    assert not v.ok and any("gốc tin cậy" in p for p in v.problems)


def test_traversal_entry_is_refused(sealed: Path, tmp_path: Path) -> None:
    v = verify(rewrite(sealed, tmp_path / "x.zip", lambda n, d: d, {"../../evil.txt": b"x"}), **TRUST)
    assert not v.ok and any("path traversal" in p for p in v.problems)


def test_incomplete_run_is_sealed_as_such(
    tmp_path: Path, sealed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_dir = tmp_path / "run"
    shutil.copytree(sealed.parent / "run", run_dir)
    results = json.loads((run_dir / "results.json").read_text("utf-8"))
    results["run"]["complete"] = False
    (run_dir / "results.json").write_text(json.dumps(results, ensure_ascii=False), "utf-8")
    monkeypatch.setenv("TEST_SEAL_PASSWORD", PW["TEST_SEAL_PASSWORD"])
    out = seal(run_dir, pkcs12=PKI / "evaluator.p12", password_env="TEST_SEAL_PASSWORD")
    assert json.loads(zipfile.ZipFile(out).read("SEAL.json"))["state"] == "incomplete"
    assert verify(out, **TRUST).state == "incomplete"


def test_diff_profiles_shows_the_2025_changes() -> None:
    d = diff(load_profile(ROOT / "profiles/vn-2020"), load_profile(ROOT / "profiles/vn-2025"))
    # 2025 adds the rows of TT 05/2025, NĐ 113/2025 and TT 06/2025 and drops those resting on TT 02/2019
    # only; the transfer-deadline criteria change with the nop_luu_due_rule parameter (OQ-27)
    assert {"AR-043", "AR-060", "TR-014b", "TR-016", "TR-042"} <= set(d["added"])
    assert set(d["removed"]) == {"AR-046", "AR-050", "TR-014a", "TR-039"}
    assert {"DS-011", "AR-042", "TR-001a", "TR-001b", "SR-003", "SR-004"} <= set(d["changed"])
    assert {"DS-006", "DS-024", "DS-017", "DS-034"} <= set(d["changed"])  # lengths per regime (area 2)
    assert "legal_basis" in d["changed"]["DS-011"]
    assert "level" in d["changed"]["SR-003"]  # the QĐ 20/2020 code form is mandatory from 2025
    assert d["parameters"]["nop_luu_due_rule"] == ("nd30", "l24")
    proc = run_cli("diff-profiles", "profiles/vn-2020", "profiles/vn-2025", "--json")
    assert json.loads(proc.stdout)["changed"]["DS-011"] == d["changed"]["DS-011"]


def test_every_single_file_changed_or_removed_is_named(sealed: Path, tmp_path: Path) -> None:
    """Not only the files the tests above pick: each file of the run, altered by one byte or removed."""
    names = [n for n in zipfile.ZipFile(sealed).namelist() if n.startswith("run/")]
    assert len(names) > 10 and "run/report.html" in names and "run/profile.resolved.json" in names
    for name in names:

        def flip(n: str, d: bytes, name: str = name) -> bytes:
            if n != name:
                return d
            return bytes([d[0] ^ 0x01]) + d[1:] if d else b"x"  # an empty file gains a byte

        changed = verify(rewrite(sealed, tmp_path / "c.zip", flip), **TRUST)
        assert changed.problems == [f"{name}: nội dung đã bị thay đổi (SHA-256 không khớp)"], name
        removed = verify(
            rewrite(sealed, tmp_path / "r.zip", lambda n, d, name=name: None if n == name else d), **TRUST
        )
        assert removed.problems == [f"{name}: tệp bị xóa khỏi gói"], name
