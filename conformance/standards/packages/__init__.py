"""TT 05/2025 archive packages (SIP_hoso, SIP_tailieu, AIP) and the NĐ 30 dossier export.

Validator, builder and command line.

Why a separate package: archives validate received packages with it on their own, without the harness
(``python -m conformance.standards.packages validate PKG… --json``). Like the rest of
``conformance.standards`` it imports nothing else of ``conformance`` (stdlib, lxml, pyyaml only) and does
no work at import time.

Public API:

- ``validate_package(path, options=None, **kw) -> Report`` — a folder or ZIP; every problem with file,
  XPath, stable rule code, rule section, evidence mark and severity.
- ``validate_nd30_export(path, regime="2020") -> Report`` — the NĐ 30 dossier export (shape: ``nd30``
  docstring and ``nd30_export.shape.json``); ``read_nd30_export(path)`` gives its values.
- ``build_sip_hoso(spec, dest, as_zip=False) -> Path`` (and ``build_sip_tailieu``, ``build_aip_hoso``,
  ``build_package``) from a ``DossierSpec``; ``reseal(path)`` after editing a built package.
- ``Report``/``Finding`` with ``to_dict()``/``to_json()``; ``report_schema()``; ``RULES``.
"""

from __future__ import annotations

from .build import (
    DocumentSpec,
    DossierSpec,
    build_aip_hoso,
    build_package,
    build_sip_hoso,
    build_sip_tailieu,
    example_dossier,
    example_loose_batch,
    reseal,
    zip_package,
)
from .nd30 import (
    example_nd30_export,
    nd30_export_shape,
    read_nd30_export,
    validate_nd30_export,
    write_nd30_export,
)
from .reader import Limits, PackageRefused, open_package
from .report import Finding, Report, report_schema, reports_document
from .rules import RULES, Rule
from .validate import Options, check_arc_code, validate_package

__all__ = [
    "RULES",
    "DocumentSpec",
    "DossierSpec",
    "Finding",
    "Limits",
    "Options",
    "PackageRefused",
    "Report",
    "Rule",
    "build_aip_hoso",
    "build_package",
    "build_sip_hoso",
    "build_sip_tailieu",
    "check_arc_code",
    "example_dossier",
    "example_loose_batch",
    "example_nd30_export",
    "nd30_export_shape",
    "open_package",
    "read_nd30_export",
    "report_schema",
    "reports_document",
    "reseal",
    "validate_nd30_export",
    "validate_package",
    "write_nd30_export",
    "zip_package",
]
