"""The HTML certification report: content, Vietnamese text, escaping and determinism."""

from __future__ import annotations

import copy
import html as stdlib_html
import re
import unicodedata
from typing import Any

import pytest

from conformance.report import labels
from conformance.report.html import render_html


def _text(page: str) -> str:
    """Visible text of the page, entities decoded, so assertions read like the report."""
    body = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return stdlib_html.unescape(re.sub(r"<[^>]+>", " ", body))


def test_every_criterion_is_listed(sample_results: dict[str, Any]) -> None:
    page = render_html(sample_results)
    for crit in sample_results["criteria"]:
        assert f'id="crit-{crit["id"]}"' in page
        assert crit["id"] in _text(page)
        assert crit["title"]["vi"] in _text(page)


def test_header_title_and_run_block(sample_results: dict[str, Any]) -> None:
    page = render_html(sample_results)
    text = _text(page)
    assert '<html lang="vi">' in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "BIÊN BẢN KẾT QUẢ KIỂM TRA PHẦN MỀM QUẢN LÝ VĂN BẢN VÀ ĐIỀU HÀNH" in page  # in <title>
    for value in (
        "Hệ thống eOffice Hạ Long",
        "Công ty Cổ phần Phần mềm Hạ Long",
        "4.2.1",
        "vn-2020",
        "2020.1",
        "0.1.0",
        "Nguyễn Văn An",
        "http://127.0.0.1:8765",
        "20261125-101500-vn-2020",
        "25/11/2026 10:15:00 (UTC+07:00)",
        "ngày 25 tháng 11 năm 2026",
    ):
        assert value in text, value


def test_legal_basis_is_shown(sample_results: dict[str, Any]) -> None:
    text = _text(render_html(sample_results))
    assert "NĐ 30/2020/NĐ-CP, Phụ lục V, I.3" in text
    assert "QĐ 20/2020/QĐ-TTg, Điều 4, khoản 1" in text
    assert "Mã định danh của cơ quan, tổ chức có tối đa 35 ký tự." in text
    assert "Luật Lưu trữ 33/2024/QH15, Điều 17" in text


def test_vietnamese_labels_with_correct_diacritics(sample_results: dict[str, Any]) -> None:
    page = render_html(sample_results)
    assert unicodedata.is_normalized("NFC", page)
    text = _text(page)
    expected = [
        "Đạt",
        "Không đạt",
        "Không áp dụng",
        "Chưa kiểm tra được",
        "Được miễn trừ",
        "Xác nhận thủ công",
        "Lỗi công cụ",
    ]
    assert list(labels.RESULT_LABELS["vi"].values()) == expected
    for label in [*expected, "Bắt buộc", "Khuyến nghị", "KHÔNG ĐẠT", "ĐẠT", "CHƯA ĐỦ CĂN CỨ"]:
        assert unicodedata.is_normalized("NFC", label)
        assert label in text, label
    # every criterion's badge carries the label of its own result
    for crit in sample_results["criteria"]:
        label = labels.RESULT_LABELS["vi"][crit["result"]]
        assert re.search(rf'class="badge r-{crit["result"]}"[^>]*>{re.escape(label)}</span>', page), crit[
            "id"
        ]


def test_decomposed_input_comes_out_nfc(sample_results: dict[str, Any]) -> None:
    product = "Hệ thống eOffice Hạ Long"
    sample_results["run"]["target"]["product"] = unicodedata.normalize("NFD", product)
    sample_results["criteria"][0]["message"] = unicodedata.normalize("NFD", "Thông điệp có dấu: ữ ệ ặ")
    page = render_html(sample_results)
    assert unicodedata.is_normalized("NFC", page)
    assert product in page
    assert "Thông điệp có dấu: ữ ệ ặ" in page


def test_incomplete_banner_only_when_incomplete(sample_results: dict[str, Any]) -> None:
    banner = "KẾT QUẢ CHƯA ĐẦY ĐỦ — lần chạy bị gián đoạn"
    assert sample_results["run"]["complete"] is True
    assert banner not in render_html(sample_results)
    sample_results["run"]["complete"] = False
    assert banner in render_html(sample_results)
    del sample_results["run"]["complete"]  # a results.json that does not say is not trusted to be complete
    assert banner in render_html(sample_results)


@pytest.mark.parametrize(
    ("overall", "css", "label"),
    [
        ("DAT", "v-dat", "ĐẠT"),
        ("KHONG_DAT", "v-khong-dat", "KHÔNG ĐẠT"),
        ("CHUA_DU_CAN_CU", "v-chua-du", "CHƯA ĐỦ CĂN CỨ"),
    ],
)
def test_overall_verdict_colour_and_label(
    sample_results: dict[str, Any], overall: str, css: str, label: str
) -> None:
    sample_results["verdict"]["overall"] = overall
    del sample_results["verdict"]["label"]
    page = render_html(sample_results)
    assert re.search(
        rf'<div class="verdict {css}">\s*<div class="caption">[^<]*</div>\s*<div class="big">{label}</div>',
        page,
    )


def test_verdict_reasons_and_area_summary(sample_results: dict[str, Any]) -> None:
    page = render_html(sample_results)
    text = _text(page)
    for reason in sample_results["verdict"]["reasons"]:
        assert reason in text
    for area in sample_results["verdict"]["areas"]:
        assert f'href="#area-{area["area"]}"' in page
        assert f'id="area-{area["area"]}"' in page
    assert page.count('<section class="area"') == 4
    assert '<span class="pill v-chua-du">CHƯA ĐỦ CĂN CỨ</span>' in page


def test_waiver_and_attestation_details(sample_results: dict[str, Any]) -> None:
    text = _text(render_html(sample_results))
    assert "Miễn trừ" in text
    assert "Trần Thị Bình — Phó Giám đốc Sở Khoa học và Công nghệ" in text
    assert "trong thời gian chuyển tiếp chấp nhận mã theo QCVN 102:2016" in text
    assert "30/06/2027" in text
    assert "Xác nhận thủ công" in text
    assert "lịch sử xử lý văn bản ghi đủ ý kiến chỉ đạo" in text
    assert "evidence/AR-008/001-attestation.pdf" in text


def test_evidence_links(sample_results: dict[str, Any]) -> None:
    page = render_html(sample_results)
    for crit in sample_results["criteria"]:
        for path in crit["evidence"]:
            assert f'<a href="{path}">{path}</a>' in page
    based = render_html(sample_results, evidence_base="../runs/42")
    assert '<a href="../runs/42/evidence/SR-001/001-edxml.send.json">' in based
    assert '<a href="../runs/42/evidence/AR-008/001-attestation.pdf">' in based


def test_hostile_text_is_escaped(sample_results: dict[str, Any]) -> None:
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    crit = sample_results["criteria"][2]
    crit["message"] = evil
    crit["title"]["vi"] = evil
    crit["checks"][0]["message"] = evil
    crit["evidence"] = ['javascript:alert(1)//"><script>']
    sample_results["run"]["target"]["product"] = evil
    sample_results["verdict"]["reasons"] = [evil]
    page = render_html(sample_results)
    assert "<script" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert 'href="javascript' in page  # only as an encoded relative path:
    assert 'href="javascript%3Aalert%281%29//%22%3E%3Cscript%3E"' in page


def test_no_external_resources(sample_results: dict[str, Any]) -> None:
    page = render_html(sample_results)
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert "@import" not in page
    assert "url(" not in page
    assert not re.search(r"\bsrc\s*=", page)
    assert "default-src 'none'" in page


def test_output_is_deterministic(sample_results: dict[str, Any]) -> None:
    first = render_html(sample_results).encode("utf-8")
    second = render_html(copy.deepcopy(sample_results)).encode("utf-8")
    assert first == second
    assert render_html(sample_results, lang="en") == render_html(sample_results, lang="en")


def test_english_variant(sample_results: dict[str, Any]) -> None:
    page = render_html(sample_results, lang="en")
    text = _text(page)
    assert '<html lang="en">' in page
    assert "CONFORMANCE TEST REPORT" in text
    assert "NOT CERTIFIED" in text
    for crit in sample_results["criteria"]:
        assert crit["title"]["en"] in text
    for label in labels.RESULT_LABELS["en"].values():
        assert label in text
    assert "Mandatory" in text and "Recommended" in text
    assert "Đạt</span>" not in page


def test_minimal_results_still_render() -> None:
    """A run killed before the verdict was written must still give a report, flagged incomplete."""
    results = {
        "format": "conformance-results/1",
        "run": {"id": "partial", "started_at": "2026-11-25T10:15:00+07:00"},
        "criteria": [
            {"id": "DS-001", "area": "lap-ho-so", "result": "pass", "title": {"vi": "Tạo lập Danh mục hồ sơ"}}
        ],
    }
    page = render_html(results)
    text = _text(page)
    assert "KẾT QUẢ CHƯA ĐẦY ĐỦ" in text
    assert "DS-001" in text and "Tạo lập Danh mục hồ sơ" in text
    assert "Lập hồ sơ điện tử" in text
    assert "Chưa có kết luận" in text


def test_unknown_language_is_refused(sample_results: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="unsupported report language"):
        render_html(sample_results, lang="fr")
