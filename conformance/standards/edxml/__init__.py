"""QCVN 102:2016 edXML packages: hardened parsing, model and builder, validation, package signatures.

Why one package: the harness both emits packages (fixtures, the mock axis) and judges packages that
systems under test emit, and the two sides must share one reading of ``edxml.md``. Modules:

- ``parse``: hardened reading of raw or zipped packages (no DTDs, size/depth/zip-bomb limits,
  attachments streamed past lxml ``iterparse``); ``read_package`` → model.
- ``model`` / ``build``: dataclasses of the document and status packages; the writer.
- ``validate``: ``validate_package`` → ``rules.Report`` with every problem, its XPath and rule code.
- ``dsig``: verify (RSA-SHA1/RSA-SHA256) and create (RSA-SHA256) enveloped XML-DSig signatures.
- ``python -m conformance.standards.edxml validate FILE… [--json]``: the command line.

Names are exported lazily so that importing the package loads neither lxml nor cryptography.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Limits",
    "Problem",
    "Report",
    "ValidationOptions",
    "build_package",
    "read_package",
    "sign_package",
    "validate_package",
    "verify_signature",
    "write_package",
    "zip_package",
]

_WHERE = {
    "Limits": "parse",
    "read_package": "parse",
    "Problem": "rules",
    "Report": "rules",
    "ValidationOptions": "validate",
    "validate_package": "validate",
    "build_package": "build",
    "write_package": "build",
    "zip_package": "build",
    "sign_package": "dsig",
    "verify_signature": "dsig",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
