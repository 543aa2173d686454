"""Validator behaviour beyond the fixtures: parameters (OQ-12, OQ-33), the rule registry, the JSON contract,
the CLI, the NĐ 30 export shape, and the stand-alone import rules of ``conformance.standards``."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from conformance.standards.packages import (
    RULES,
    Options,
    build,
    check_arc_code,
    report_schema,
    validate_nd30_export,
    validate_package,
)
from conformance.standards.packages.__main__ import main
from conformance.standards.packages.build import edit_xml, reseal
from conformance.standards.packages.nd30 import nd30_export_shape, shipped_shape

ROOT = Path(__file__).resolve().parents[3]
PKG_DIR = ROOT / "conformance" / "standards" / "packages"
FIXTURES = ROOT / "fixtures" / "packages"
VALID_ZIP = next((FIXTURES / "valid" / "sip_hoso_zip").glob("*.zip"))


def test_every_rule_cites_section_source_and_evidence() -> None:
    for r in RULES.values():
        assert r.severity in ("error", "warning"), r
        assert r.evidence in ("R", "S", "I"), r
        assert r.section and r.source and r.title and r.title_vi, r
        assert (r.severity == "warning") or not r.code.endswith(".sample"), r


def test_every_finding_code_is_registered_and_in_source() -> None:
    """Codes used in the sources exist in the registry (a typo would raise KeyError only at run time)."""
    used: set[str] = set()
    for path in PKG_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in ("add", "PackageRefused", "XmlRefused") and isinstance(node.args[0].value, str):
                    used.add(node.args[0].value)
    assert used, "no codes found"
    assert used <= set(RULES), used - set(RULES)


def test_sample_compatible_deviations_are_warnings_and_can_be_hidden() -> None:
    pkg = FIXTURES / "valid" / "sip_hoso_sample_style"
    text = validate_package(pkg)
    assert text.valid and {f.code for f in text.warnings} >= {"mets.agent.sample", "mets.amdsec.sample"}
    assert all(f.sample_compatible for f in text.warnings)
    sample = validate_package(pkg, tt05_follow="sample")
    assert sample.valid and not sample.warnings


def test_arc_code_grammars_oq12() -> None:
    assert check_arc_code("H49LT.H49.64.33.2001.160") == ([], "H49.64.33.2001.160")
    assert check_arc_code("H49LT.000.00.00.H49.2025.01.TCCB.3")[1] == "000.00.00.H49.2025.01.TCCB"
    assert check_arc_code("H49LT.H49.64.33.2001.160", archive_code="H49LT")[0] == []
    assert check_arc_code("H49.64.33.2001.160", archive_code="H49LT")[0]
    assert check_arc_code("H49LT.H49.64.33.2001.160.0000007", doc=True)[1] == "H49.64.33.2001.160"
    assert check_arc_code("H49LT.H49.64.33.2001.160.7", doc=True)[0]
    assert check_arc_code("PARTCODE.G09.2021.01.001", grammar="u12") == ([], None)
    assert check_arc_code("PARTCODE.G09.2021.01.0000001", grammar="u12", doc=True) == ([], None)
    assert check_arc_code("PARTCODE.G09.2021.001", grammar="u12")[0]


def test_aip_archive_code_parameter(tmp_path: Path) -> None:
    aip = build.build_aip_hoso(build.example_dossier(format="01"), tmp_path)
    assert validate_package(aip, archive_code="H99LT").valid
    report = validate_package(aip, archive_code="H01LT")
    assert report.error_codes == {"ead.arcfilecode"}
    assert validate_package(aip, arc_code_grammar="u12").error_codes == {"ead.arcfilecode"}


def test_require_permanent_is_a_parameter(tmp_path: Path) -> None:
    pkg = build.build_sip_hoso(replace(build.example_dossier(), maintenance="05"), tmp_path)
    assert validate_package(pkg).error_codes == {"ead.maintenance.permanent"}
    assert validate_package(pkg, require_permanent=False).valid


def test_all_problems_are_listed_not_just_the_first(tmp_path: Path) -> None:
    pkg = build.build_sip_hoso(build.example_dossier(), tmp_path)
    edit_xml(pkg / "metadata/descriptive/EAD.xml", lambda r: r.remove(r.find("title")))
    edit_xml(pkg / "metadata/descriptive/EAD.xml", lambda r: setattr(r.find("mode"), "text", "09"))
    reseal(pkg)
    (pkg / "representations/rep1/data/extra.pdf").write_bytes(b"%PDF-1.4\n")
    report = validate_package(pkg)
    assert {"ead.field.missing", "ead.code", "pkg.orphan"} <= report.error_codes


def test_json_output_matches_the_shipped_schema(capsys: pytest.CaptureFixture[str]) -> None:
    broken = next((FIXTURES / "broken" / "checksum_wrong").iterdir())
    code = main(
        ["validate", str(VALID_ZIP), str(broken), str(FIXTURES / "nd30" / "doctotal_wrong.xml"), "--json"]
    )
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, report_schema())
    assert code == doc["exit_code"] == 1
    assert [r["status"] for r in doc["reports"]] == ["valid", "invalid", "invalid"]
    f = doc["reports"][1]["findings"][0]
    assert f["code"] == "ref.checksum.mismatch" and f["rule"]["evidence"] == "S" and "@CHECKSUM" in f["xpath"]


def test_cli_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(VALID_ZIP)]) == 0
    broken = next((FIXTURES / "broken" / "mets_type_wrong").glob("*.zip"))
    assert main(["validate", str(VALID_ZIP), str(broken)]) == 1
    bomb = next((FIXTURES / "broken" / "zip_bomb").glob("*.zip"))
    assert main(["validate", str(VALID_ZIP), str(broken), str(bomb)]) == 2
    capsys.readouterr()
    assert main(["validate", "--json", str(bomb)]) == 2
    doc = json.loads(capsys.readouterr().out)
    assert (
        doc["reports"][0]["status"] == "refused" and doc["reports"][0]["findings"][0]["code"] == "read.ratio"
    )
    assert main(["validate"]) == 2  # usage error
    assert main(["validate", "--arc-code-grammar", "u99", str(VALID_ZIP)]) == 2


def test_cli_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["code"] for r in rows} == set(RULES)
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == report_schema()
    assert main(["shape"]) == 0
    assert json.loads(capsys.readouterr().out) == nd30_export_shape()


def test_cli_as_module() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "conformance.standards.packages", "validate", str(VALID_ZIP), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["reports"][0]["kind"] == "SIP_hoso"


def test_nd30_shape_file_is_generated_from_the_field_tables() -> None:
    assert shipped_shape() == nd30_export_shape()
    hoso = nd30_export_shape()["children"][0]
    assert hoso["element"] == "HoSo"
    assert {c["element"] for c in hoso["children"]} >= {"FileCode", "Title", "DocTotal", "PageTotal"}


def test_nd30_export_lists_every_problem(tmp_path: Path) -> None:
    from conformance.standards.packages import example_nd30_export, write_nd30_export

    dossier, docs = example_nd30_export()
    dossier.update(Title="", DocTotal="9", StartDate="2025/01/05")
    docs[0][1].update(Priority="7", Unknown="x")
    report = validate_nd30_export(write_nd30_export(tmp_path / "e.xml", dossier, docs))
    assert {"nd30.field.missing", "nd30.doctotal", "nd30.doc.priority"} <= report.error_codes
    assert {"nd30.field.date.layout", "nd30.field.unknown"} <= {f.code for f in report.warnings}


def test_dip_is_reported_as_partially_supported(tmp_path: Path) -> None:
    pkg = build.build_sip_hoso(build.example_dossier(), tmp_path)
    for rel in ("METS.xml", "representations/rep1/METS.xml"):
        edit_xml(
            pkg / rel,
            lambda r: r.find("{http://www.loc.gov/METS/}metsHdr").set(
                "{https://DILCIS.eu/XML/METS/CSIPExtensionMETS}OAISPACKAGETYPE", "DIP"
            ),
        )
    reseal(pkg)
    report = validate_package(pkg)
    assert report.kind == "DIP" and "pkg.dip.unsupported" in report.codes


def test_options_are_checked() -> None:
    with pytest.raises(ValueError):
        Options(arc_code_grammar="u11")
    with pytest.raises(ValueError):
        Options(tt05_follow="sample-first")


def test_package_imports_only_allowed_modules() -> None:
    allowed = {"lxml", "yaml", "jsonschema", "defusedxml"}
    for path in PKG_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top in allowed, (path.name, name)
            if isinstance(node, ast.ImportFrom) and node.level == 2:  # from the standards package itself
                shared = {"identifiers", "codes", "metadata"}
                got = {node.module} if node.module else {a.name for a in node.names}
                assert got <= shared, (path.name, got)


def test_importing_loads_nothing_and_no_harness() -> None:
    code = textwrap.dedent("""
        import sys
        import conformance.standards.packages
        import conformance.standards.packages.__main__
        from conformance.standards import _common
        from conformance.standards.packages import tables
        assert _common.load_data.cache_info().currsize == 0
        assert tables.tt05.cache_info().currsize == 0
        others = [m for m in sys.modules if m.startswith("conformance.") and ".standards" not in m]
        assert others == [], others
    """)
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": ""}
    )


def test_aip_arc_doc_code_is_checked_when_present(tmp_path: Path) -> None:
    aip = build.build_aip_hoso(build.example_dossier(format="01"), tmp_path)
    doc = next((aip / "representations/rep1/metadata/descriptive").glob("EAD_doc_*.1.xml"))

    def add(value: str) -> Callable[[Any], None]:
        def fn(root: Any) -> None:
            el = root.find("arcDocCode")
            if el is None:
                el = root.makeelement("arcDocCode", {})
                root.append(el)
            el.text = value

        return fn

    edit_xml(doc, add("H99LT.H99.2025.01.TCCB.0000001"))
    reseal(aip)
    assert validate_package(aip).valid
    edit_xml(doc, add("H99LT.H99.2025.01.TCCB.1"))
    reseal(aip)
    report = validate_package(aip)
    assert report.error_codes == {"ead.arcfilecode"}
    assert report.errors[0].file.endswith(".1.xml") and "arcDocCode" in report.errors[0].xpath
