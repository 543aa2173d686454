"""``python -m conformance.standards.edxml validate FILE… [--json]``: lines, JSON and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.standards.edxml.__main__ import main

ROOT = Path(__file__).resolve().parents[3]
FIX = ROOT / "fixtures" / "edxml"
VALID = str(FIX / "valid" / "edoc_new.edxml")
WARNED = str(FIX / "tolerated" / "priority_4.edxml")
INVALID = str(FIX / "invalid" / "missing_subject.edxml")
LAUGHS = str(FIX / "invalid" / "billion_laughs.edxml")


def test_exit_codes_and_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", VALID]) == 0
    assert capsys.readouterr().out == ""
    assert main(["validate", VALID, WARNED]) == 0
    assert "[code.priority_legacy] warning:" in capsys.readouterr().out
    assert main(["validate", VALID, INVALID]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{INVALID}: /edXML:edXML/edXML:edXMLEnvelope/edXML:edXMLHeader/edXML:MessageHeader/edXML:Subject: "
        "[card.missing] error: Thiếu phần tử bắt buộc Subject — required element Subject missing"
    ]
    assert main(["validate", INVALID, LAUGHS]) == 2
    assert f"{LAUGHS}: /: [xml.doctype] error:" in capsys.readouterr().out
    assert main(["validate", str(FIX / "no-such-file.edxml")]) == 2
    assert "[io.unreadable]" in capsys.readouterr().out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--json", VALID, INVALID]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["ok"] for d in data] == [True, False]
    assert data[1]["problems"][0]["code"] == "card.missing"


def test_signature_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--require-signature", VALID]) == 1
    assert "[dsig.absent]" in capsys.readouterr().out
    assert main(["validate", "--require-signature", str(FIX / "valid" / "edoc_signed_rsa_sha256.edxml")]) == 0


def test_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "conformance.standards.edxml", "validate", INVALID],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 1 and "[card.missing]" in done.stdout
