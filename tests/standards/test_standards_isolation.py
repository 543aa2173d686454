"""``conformance.standards`` stands alone: stdlib, pyyaml and jsonschema only; no import-time work."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from importlib import resources
from pathlib import Path

import conformance.standards

PACKAGE_DIR = Path(conformance.standards.__file__).parent
ALLOWED_THIRD_PARTY = {"yaml", "jsonschema"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module)
    return out


def test_imports_only_stdlib_yaml_jsonschema() -> None:
    for path in PACKAGE_DIR.glob("*.py"):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY, (path.name, name)


def test_init_is_docstring_only() -> None:
    tree = ast.parse((PACKAGE_DIR / "__init__.py").read_text(encoding="utf-8"))
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr)
    assert ast.get_docstring(tree)


def test_no_data_loaded_at_import_time() -> None:
    code = textwrap.dedent("""
        import sys
        import conformance.standards.codes
        import conformance.standards.identifiers
        import conformance.standards.metadata
        from conformance.standards import _common
        assert _common.load_data.cache_info().currsize == 0, _common.load_data.cache_info()
        others = [m for m in sys.modules if m.startswith("conformance.") and ".standards" not in m]
        assert others == [], others
    """)
    root = PACKAGE_DIR.parent.parent
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=root, env={"PYTHONPATH": str(root), "PATH": ""}
    )


def test_data_directory_is_package_data() -> None:
    names = {p.name for p in resources.files("conformance.standards").joinpath("data").iterdir()}
    assert {
        "fields.yaml",
        "maintenance.yaml",
        "modes.yaml",
        "languages.yaml",
        "priority.yaml",
        "document_types.yaml",
        "status_codes.yaml",
    } <= names
