"""The file page verifies a PDF's signatures with the reference's own verifier (SR-057b) and says so
in accessible markup; the fault ``signature_shown_valid`` changes only what the page says."""

from __future__ import annotations

import dataclasses
import html as html_lib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from refoffice.app import create_app
from refoffice.config import DEFAULT_PKI_DIR
from refoffice.db import sqlite_url
from refoffice.pdf_signatures import EXPIRED, MODIFIED, REVOKED, UNTRUSTED, PdfSignatures
from tests.conftest import ROOT

PDFS = ROOT / "fixtures" / "pdf"


def _login(api, username: str = "vanthu") -> None:
    api.client.cookies.clear()
    response = api.client.post(
        "/dang-nhap", data={"username": username, "password": api.PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    api.client.cookies.set("refoffice_session", response.cookies["refoffice_session"])


@pytest.fixture(scope="module")
def signing_api(app, shared_api, tmp_path_factory):
    """A second reference that holds the test CA's trust list (the shared test app holds none)."""
    db = tmp_path_factory.mktemp("refoffice-pki") / "refoffice.db"
    config = dataclasses.replace(app.state.ctx.config, db_url=sqlite_url(str(db)), pki_dir=DEFAULT_PKI_DIR)
    with TestClient(create_app(config)) as client:
        tokens = {}
        for username in ("vanthu", "quantri"):
            got = client.post("/api/auth/login", json={"username": username, "password": shared_api.PASSWORD})
            tokens[username] = got.json()["access_token"]
        yield type(shared_api)(client, tokens)


@pytest.fixture
def page(signing_api):
    signing_api.faults()
    signing_api.reset()
    _login(signing_api)
    yield signing_api
    signing_api.faults()
    signing_api.client.cookies.clear()


def upload(api, doc_id: int, name: str, data: bytes, media_type: str = "application/pdf") -> str:
    """Upload through the document page; the file page it leads to, as HTML."""
    up = api.client.post(
        f"/van-ban-di/{doc_id}/tep",
        files={"file": (name, data, media_type)},
        data={"description": name},
        follow_redirects=False,
    )
    assert up.status_code == 303, up.text
    shown = api.client.get(up.headers["location"])
    assert shown.status_code == 200
    return shown.text


def term(page_html: str, name: str) -> str | None:
    m = re.search(rf"<dt>{re.escape(name)}</dt><dd[^>]*>(.*?)</dd>", page_html, re.S)
    return html_lib.unescape(m.group(1)).strip() if m else None


def rows(page_html: str) -> list[list[str]]:
    """The body rows of the "Chữ ký số trên tệp" table, each cell's text."""
    table = re.search(r"<caption>Chữ ký số trên tệp</caption>(.*?)</table>", page_html, re.S)
    if not table:
        return []
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(1), re.S)
    out = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body.group(1) if body else "", re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        out.append([html_lib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return out


def test_a_properly_signed_pdf_is_shown_valid_signature_by_signature(page) -> None:
    doc = page.issue_ok()
    shown = upload(page, doc["id"], "hop-le.pdf", (PDFS / "valid-two-signatures.pdf").read_bytes())
    assert '<section aria-labelledby="chu-ky-so">' in shown and '<h2 id="chu-ky-so">Chữ ký số</h2>' in shown
    assert term(shown, "Kết quả kiểm tra chữ ký số") == "Hợp lệ"
    assert term(shown, "Lý do không hợp lệ") is None
    assert rows(shown) == [
        ["1", "Nguyễn Văn An", "cá nhân", "14/03/2026 09:30:15", "Hợp lệ", ""],
        ["2", "Ủy ban nhân dân tỉnh Quảng Ninh", "cơ quan, tổ chức", "14/03/2026 10:05:42", "Hợp lệ", ""],
    ]
    assert '<th scope="col">Trạng thái</th>' in shown and '<th scope="row">Nguyễn Văn An</th>' in shown
    assert '<time datetime="2026-03-14T09:30:15+07:00">' in shown


@pytest.mark.parametrize(
    ("fixture", "signer", "reason", "second"),
    [
        ("modified-after-signing", "Nguyễn Văn An", "văn bản bị thay đổi sau khi ký", "Không hợp lệ"),
        ("tampered-bytes", "Nguyễn Văn An", MODIFIED, "Không hợp lệ"),
        ("expired-cert", "Lê Văn Cường", EXPIRED, "Hợp lệ"),
        ("revoked-cert", "Phạm Thị Dung", REVOKED, "Hợp lệ"),
        ("unknown-ca", "Hoàng Văn Em", UNTRUSTED, "Hợp lệ"),
    ],
)
def test_a_bad_signature_is_shown_invalid_with_its_reason(
    page, fixture: str, signer: str, reason: str, second: str
) -> None:
    doc = page.issue_ok()
    shown = upload(page, doc["id"], f"{fixture}.pdf", (PDFS / f"{fixture}.pdf").read_bytes())
    assert term(shown, "Kết quả kiểm tra chữ ký số") == "Không hợp lệ"
    assert term(shown, "Lý do không hợp lệ").startswith(f"chữ ký số thứ 1 ({signer}): {reason}")
    first, org = rows(shown)
    assert first[1:3] == [signer, "cá nhân"] and first[4] == "Không hợp lệ" and first[5].startswith(reason)
    assert org[1:3] == ["Ủy ban nhân dân tỉnh Quảng Ninh", "cơ quan, tổ chức"] and org[4] == second


def test_unsigned_unreadable_and_non_pdf_files(page) -> None:
    doc = page.issue_ok()
    unsigned = upload(page, doc["id"], "chua-ky.pdf", (PDFS / "unsigned.pdf").read_bytes())
    assert term(unsigned, "Kết quả kiểm tra chữ ký số") == "Không có chữ ký số" and rows(unsigned) == []
    broken = upload(page, doc["id"], "hong.pdf", "%PDF-1.4\n% thử\n".encode())
    assert term(broken, "Kết quả kiểm tra chữ ký số") == "Không hợp lệ"
    assert term(broken, "Lý do không hợp lệ").startswith("không đọc được tệp PDF")
    xml = upload(page, doc["id"], "ghi-chu.xml", "<ghi-chu>Ghi chú</ghi-chu>".encode(), "application/xml")
    assert "Chữ ký số" not in xml and "Kết quả kiểm tra chữ ký số" not in xml


def test_the_fault_shows_every_signature_valid_and_nothing_else_changes(page) -> None:
    doc = page.issue_ok()
    data = (PDFS / "revoked-cert.pdf").read_bytes()
    page.faults("signature_shown_valid")
    shown = upload(page, doc["id"], "thu-hoi.pdf", data)
    assert term(shown, "Kết quả kiểm tra chữ ký số") == "Hợp lệ"
    assert [r[4] for r in rows(shown)] == ["Hợp lệ", "Hợp lệ"] and "thu hồi" not in shown
    unsigned = upload(page, doc["id"], "chua-ky.pdf", (PDFS / "unsigned.pdf").read_bytes())
    assert term(unsigned, "Kết quả kiểm tra chữ ký số") == "Không có chữ ký số"
    page.faults()
    again = page.client.get(re.search(r'href="(/tep/\d+)/tai-ve"', shown).group(1)).text
    assert term(again, "Kết quả kiểm tra chữ ký số") == "Không hợp lệ"  # the stored file is unchanged


def test_the_page_and_the_exchange_use_one_verifier_and_agree() -> None:
    """What the page shows is what decides receipt: the same code gives both verdicts."""
    verifier = PdfSignatures(ROOT / "fixtures" / "pki")
    for pdf in sorted(PDFS.glob("*.pdf")):
        data = pdf.read_bytes()
        verdict, found = verifier.verify(data), verifier.inspect(data)
        assert verdict.valid == found.valid, pdf.name
        assert verdict.count == len(found.signatures), pdf.name


def test_without_a_trust_list_nothing_is_shown_valid(tmp_path: Path) -> None:
    found = PdfSignatures(tmp_path).inspect((PDFS / "valid-two-signatures.pdf").read_bytes())
    assert not found.valid and all("danh sách chứng thư tin cậy" in s.reason for s in found.signatures)
