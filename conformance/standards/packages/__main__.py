"""Command line: ``python -m conformance.standards.packages validate PKG… [--json]``.

Why a CLI in the standards package: archives run it on received packages without the harness (TT05
Đ.24.2: per-package result đạt / không đạt with reasons). Exit codes: 0 every package valid, 1 at least one
invalid, 2 at least one unreadable or refused (and usage errors). ``--json`` prints one document whose JSON
Schema is ``report.schema.json`` (``python -m conformance.standards.packages schema``).

A ``*.xml`` file is read as a 2020-regime NĐ 30 dossier export (``nd30.py``); anything else as a TT05
package folder or ZIP.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .nd30 import nd30_export_shape, validate_nd30_export
from .reader import Limits
from .report import Report, report_schema, reports_document
from .rules import RULES
from .validate import Options, validate_package

__all__ = ["main"]

_MB = 1024 * 1024


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m conformance.standards.packages",
        description="Kiểm tra gói SIP/AIP theo TT 05/2025/TT-BNV và tệp xuất hồ sơ theo NĐ 30/2020 — "
        "validate TT05 archive packages and NĐ 30 dossier exports.",
    )
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="validate packages (folder or ZIP) and NĐ 30 exports (*.xml)")
    v.add_argument("packages", nargs="+", metavar="PKG")
    v.add_argument("--json", action="store_true", help="print the JSON report (report.schema.json)")
    v.add_argument("--nd30", action="store_true", help="read every PKG as an NĐ 30 dossier export")
    v.add_argument("--arc-code-grammar", choices=("u10", "u12"), default="u10", help="OQ-12 (default u10)")
    v.add_argument("--archive-code", help="mã cơ quan lưu trữ expected at the start of arcFileCode")
    v.add_argument("--organ-id", action="append", default=None, help="known agency code (repeatable)")
    v.add_argument(
        "--follow", choices=("text", "sample"), default="text", help="OQ-33: report sample deviations (text)"
    )
    v.add_argument(
        "--no-require-permanent",
        action="store_true",
        help="do not require maintenance 01 in a SIP (TR-017 applies to submissions to a historical archive)",
    )
    d = Limits()
    v.add_argument("--max-entries", type=int, default=d.max_entries)
    v.add_argument("--max-total-mb", type=float, default=d.max_total_bytes / _MB)
    v.add_argument("--max-ratio", type=float, default=d.max_ratio)
    v.add_argument("--max-xml-mb", type=float, default=d.max_xml_bytes / _MB)
    r = sub.add_parser("rules", help="list the rule codes")
    r.add_argument("--json", action="store_true")
    sub.add_parser("schema", help="print the JSON Schema of the --json output")
    sub.add_parser("shape", help="print the XML shape of the NĐ 30 dossier export (JSON)")
    return ap


def _validate(args: argparse.Namespace) -> int:
    limits = Limits(
        max_entries=args.max_entries,
        max_total_bytes=int(args.max_total_mb * _MB),
        max_ratio=args.max_ratio,
        max_xml_bytes=int(args.max_xml_mb * _MB),
    )
    opts = Options(
        arc_code_grammar=args.arc_code_grammar,
        archive_code=args.archive_code,
        organ_ids=tuple(args.organ_id) if args.organ_id else None,
        tt05_follow=args.follow,
        require_permanent=not args.no_require_permanent,
        limits=limits,
    )
    reports: list[Report] = []
    for pkg in args.packages:
        p = Path(pkg)
        if args.nd30 or (p.suffix.lower() == ".xml" and p.is_file()):
            reports.append(validate_nd30_export(p, limits=limits))
        else:
            reports.append(validate_package(p, opts))
    doc = reports_document(reports)
    if args.json:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        for rep in reports:
            sys.stdout.write(rep.text() + "\n")
    return int(doc["exit_code"])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 valid, 1 invalid, 2 refused/unreadable or usage error)."""
    try:
        args = _parser().parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    if args.command == "validate":
        return _validate(args)
    if args.command == "rules":
        if args.json:
            rows = [
                {
                    "code": r.code,
                    "severity": r.severity,
                    "section": r.section,
                    "source": r.source,
                    "evidence": r.evidence,
                    "title": r.title,
                    "title_vi": r.title_vi,
                }
                for r in RULES.values()
            ]
            sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        else:
            for r in RULES.values():
                sys.stdout.write(f"{r.code:38} {r.severity:7} [{r.evidence}] {r.section} — {r.title}\n")
        return 0
    if args.command == "schema":
        sys.stdout.write(json.dumps(report_schema(), ensure_ascii=False, indent=2) + "\n")
        return 0
    sys.stdout.write(json.dumps(nd30_export_shape(), ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into `head`: not an error of the packages
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)
