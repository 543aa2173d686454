"""The legal requirement rows of the domain catalogues (SR, DS, AR, TR), shipped as package data.

The rows are generated from the markdown catalogues by ``scripts/extract_catalogue.py`` into
``conformance/catalogue/law/*.yaml``; they are what ``conformance coverage`` must account for, so a
clean clone can show the coverage of the law without the domain folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from conformance.catalogue.yamlsrc import load_yaml_text
from conformance.errors import ConfigError

PREFIXES = ("SR", "DS", "AR", "TR")


@dataclass(frozen=True)
class LawRow:
    """One requirement row of a catalogue, as the catalogue states it."""

    id: str
    area: str
    group: str
    requirement: dict[str, str]
    mixed_language: bool
    basis: str
    evidence_mark: str
    test: str
    regimes: tuple[str, ...]
    instruments: tuple[str, ...]
    source: str
    source_line: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "area": self.area,
            "group": self.group,
            "requirement": self.requirement,
            "mixed_language": self.mixed_language,
            "basis": self.basis,
            "evidence_mark": self.evidence_mark,
            "regimes": list(self.regimes),
            "source": f"{self.source}:{self.source_line}",
        }


@cache
def rows() -> dict[str, LawRow]:
    """Every catalogue row by ID, in catalogue order (SR, DS, AR, TR); checked against its schema."""
    from conformance.catalogue.loader import schema_problems

    out: dict[str, LawRow] = {}
    base = resources.files("conformance.catalogue").joinpath("law")
    for prefix in PREFIXES:
        name = f"conformance/catalogue/law/{prefix.lower()}.yaml"
        src = load_yaml_text(base.joinpath(f"{prefix.lower()}.yaml").read_text("utf-8"), name)
        problems = schema_problems(src, "law-catalogue")
        if problems:
            raise ConfigError(problems)
        head = src.data["catalogue"]
        if head["rows"] != len(src.data["rows"]):
            raise ConfigError.one(
                name, src.line_of(("catalogue", "rows")), "catalogue.rows", "số dòng không khớp"
            )
        for r in src.data["rows"]:
            out[r["id"]] = LawRow(
                id=r["id"],
                area=head["area"],
                group=r["group"],
                requirement=r["requirement"],
                mixed_language=bool(r.get("mixed_language")),
                basis=r["basis"],
                evidence_mark=r["evidence_mark"],
                test=r["test"],
                regimes=tuple(r["regimes"]),
                instruments=tuple(r["instruments"]),
                source=head["source"],
                source_line=r["source_line"],
            )
    return out


def rows_of_regime(regime: str) -> dict[str, LawRow]:
    """The rows a profile of ``regime`` ("2020" or "2025") must account for."""
    return {k: r for k, r in rows().items() if regime in r.regimes}


def row_of(criterion_id: str) -> str:
    """The catalogue row a criterion ID names: ``SR-061a`` → ``SR-061`` (a split keeps the row's ID)."""
    return criterion_id[:6]
