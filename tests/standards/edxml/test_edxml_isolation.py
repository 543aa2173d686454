"""``conformance.standards.edxml`` imports only stdlib, its allowed libraries and the standards layer."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import conformance.standards.edxml

PACKAGE_DIR = Path(conformance.standards.edxml.__file__).parent
ALLOWED = {"lxml", "defusedxml", "yaml", "jsonschema", "cryptography"}


def test_imports_are_allowed() -> None:
    for path in PACKAGE_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level <= 2, (path.name, "relative import above conformance.standards")
                names = [node.module or ""] if node.level == 0 else []
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top in ALLOWED, (path.name, name)


def test_no_other_conformance_module_is_loaded_and_import_is_lazy() -> None:
    root = PACKAGE_DIR.parents[2]
    code = textwrap.dedent("""
        import sys
        import conformance.standards.edxml as e
        assert "lxml" not in sys.modules and "cryptography" not in sys.modules
        e.validate_package, e.sign_package, e.build_package
        import conformance.standards.edxml.__main__
        others = [m for m in sys.modules
                  if m.startswith("conformance.") and not m.startswith("conformance.standards")]
        assert others == [], others
    """)
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=root, env={"PYTHONPATH": str(root), "PATH": ""}
    )
