"""SR-057b over recorded outputs (no browser): how a file's page words its signature check, the
``signatures_shown`` judge, and the harness's signed-PDF fixtures as criterion inputs."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conformance.catalogue.loader import load_profile
from conformance.errors import ConfigError
from conformance.inputs import InputError, gen_file
from conformance.judges.registry import get_judge
from conformance.standards import display
from conformance.templating import generator_problems
from tests.conftest import ROOT


def run(rec: Any, **params: Any) -> tuple[bool, str]:
    spec = get_judge("signatures_shown")
    assert spec is not None
    jsonschema.validate(params, spec.params)
    f = spec.fn(rec, **params)
    return f.ok, f.message


def sig(status: str, reason: str = "", signer: str = "Nguyễn Văn An", signed_at: str = "14/03/2026 09:30:15"):
    return {"signer": signer, "kind": "cá nhân", "signed_at": signed_at, "status": status, "reason": reason}


def page(
    status: str | None, *rows: dict[str, Any], reason: str | None = None, **extra: Any
) -> dict[str, Any]:
    return {"operation": "file.signature_view", "save": "tep", "channel": "ui",
            "outputs": {"status": status, "reason": reason, "signatures": list(rows)}, **extra}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Hợp lệ", "valid"),
        (" Chữ ký số  hợp lệ ", "valid"),
        ("Không hợp lệ", "invalid"),
        ("KHÔNG HỢP LỆ", "invalid"),
        ("Chứng thư số đã bị thu hồi", "invalid"),
        ("Chứng thư hết hạn", "invalid"),
        ("Văn bản không toàn vẹn", "invalid"),
        ("Không có chữ ký số", "unsigned"),
        ("Văn bản chưa được ký số", "unsigned"),
        ("Ho\u031b\u0323p le\u0323\u0302", "valid"),  # decomposed input is read as NFC
        ("", None),
        (None, None),
        ("Đang kiểm tra…", None),
    ],
)
def test_signature_status_words(text: Any, kind: str | None) -> None:
    assert display.signature_status(text) == kind


def test_a_valid_file_must_be_shown_valid_signature_by_signature() -> None:
    good = page("Hợp lệ", sig("Hợp lệ"), sig("Hợp lệ", signer="Ủy ban nhân dân tỉnh Quảng Ninh"))
    ok, msg = run(good, expect="valid", min=2, fields=["signer", "signed_at"])
    assert ok and "Nguyễn Văn An: Hợp lệ" in msg
    ok, msg = run(page("Không hợp lệ", sig("Không hợp lệ", "chứng thư số đã bị thu hồi")), expect="valid")
    assert not ok and "mong đợi «Hợp lệ»" in msg
    ok, msg = run(page("Hợp lệ", sig("Hợp lệ")), expect="valid", min=2)
    assert not ok and "chỉ thấy 1 chữ ký" in msg
    ok, msg = run(page("Hợp lệ", sig("Hợp lệ"), sig("Không hợp lệ", "hết hạn")), expect="valid")
    assert not ok and "chữ ký thứ 2 không được ghi là hợp lệ" in msg
    ok, msg = run(page("Hợp lệ", sig("Hợp lệ", signed_at="")), expect="valid", fields=["signed_at"])
    assert not ok and "thiếu signed_at (chữ ký thứ 1)" in msg
    assert not run(page(None), expect="valid")[0]


def test_an_invalid_file_must_be_shown_invalid_with_a_reason() -> None:
    revoked = page(
        "Không hợp lệ",
        sig("Không hợp lệ", "chứng thư số đã bị thu hồi", signer="Phạm Thị Dung"),
        sig("Hợp lệ", signer="Ủy ban nhân dân tỉnh Quảng Ninh"),
        reason="chữ ký số thứ 1: chứng thư số đã bị thu hồi",
    )
    ok, msg = run(revoked, expect="invalid", fields=["signer"])
    assert ok and "Phạm Thị Dung: Không hợp lệ (chứng thư số đã bị thu hồi)" in msg
    # the fault signature_shown_valid: the page says valid whatever the verification said
    shown_valid = page("Hợp lệ", sig("Hợp lệ"), sig("Hợp lệ"))
    ok, msg = run(shown_valid, expect="invalid")
    assert (
        not ok and "không được ghi là «Không hợp lệ»" in msg and "cả 2 chữ ký đều được ghi là hợp lệ" in msg
    )
    # invalid overall, but every signature listed as valid: a contradiction is not "shown invalid"
    ok, msg = run(page("Không hợp lệ", sig("Hợp lệ"), reason="x"), expect="invalid")
    assert not ok and "cả 1 chữ ký đều được ghi là hợp lệ" in msg
    ok, msg = run(page("Không hợp lệ", sig("Không hợp lệ")), expect="invalid")
    assert not ok and "không nêu lý do" in msg
    # no per-signature list: the overall result and its reason are enough
    assert run(page("Không hợp lệ", reason="văn bản bị sửa sau khi ký"), expect="invalid")[0]
    assert not run(page("Không có chữ ký số"), expect="invalid")[0]


def test_an_unsigned_file_must_not_be_shown_valid() -> None:
    assert run(page("Không có chữ ký số"), expect="unsigned")[0]
    ok, msg = run(page("Hợp lệ"), expect="unsigned")
    assert not ok and "Không có chữ ký số" in msg
    assert not run(page("Không có chữ ký số", sig("Hợp lệ")), expect="unsigned")[0]


def test_a_page_that_could_not_be_read_fails_and_says_why() -> None:
    ok, msg = run(page(None, error="bước 1 (goto /tep/9): trang /tep/9 trả về HTTP 404"), expect="invalid")
    assert not ok and "HTTP 404" in msg


def test_judge_parameters_are_checked_by_schema() -> None:
    spec = get_judge("signatures_shown")
    assert spec is not None
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"expect": "maybe"}, spec.params)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"expect": "valid", "fields": ["nguoi_ky"]}, spec.params)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"valid": True}, spec.params)


# -- {$file: {fixture: …}}: the harness's own signed PDFs as inputs ----------------------------------------


def test_a_fixture_file_is_sent_byte_for_byte() -> None:
    f = gen_file({"fixture": "pdf/revoked-cert.pdf", "name": "chung-thu-thu-hoi.pdf"})
    data = (ROOT / "fixtures" / "pdf" / "revoked-cert.pdf").read_bytes()
    assert f.data == data and f.sha256 == hashlib.sha256(data).hexdigest()
    assert (f.name, f.media_type) == ("chung-thu-thu-hoi.pdf", "application/pdf")
    assert gen_file({"fixture": "pdf/unsigned.pdf"}).name == "unsigned.pdf"


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ({"fixture": "pdf/khong-co.pdf"}, "không có tệp mẫu fixtures/pdf/khong-co.pdf"),
        ({"fixture": "../pyproject.toml"}, "nằm ngoài thư mục fixtures"),
        ({"fixture": "/etc/passwd"}, "nằm ngoài thư mục fixtures"),
        ({"fixture": ""}, "đường dẫn tương đối"),
        ({"fixture": "pdf/unsigned.pdf", "text": "x"}, "đúng một trong text, base64 hoặc fixture"),
    ],
)
def test_a_bad_fixture_is_refused_before_and_during_a_run(arg: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        gen_file(arg)
    assert any(message in p for p in generator_problems({"file": {"$file": arg}}))


def test_a_missing_fixture_in_a_profile_is_a_file_line_error(tmp_path: Path) -> None:
    (tmp_path / "profile.yaml").write_text(
        """profile: {id: thu, version: "1", regime: "2020", title: {vi: Thử, en: Test},
          valid_as_of: "2026-11-01"}
parameters: {}
criteria:
  - id: SR-057b
    title: {vi: Thử, en: Test}
    area: gui-nhan
    level: bat-buoc
    channel: ui
    evidence_mark: R
    legal_basis: [{instrument: NĐ 30/2020/NĐ-CP, article: Điều 21}]
    check:
      steps:
        - call: document.attach_file
          with: {document_id: 1, file: {$file: {fixture: pdf/khong-co.pdf}}}
          save: tep
        - judge: accepted
          on: tep
""",
        "utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_profile(tmp_path)
    assert "profile.yaml:" in str(err.value) and "không có tệp mẫu fixtures/pdf/khong-co.pdf" in str(
        err.value
    )
