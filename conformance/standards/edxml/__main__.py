"""``python -m conformance.standards.edxml validate FILE… [--json]``.

Why: vendors and the lead's CLI need a one-shot check of packages on disk. One line per problem,
``FILE: XPATH: [code] severity: message``; exit 0 when every file is valid (warnings allowed), 1 when
some file has an error, 2 when some file could not be read or parsed at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .validate import ValidationOptions, validate_package

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    ap = argparse.ArgumentParser(
        prog="python -m conformance.standards.edxml",
        description="Kiểm tra gói tin edXML theo QCVN 102:2016 — validate QCVN 102 edXML packages",
    )
    sub = ap.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="validate packages (.edxml or zipped)")
    v.add_argument("files", nargs="+", metavar="FILE")
    v.add_argument("--json", action="store_true", help="print a JSON array of reports")
    v.add_argument(
        "--require-signature",
        action="store_true",
        help="package signature required (OQ-19 profile flag package_signature_required)",
    )
    args = ap.parse_args(argv)
    options = ValidationOptions(package_signature_required=args.require_signature)
    status = 0
    reports = []
    for file in args.files:
        report = validate_package(file, options=options, name=file)
        reports.append(report)
        if not report.readable:
            status = 2
        elif report.errors and status == 0:
            status = 1
        if not args.json:
            for p in report.problems:
                print(p.line(file))
    if args.json:
        json.dump([r.to_dict() for r in reports], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
