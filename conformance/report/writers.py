"""Write the report files of a run directory from its ``results.json`` content.

Files are written atomically (temporary file, then rename) so that a report
interrupted half-way never leaves a truncated ``report.html`` next to the
evidence; the HTML files are written before the PDF, so they exist even when
Chromium is missing and ``ReportRenderError`` is raised.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from conformance.report.html import render_html
from conformance.report.pdf import write_pdf

HTML_NAME = "report.html"
HTML_EN_NAME = "report.en.html"
PDF_NAME = "report.pdf"


def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def _header_label(results: Mapping[str, Any]) -> str:
    """Running header of the PDF pages: what report this is and about which product."""
    run = results.get("run") if isinstance(results.get("run"), Mapping) else {}
    target = run.get("target") if isinstance(run.get("target"), Mapping) else {}
    product = " ".join(str(target.get(k)) for k in ("product", "version") if target.get(k))
    return (
        f"Biên bản kết quả kiểm tra phần mềm QLVBĐH — {product}"
        if product
        else "Biên bản kết quả kiểm tra phần mềm QLVBĐH"
    )


def write_reports(run_dir: Path, results: Mapping[str, Any], *, pdf: bool = True) -> list[Path]:
    """Write ``report.html`` (Vietnamese), ``report.en.html`` and, if ``pdf``, ``report.pdf``.

    Evidence links are relative to the run directory, where the reports live.
    Returns the written paths in that order.
    """
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, lang in ((HTML_NAME, "vi"), (HTML_EN_NAME, "en")):
        path = run_dir / name
        _write_text(path, render_html(results, lang=lang, evidence_dir=run_dir))
        written.append(path)
    if pdf:
        run = results.get("run") if isinstance(results.get("run"), Mapping) else {}
        pdf_path = run_dir / PDF_NAME
        write_pdf(
            run_dir / HTML_NAME, pdf_path, header=_header_label(results), run_id=str(run.get("id") or "")
        )
        written.append(pdf_path)
    return written
