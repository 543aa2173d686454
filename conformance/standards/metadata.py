"""NĐ 30/2020 PL VI Phần II field tables, length checks and JSON Schemas; code-list re-exports.

Why: DS-006, DS-024, DS-034 and TR-024 test a system's metadata against the input-field tables
(type, length, auto-filled flag). The tables live in ``data/fields.yaml`` (loaded lazily) so the
legal text stays reviewable as data; this module resolves them per regime and turns them into
checks and JSON Schemas (draft 2020-12) that judges run with ``jsonschema``.

Regimes: ``"2020"`` = NĐ 30 PL VI lengths (hard limits, [R]); ``"2025"`` = the TT 05/2025 package
counterpart where the domain docs give one and the values mean the same thing (e.g. hồ sơ Title
1000, Description 2000, PageAmount 4 digits) [S], else NĐ 30. Use ``"2025"`` for records exported
into TT05 packages and for dossiers formed from 01/7/2025, which the vn-2025 profile checks against
these lengths (DS-006, DS-024; profile parameters ``title_max_len``, ``description_max_len``).
Exceptions set by open-question defaults: OrganId
accepts QĐ 20 codes ≤35 in both regimes (warning above 13 under 2020; OQ-03, OQ-10); DocOrdinal
stores up to 7 digits (warning above 999 under 2020; OQ-13).

Lengths count characters after NFC normalisation; Number lengths count digits of the value.

Record keys (``schema_for``): the English element names of the appendix (``Subject``, ``OrganId``)
or their snake_case variants (``subject``, ``organ_id``), as returned by ``key_map``. Sub-items of
Mã hồ sơ (1.1–1.3) are top-level keys, the composed code goes in ``FileCode``/``file_code``;
SignerInfo is a nested object ``{Position, FullName}``; To is a list of ``{OrganId, OrganName}``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ._common import Findings, Result, load_data, nfc
from .codes import (
    CodeCheck,
    CodeEntry,
    DocumentType,
    MaintenanceCheck,
    check_code,
    check_maintenance,
    check_priority,
    check_status_code,
    code_list,
    document_type_by_abbreviation,
    document_type_by_name,
    document_types,
    lookup_code,
    maintenance_to_tt05_code,
    type_abbreviations,
)

__all__ = [
    "KINDS",
    "REGIMES",
    "CodeCheck",
    "CodeEntry",
    "DocumentType",
    "FieldSpec",
    "FieldTable",
    "LengthCheck",
    "LengthRule",
    "MaintenanceCheck",
    "check_code",
    "check_length",
    "check_maintenance",
    "check_priority",
    "check_status_code",
    "code_list",
    "document_type_by_abbreviation",
    "document_type_by_name",
    "document_types",
    "field_table",
    "key_map",
    "lookup_code",
    "maintenance_to_tt05_code",
    "max_length",
    "normalise_record",
    "schema_for",
    "snake_case",
    "type_abbreviations",
]

KINDS: tuple[str, ...] = ("ho_so", "van_ban_di", "van_ban_den")
REGIMES: tuple[str, ...] = ("2020", "2025")

_KIND_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "ho_so": "ho_so",
        "hồ sơ": "ho_so",
        "ho so": "ho_so",
        "hoso": "ho_so",
        "dossier": "ho_so",
        "van_ban_di": "van_ban_di",
        "văn bản đi": "van_ban_di",
        "van ban di": "van_ban_di",
        "outgoing": "van_ban_di",
        "van_ban_den": "van_ban_den",
        "văn bản đến": "van_ban_den",
        "van ban den": "van_ban_den",
        "incoming": "van_ban_den",
    }
)

# PascalCase → snake_case boundary (OrganId → organ_id) [I: key convention of this module]
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_case(name: str) -> str:
    """``OrganId`` → ``organ_id``; ``TraceHeaderList`` → ``trace_header_list``."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def _kind(kind: str) -> str:
    key = nfc(kind).strip().casefold()
    try:
        return _KIND_ALIASES[key]
    except KeyError:
        raise KeyError(f"unknown table kind {kind!r}; known: {list(KINDS)}") from None


def _regime(regime: str | int) -> str:
    r = str(regime)
    if r not in REGIMES:
        raise ValueError(f"unknown regime {regime!r}; known: {list(REGIMES)}")
    return r


@dataclass(frozen=True)
class LengthRule:
    """Resolved length limit of one field in one regime.

    ``max``: values longer are problems; ``warn_above``: values longer (and ≤ max) are warnings;
    ``unit``: ``"characters"`` (NFC) or ``"digits"``; ``basis``: the source with its mark.
    """

    max: int | None
    warn_above: int | None
    unit: str | None
    basis: str


@dataclass(frozen=True)
class FieldSpec:
    """One row of a PL VI Phần II table, with its limit resolved for the table's regime."""

    stt: str
    name_vi: str
    name: str
    type: str
    length: int | None
    path: str
    parent: str | None
    layout: str | None
    auto_filled: bool
    mandatory: bool
    mandatory_basis: str | None
    mandatory_evidence: str | None
    tt05_element: str | None
    tt05_length: int | None
    tt05_coded: bool
    note: str | None
    limit: LengthRule

    @property
    def snake_path(self) -> str:
        """Path with snake_case segments (``signer_info.position``)."""
        return ".".join(snake_case(p) for p in self.path.split("."))

    @property
    def top_level(self) -> bool:
        """True for the numbered items (1, 2, …), False for sub-items (1.1, 12.2, …)."""
        return self.parent is None


@dataclass(frozen=True)
class FieldTable:
    """A PL VI Phần II table (``ho_so``: 11 fields, ``van_ban_di``: 16, ``van_ban_den``: 18)."""

    kind: str
    regime: str
    title_vi: str
    title_en: str
    source: str
    evidence: str
    auto_filled_basis: str
    fields: tuple[FieldSpec, ...]

    def top_level(self) -> tuple[FieldSpec, ...]:
        """The numbered items, without sub-items: their count is the field count of the appendix."""
        return tuple(f for f in self.fields if f.top_level)

    def children(self, stt: str) -> tuple[FieldSpec, ...]:
        """Sub-items of a group (``"12"`` → 12.1, 12.2)."""
        return tuple(f for f in self.fields if f.parent == stt)

    def auto_filled(self) -> tuple[FieldSpec, ...]:
        """Fields the system fills by itself (PL VI III.1.g)."""
        return tuple(f for f in self.fields if f.auto_filled)

    def field(self, ref: str) -> FieldSpec:
        """Find a field by STT (``"13.1"``), path (``"To.OrganId"``), snake path, English or Vietnamese name.

        A bare name that occurs twice (``OrganId`` in văn bản đi) resolves to the first row (1.1).
        """
        key = nfc(str(ref)).strip()
        for attr in ("stt", "path", "snake_path", "name"):
            for f in self.fields:
                if getattr(f, attr) == key:
                    return f
        folded = key.casefold()
        for f in self.fields:
            if snake_case(f.name) == folded or nfc(f.name_vi).casefold() == folded:
                return f
        raise KeyError(f"no field {ref!r} in table {self.kind}")


def _rule(raw: Mapping[str, Any], regime: str) -> LengthRule:
    ftype = raw["type"]
    tt05 = raw.get("tt05") or {}
    unit = {"Number": "digits", "LongText": None}.get(ftype, "characters")
    override = (raw.get("limits") or {}).get(regime)
    if override:
        return LengthRule(override["max"], override.get("warn_above"), unit, override["basis"])
    if regime == "2025" and tt05.get("length") and not tt05.get("coded"):
        return LengthRule(
            tt05["length"],
            None,
            unit,
            f"TT 05/2025 {tt05['element']} {tt05.get('type', '')}({tt05['length']}) [S]",
        )
    if raw.get("length") is None:
        return LengthRule(None, None, unit, "NĐ 30 PL VI: no length stated")
    return LengthRule(raw["length"], None, unit, f"NĐ 30 PL VI Phần II {ftype}({raw['length']}) [R]")


@functools.cache
def _table(kind: str, regime: str) -> FieldTable:
    data = load_data("fields.yaml")["tables"][kind]
    rows = data["fields"]
    by_stt = {r["stt"]: r for r in rows}
    specs = []
    for r in rows:
        parent = r["stt"].rsplit(".", 1)[0] if "." in r["stt"] else None
        layout = by_stt[parent].get("layout") if parent else None
        path = r["name"] if layout in (None, "flatten") else f"{by_stt[parent]['name']}.{r['name']}"
        tt05 = r.get("tt05") or {}
        mand = r.get("mandatory") or {}
        specs.append(
            FieldSpec(
                stt=r["stt"],
                name_vi=r["name_vi"],
                name=r["name"],
                type=r["type"],
                length=r.get("length"),
                path=path,
                parent=parent,
                layout=r.get("layout"),
                auto_filled=bool(r.get("auto_filled")),
                mandatory=bool(mand),
                mandatory_basis=mand.get("basis"),
                mandatory_evidence=mand.get("evidence"),
                tt05_element=tt05.get("element"),
                tt05_length=tt05.get("length"),
                tt05_coded=bool(tt05.get("coded")),
                note=r.get("note"),
                limit=_rule(r, regime),
            )
        )
    return FieldTable(
        kind=kind,
        regime=regime,
        title_vi=data["title_vi"],
        title_en=data["title_en"],
        source=data["source"],
        evidence=data["evidence"],
        auto_filled_basis=data["auto_filled_basis"],
        fields=tuple(specs),
    )


def field_table(kind: str, regime: str | int = "2020") -> FieldTable:
    """PL VI Phần II table ``kind`` (``ho_so``, ``van_ban_di``, ``van_ban_den``), limits for ``regime``."""
    return _table(_kind(kind), _regime(regime))


def max_length(kind: str, field: str, regime: str | int = "2020") -> int | None:
    """Hard length limit (characters, or digits for Number) of ``field``; None when no length is stated."""
    return field_table(kind, regime).field(field).limit.max


@dataclass(frozen=True, kw_only=True)
class LengthCheck(Result):
    """Outcome of one length check; ``length`` is what was measured (NFC characters or digits)."""

    field: str
    length: int | None = None
    limit: LengthRule | None = None


def _measure(spec: FieldSpec, value: object, f: Findings) -> int | None:
    what = f"{spec.name} ({spec.stt})"
    if spec.type == "Number":
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            f.problem(
                "len.type", f"{what} phải là số, nhận {type(value).__name__}", f"{what} must be a number"
            )
            return None
        text = str(value) if isinstance(value, int) else nfc(value).strip()
        if not re.fullmatch(r"[0-9]+", text):  # PL VI "Number": non-negative integer [R type; I digits]
            f.problem(
                "len.number",
                f"{what} phải là số nguyên không âm, nhận {value!r}",
                f"{what} must be a non-negative integer",
            )
            return None
        return len(str(int(text)))
    if spec.type == "LongText":
        return None
    if isinstance(value, dt.date):
        return len(value.isoformat())
    if not isinstance(value, str):
        f.problem(
            "len.type", f"{what} phải là chuỗi ký tự, nhận {type(value).__name__}", f"{what} must be a string"
        )
        return None
    return len(nfc(value))


def check_length(kind: str, field: str, value: object, regime: str | int = "2020") -> LengthCheck:
    """Check ``value`` against the length of ``field`` (NFC characters; digits for Number). None passes."""
    spec = field_table(kind, regime).field(field)
    rule = spec.limit
    f = Findings()
    text = value if isinstance(value, str) else repr(value)
    if value is None:
        return LengthCheck(value="", field=spec.path, limit=rule, **f.frozen())
    n = _measure(spec, value, f)
    unit_vi = "chữ số" if rule.unit == "digits" else "ký tự"
    if n is not None and rule.max is not None and n > rule.max:
        f.problem(
            "len.max",
            f"{spec.name_vi} ({spec.name}) dài {n} {unit_vi}, tối đa {rule.max}",
            f"{spec.name} has {n} {rule.unit}, limit {rule.max} ({rule.basis})",
        )
    elif n is not None and rule.warn_above is not None and n > rule.warn_above:
        f.warn(
            "len.warn",
            f"{spec.name_vi} ({spec.name}) dài {n} {unit_vi}, vượt {rule.warn_above} của NĐ 30",
            f"{spec.name} has {n} {rule.unit}, above {rule.warn_above} ({rule.basis})",
        )
    return LengthCheck(value=nfc(text), field=spec.path, length=n, limit=rule, **f.frozen())


# ---------------------------------------------------------------------------------------------------
# JSON Schemas
# ---------------------------------------------------------------------------------------------------

_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_KEY_STYLES = ("both", "english", "snake")

# Patterns for ``grammars=True``. They are written for both Python ``re`` (what ``jsonschema`` uses) and
# ECMA-262: no named groups, and "(?![\s\S])" instead of "$" so that a trailing newline is not accepted.
# edxml.md §11.1 G-102 or §11.2 G-QD20 permissive (length via maxLength) [R charset/length; regex I]
_P_ORGAN = r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}|[A-Z0-9]+(?:\.[A-Z0-9]+)*"
# metadata-and-packages.md §8.1 FileNotation [R rule; regex I]
_P_FILE_NOTATION = r"[0-9]{2,}\.[A-ZĐ][A-ZĐ0-9\-]*"
# edxml.md §11.5 G-SKH số [R rule; regex I]
_P_CODE_NUMBER = r"0[1-9]|[1-9][0-9]+"
# edxml.md §11.5 G-SKH ký hiệu (the mixed-case restriction is checked by identifiers only) [R rule; regex I]
_P_CODE_NOTATION = r"[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*"
# metadata-and-packages.md §7.2 THBQ "Vĩnh viễn" | "<n> năm", n ≥ 1 [R rule; grammar I, OQ-30]
_P_MAINTENANCE = r"Vĩnh viễn|[0-9]*[1-9][0-9]* năm"
# edxml.md §12 / OQ-24 date layouts yyyy/MM/dd, dd/MM/yyyy, yyyy-MM-dd (shape only) [S/I]
_P_DATE = r"[0-9]{4}/[0-9]{2}/[0-9]{2}|[0-9]{2}/[0-9]{2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}"

_GRAMMAR_PATTERNS: Mapping[str, str] = MappingProxyType(
    {
        "OrganId": _P_ORGAN,
        "FileNotation": _P_FILE_NOTATION,
        "CodeNumber": _P_CODE_NUMBER,
        "CodeNotation": _P_CODE_NOTATION,
        "Maintenance": _P_MAINTENANCE,
    }
)


def _anchored(pattern: str) -> str:
    return rf"^(?:{pattern})(?![\s\S])"


def _names(name: str, keys: str) -> list[str]:
    out = {"both": [name, snake_case(name)], "english": [name], "snake": [snake_case(name)]}[keys]
    return list(dict.fromkeys(out))


def _leaf_schema(spec: FieldSpec, grammars: bool, nullable: bool) -> dict[str, Any]:
    rule = spec.limit
    desc = f"{spec.stt}. {spec.name_vi} — {spec.type}" + (f"({spec.length})" if spec.length else "")
    desc += f"; giới hạn / limit: {rule.basis}"
    if spec.type == "Number":
        alts: list[dict[str, Any]] = [
            {"type": "integer", "minimum": 0},
            {"type": "string", "pattern": "^[0-9]+$"},
        ]
        if rule.max is not None:
            alts = [
                {"type": "integer", "minimum": 0, "maximum": 10**rule.max - 1},
                {"type": "string", "pattern": _anchored(rf"0*[0-9]{{1,{rule.max}}}")},
            ]
        if grammars and spec.name == "Priority":
            alts = [{"enum": [0, 1, 2, 3, 4, "0", "1", "2", "3", "4"]}]
            desc += "; codes 0–4 (edXML Priority [S]; 4 per OQ-21)"
        if nullable:
            alts.append({"type": "null"})
        return {"description": desc, "anyOf": alts}
    if spec.type == "LongText":
        return {"description": desc, "type": ["string", "array", "object"] + (["null"] if nullable else [])}
    schema: dict[str, Any] = {"description": desc, "type": ["string", "null"] if nullable else "string"}
    if rule.max is not None:
        schema["maxLength"] = rule.max
    if grammars:
        pattern = _P_DATE if spec.type == "Date" else _GRAMMAR_PATTERNS.get(spec.name)
        if pattern:
            schema["pattern"] = _anchored(pattern)
    return schema


def _require(names: list[str]) -> dict[str, Any]:
    if len(names) == 1:
        return {"required": names}
    return {"anyOf": [{"required": [n]} for n in names]}


def _object_schema(
    specs: tuple[FieldSpec, ...], keys: str, mandatory: bool, grammars: bool, table: FieldTable
) -> dict[str, Any]:
    props: dict[str, Any] = {}
    required: list[dict[str, Any]] = []
    for spec in specs:
        must = mandatory and spec.mandatory
        if spec.type == "Group" and spec.layout in ("object", "array"):
            inner = _object_schema(table.children(spec.stt), keys, mandatory, grammars, table)
            inner["description"] = f"{spec.stt}. {spec.name_vi}"
            if spec.layout == "array":
                sub: dict[str, Any] = {
                    "description": inner["description"],
                    "anyOf": [{"type": "array", "items": inner}, inner, {"type": "null"}],
                }
            else:
                sub = {"description": inner["description"], "anyOf": [inner, {"type": "null"}]}
            for n in _names(spec.name, keys):
                props[n] = sub
            continue
        if (
            spec.type == "Group"
        ):  # flatten: the composed code (e.g. FileCode), then the sub-items at this level
            leaf = {
                "description": f"{spec.stt}. {spec.name_vi} (composed code); limit: {spec.limit.basis}",
                "type": ["string", "null"],
            }
            if spec.limit.max is not None:
                leaf["maxLength"] = spec.limit.max
            for n in _names(spec.name, keys):
                props[n] = leaf
            continue
        leaf = _leaf_schema(spec, grammars, nullable=not must)
        for n in _names(spec.name, keys):
            props[n] = leaf
        if must:
            required.append(_require(_names(spec.name, keys)))
    schema: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": True}
    if required:
        schema["allOf"] = required
    return schema


def schema_for(
    kind: str,
    regime: str | int = "2020",
    *,
    keys: str = "both",
    mandatory: bool = False,
    grammars: bool = False,
) -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a record of table ``kind`` under ``regime``.

    ``keys``: ``"both"`` (English and snake_case spellings accepted), ``"english"`` or ``"snake"``.
    ``mandatory``: require the fields mandatory under the OQ-31 default (Đ.29.2.c [R]; auto-filled
    and key fields [I]); off by default because mandatory-ness is partly inference. ``grammars``:
    also apply value grammars (OrganId, FileNotation, CodeNumber, CodeNotation, Maintenance, date
    shape, Priority 0–4); off by default because inbound CodeNumber is not always numeric
    (edxml.md §15 pitfall 7). ``null`` is accepted for fields that are not required. Unknown keys
    are allowed. Validate NFC text: ``jsonschema.validate(normalise_record(rec), schema)``.
    """
    if keys not in _KEY_STYLES:
        raise ValueError(f"keys must be one of {_KEY_STYLES}")
    table = field_table(kind, regime)
    level0 = tuple(f for f in table.fields if f.parent is None or table.field(f.parent).layout == "flatten")
    schema = _object_schema(level0, keys, mandatory, grammars, table)
    return {
        "$schema": _SCHEMA_DIALECT,
        "$id": f"urn:qlvbdh-conformance:standards:{table.kind}:{table.regime}:{keys}"
        f"{':mandatory' if mandatory else ''}{':grammars' if grammars else ''}",
        "title": f"{table.title_vi} ({table.source}) — regime {table.regime}",
        "$comment": "Keys: English element names of NĐ 30 PL VI (e.g. Subject) or snake_case (subject); "
        "FileCode sub-items are top-level; SignerInfo = {Position, FullName}; "
        "To = [{OrganId, OrganName}]. Lengths count NFC characters.",
        **schema,
    }


def key_map(kind: str) -> Mapping[str, str]:
    """Every accepted key path (English and snake_case) → the canonical English path of the field."""
    table = field_table(kind)
    out: dict[str, str] = {}
    for spec in table.fields:
        out[spec.path] = spec.path
        out[spec.snake_path] = spec.path
    return MappingProxyType(out)


def normalise_record(record: Any) -> Any:
    """Return a copy with every string NFC-normalised (so that ``maxLength`` counts NFC characters)."""
    if isinstance(record, str):
        return unicodedata.normalize("NFC", record)
    if isinstance(record, Mapping):
        return {normalise_record(k): normalise_record(v) for k, v in record.items()}
    if isinstance(record, (list, tuple)):
        return [normalise_record(v) for v in record]
    return record
