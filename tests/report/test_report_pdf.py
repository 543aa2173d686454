"""PDF printing through Chromium, the writer entry point and the shared browser launcher."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from conformance.report import browser, pdf, writers
from conformance.report.pdf import ReportRenderError, write_pdf
from conformance.report.writers import write_reports


def _bundled_chromium_present() -> bool:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return False
    try:
        with sync_playwright() as pw:
            return Path(pw.chromium.executable_path).is_file()
    except Exception:  # any failure here means "no bundled build"
        return False


@pytest.mark.browser
def test_pdf_really_rendered_by_chromium(tmp_path: Path, sample_results: dict[str, Any]) -> None:
    if browser.chromium_executable() is None and not _bundled_chromium_present():
        pytest.skip("no Chromium at all: neither /usr/bin/chromium nor Playwright's bundled build")
    paths = write_reports(tmp_path, sample_results)
    assert [p.name for p in paths] == ["report.html", "report.en.html", "report.pdf"]
    pdf_file = tmp_path / "report.pdf"
    assert pdf_file.read_bytes().startswith(b"%PDF")
    assert not list(tmp_path.glob("*.tmp"))
    if shutil.which("pdftotext") is None:
        return  # text check needs poppler-utils; the %PDF check above still ran
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf_file), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    text = unicodedata.normalize("NFC", text)
    assert "ĐẠT" in text or "Hệ thống eOffice Hạ Long" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "SR-010" in text
    assert "Trang 1/" in text


def test_missing_chromium_raises_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_results: dict[str, Any]
) -> None:
    def no_browser(_pw: object) -> None:
        raise browser.BrowserUnavailableError("cannot start Chromium (/usr/bin/chromium): not found")

    monkeypatch.setattr(pdf, "launch_chromium", no_browser)
    html_file = tmp_path / "report.html"
    html_file.write_text("<!DOCTYPE html><p>x</p>", encoding="utf-8")
    with pytest.raises(ReportRenderError) as info:
        write_pdf(html_file, tmp_path / "report.pdf")
    message = str(info.value)
    assert "\n" not in message and "Chromium" in message
    assert not (tmp_path / "report.pdf").exists()


def test_missing_html_raises_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ReportRenderError, match="does not exist"):
        write_pdf(tmp_path / "absent.html", tmp_path / "report.pdf")


def test_html_written_even_when_pdf_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_results: dict[str, Any]
) -> None:
    def failing(*_args: object, **_kwargs: object) -> None:
        raise ReportRenderError("cannot render PDF: no Chromium")

    monkeypatch.setattr(writers, "write_pdf", failing)
    with pytest.raises(ReportRenderError):
        write_reports(tmp_path, sample_results)
    assert (tmp_path / "report.html").is_file()
    assert (tmp_path / "report.en.html").is_file()


def test_write_reports_without_pdf(tmp_path: Path, sample_results: dict[str, Any]) -> None:
    paths = write_reports(tmp_path / "run", sample_results, pdf=False)
    assert [p.name for p in paths] == ["report.html", "report.en.html"]
    vi = paths[0].read_text(encoding="utf-8")
    en = paths[1].read_text(encoding="utf-8")
    assert '<html lang="vi">' in vi and '<html lang="en">' in en
    assert paths[0].read_bytes() == (tmp_path / "run" / "report.html").read_bytes()
    again = write_reports(tmp_path / "run", sample_results, pdf=False)
    assert again[0].read_text(encoding="utf-8") == vi


def test_chromium_executable_prefers_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "my-chromium"
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    monkeypatch.setenv(browser.ENV_OVERRIDE, str(fake))
    assert browser.chromium_executable() == str(fake)
    monkeypatch.setenv(browser.ENV_OVERRIDE, str(tmp_path / "absent"))
    assert browser.chromium_executable() != str(tmp_path / "absent")
