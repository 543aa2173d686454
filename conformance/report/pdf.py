"""PDF of the certification report, printed by headless Chromium.

Chromium is used rather than a Python PDF library because it shapes Vietnamese
(stacked diacritics such as "ệ", "ữ") correctly with the system fonts, and the
PDF then matches the HTML an evaluator reviewed on screen. Pages are A4 with a
running header (run id, product) and a footer "Trang X/Y".

Timeouts bound the launch and the page load; the page is offline (only
``file:`` URLs are served, everything else is aborted), so printing a local,
self-contained HTML file cannot wait on the network.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from conformance.report.browser import BrowserUnavailableError, launch_chromium

PAGE_TIMEOUT_MS = 60_000
MARGINS = {"top": "20mm", "bottom": "18mm", "left": "20mm", "right": "15mm"}
_BAND_STYLE = (
    "font-family: 'Noto Serif', 'DejaVu Serif', 'Times New Roman', serif; font-size: 8pt; color: #444;"
    " width: 100%; margin: 0 15mm 0 20mm; display: flex; justify-content: space-between;"
)


class ReportRenderError(RuntimeError):
    """The PDF could not be produced (Chromium missing, failed to start, or failed to print)."""


def _header_template(label: str) -> str:
    return f'<div style="{_BAND_STYLE}"><span>{escape(label)}</span></div>'


def _footer_template(run_id: str) -> str:
    return (
        f'<div style="{_BAND_STYLE}"><span>{escape(run_id)}</span>'
        '<span>Trang <span class="pageNumber"></span>/<span class="totalPages"></span></span></div>'
    )


def write_pdf(html_path: Path, pdf_path: Path, *, header: str = "", run_id: str = "") -> None:
    """Print ``html_path`` to an A4 ``pdf_path`` through Chromium.

    ``header`` and ``run_id`` fill the running header and footer (plain text, escaped here).
    Raises ``ReportRenderError`` with a one-line message when Chromium is unavailable or fails.
    """
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ReportRenderError("cannot render PDF: the 'playwright' package is not installed") from exc

    html_path = Path(html_path).resolve()
    pdf_path = Path(pdf_path)
    if not html_path.is_file():
        raise ReportRenderError(f"cannot render PDF: {html_path} does not exist")
    tmp_path = pdf_path.with_name(pdf_path.name + ".tmp")
    try:
        with sync_playwright() as pw:
            try:
                browser = launch_chromium(pw)
            except BrowserUnavailableError as exc:
                raise ReportRenderError(f"cannot render PDF: {exc}") from exc
            try:
                context = browser.new_context(java_script_enabled=False, offline=True)
                context.set_default_timeout(PAGE_TIMEOUT_MS)
                context.route(
                    "**/*",
                    lambda route: (
                        route.continue_() if route.request.url.startswith("file:") else route.abort()
                    ),
                )
                page = context.new_page()
                page.goto(html_path.as_uri(), wait_until="load", timeout=PAGE_TIMEOUT_MS)
                page.emulate_media(media="print")
                page.pdf(
                    path=str(tmp_path),
                    format="A4",
                    margin=MARGINS,
                    print_background=True,
                    display_header_footer=True,
                    header_template=_header_template(header),
                    footer_template=_footer_template(run_id),
                    prefer_css_page_size=False,
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        tmp_path.unlink(missing_ok=True)
        first_line = (str(exc).strip().splitlines() or ["unknown error"])[0]
        raise ReportRenderError(f"cannot render PDF: {first_line}") from exc
    tmp_path.replace(pdf_path)
