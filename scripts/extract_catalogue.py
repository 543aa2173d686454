#!/usr/bin/env python3
"""Regenerate the law catalogue shipped in the package from the domain criteria catalogues.

    python scripts/extract_catalogue.py ../shared/domain/criteria-sending-receiving.md \
        ../shared/domain/criteria-dossier-archive-transfer.md [--out conformance/catalogue/law]

Why: ``conformance coverage`` and the report's annex must list every legal requirement row even on a
clean clone, where the domain folder is not available; so the rows live in the package as data
(``conformance/catalogue/law/{sr,ds,ar,tr}.yaml``, schema ``law-catalogue.schema.json``) and this
script, not a hand edit, keeps them equal to the catalogues. It is deterministic: the same
markdown gives the same bytes.

What it takes from each row: ID, the requirement (the "VN — EN gloss" split where the catalogue
writes one; rows that mix both languages in one sentence keep that sentence for both), the legal
basis, the evidence mark (``R (requirement) / S (format)`` becomes ``R/S``, the wording kept as a
note), the black-box test idea, and the regime(s) the row belongs to.

Regimes follow the catalogues' own "which instrument is tested where" (criteria-dossier-archive-
transfer.md §1 and README.md "Legal instruments and which governs what"): the boundary is 01/7/2025,
when Luật Lưu trữ 2024, NĐ 113/2025, TT 05/2025 and TT 06/2025 took effect and TT 02/2019,
NĐ 01/2013 and Luật Lưu trữ 2011 ceased to apply. A row resting only on the old archive chain is
2020; only on the new chain, 2025; a row citing anything that governs both (NĐ 30/2020 — OQ-06;
QĐ 28/2018; QCVN 102 with both identifier forms accepted — OQ-10; TT 01/2019 — OQ-05; TT 10/2022;
TT 41/2017; secondary and implementation sources) or both chains belongs to both. A row whose basis
names no recognised source is an error: a new instrument must be placed here first.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import yaml

ROW = re.compile(r"^\| ((?:SR|DS|AR|TR)-[0-9]{3}) \|")
AREAS = {"SR": "gui-nhan", "DS": "lap-ho-so", "AR": "luu-tru", "TR": "nop-luu"}
OUT_DEFAULT = Path(__file__).resolve().parent.parent / "conformance" / "catalogue" / "law"

# (instrument, regimes, pattern over the Basis cell). Order is the order instruments are listed.
INSTRUMENTS: list[tuple[str, tuple[str, ...], str]] = [
    # the old archive chain: repealed or lapsed on 01/7/2025
    ("TT 02/2019/TT-BNV", ("2020",), r"\bTT02\b|TT 02/2019"),
    ("NĐ 01/2013/NĐ-CP", ("2020",), r"NĐ 01/2013"),
    ("Luật Lưu trữ 2011", ("2020",), r"Luật Lưu trữ 2011"),
    # the new archive chain: in force from 01/7/2025
    ("Luật Lưu trữ 33/2024/QH15", ("2025",), r"\bL24\b|Luật Lưu trữ (?:33/)?2024"),
    ("NĐ 113/2025/NĐ-CP", ("2025",), r"\bN113\b|NĐ 113"),
    ("TT 05/2025/TT-BNV", ("2025",), r"\bTT05\b|TT 05/2025"),
    ("TT 06/2025/TT-BNV", ("2025",), r"\bTT06\b|TT 06/2025"),
    ("TT 08/2025/TT-BNV", ("2025",), r"\bTT08/25\b|TT 08/2025"),
    # in force in both regimes
    ("NĐ 30/2020/NĐ-CP", ("2020", "2025"), r"\bN30\b|NĐ 30|\bS1[45]\b|\bS24\b"),
    ("QĐ 28/2018/QĐ-TTg", ("2020", "2025"), r"QĐ 28|\bS1[012]\b"),
    ("QCVN 102:2016/BTTTT", ("2020", "2025"), r"QCVN 102|\bS[1-7]\b"),
    ("QĐ 20/2020/QĐ-TTg", ("2020", "2025"), r"QĐ 20/2020|\bS[89]\b"),
    ("QĐ 626/QĐ-VPCP", ("2020", "2025"), r"\bS13\b"),
    ("TT 01/2019/TT-BNV", ("2020", "2025"), r"\bTT01\b|TT 01/2019|\bS16\b"),
    ("TT 41/2017/TT-BTTTT", ("2020", "2025"), r"TT 41/2017|\bS17\b"),
    ("TT 10/2022/TT-BNV", ("2020", "2025"), r"\bTT10\b|TT 10/2022"),
    ("QĐ 395/QĐ-BTTTT", ("2020", "2025"), r"\bQ395\b|\bS25\b"),
    ("QĐ 1032/QĐ-BNV", ("2020", "2025"), r"\bQ1032\b"),
    ("TCVN 14159-1:2024", ("2020", "2025"), r"TCVN-PDFA|TCVN 14159"),
    ("reference implementations", ("2020", "2025"), r"\bS(?:19|2[0-3])\b|\bU[0-9]+\b|SDK|Bkav"),
    ("inference", ("2020", "2025"), r"\bInference\b"),
]
MARK = re.compile(r"^[RSI](/[RSI])*$")
VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ]|[\u0300-\u0323]", re.UNICODE)


class CatalogueError(Exception):
    """The markdown does not have the shape this script relies on; names file and line."""


def plain(cell: str) -> str:
    """A cell as text: NFC, emphasis and code markers dropped, spaces collapsed."""
    text = unicodedata.normalize("NFC", cell)
    text = text.replace("**", "").replace("`", "")
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def requirement(cell: str) -> tuple[dict[str, str], bool]:
    """(vi, en) of a Requirement cell and whether the catalogue mixes both languages in one text."""
    text = plain(cell)
    vi, sep, en = text.partition(" — ")
    if sep and VIETNAMESE.search(unicodedata.normalize("NFD", vi)) and en:
        return {"vi": vi.strip(), "en": en.strip()}, False
    return {"vi": text, "en": text}, True


def evidence_mark(cell: str) -> tuple[str, str | None]:
    raw = plain(cell)
    if MARK.match(raw):
        return raw, None
    letters = re.findall(r"\b([RSI])\b", raw)
    mark = "/".join(dict.fromkeys(letters))
    if not MARK.match(mark):
        raise ValueError(raw)
    return mark, raw


def regimes_of(basis: str) -> tuple[list[str], list[str]]:
    """(instruments recognised in the basis, regimes the row belongs to)."""
    found = [(name, regs) for name, regs, pat in INSTRUMENTS if re.search(pat, basis)]
    regimes = sorted({r for _, regs in found for r in regs})
    return [n for n, _ in found], regimes


def parse(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Rows per ID prefix, in catalogue order; checks the catalogue's own stated counts."""
    text = path.read_text("utf-8")
    lines = text.splitlines()
    group = ""
    in_catalogue = False
    out: dict[str, list[dict[str, Any]]] = {}
    stated: dict[str, int] = {}
    previous: dict[str, Any] | None = None
    for n, line in enumerate(lines, start=1):
        if line.startswith("## "):
            in_catalogue = line.startswith("## 3. Catalogue")
        elif line.startswith("### ") and in_catalogue:
            group = plain(line[4:])
        if line.startswith("**Count:**"):
            pairs = re.findall(r"\b(SR|DS|AR|TR) ([0-9]+)\b", line)
            if pairs:
                stated.update({p: int(c) for p, c in pairs})
            else:
                m = re.search(r"([0-9]+) rows \(((?:SR|DS|AR|TR))-", line)
                if m:
                    stated[m.group(2)] = int(m.group(1))
        m = ROW.match(line)
        if not m:
            continue
        if not in_catalogue:
            raise CatalogueError(f"{path}:{n}: criterion row outside '## 3. Catalogue'")
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 5:
            raise CatalogueError(
                f"{path}:{n}: expected 5 cells (ID, requirement, basis, Ev., test), got {len(cells)}"
            )
        rid, req_cell, basis_cell, mark_cell, test_cell = cells
        req, mixed = requirement(req_cell)
        try:
            mark, mark_note = evidence_mark(mark_cell)
        except ValueError:
            raise CatalogueError(
                f"{path}:{n}: {rid}: evidence mark {mark_cell!r} not R, S, I or combined"
            ) from None
        basis = plain(basis_cell)
        if basis.lower() == "same" and previous is not None:  # the catalogue's "same": the row above
            basis = f"same as {previous['id']}: {previous['basis']}"
        instruments, regimes = regimes_of(basis)
        if not regimes:
            raise CatalogueError(
                f"{path}:{n}: {rid}: no known instrument in basis {basis!r}: add it to INSTRUMENTS"
            )
        row: dict[str, Any] = {
            "id": rid,
            "group": group,
            "requirement": req,
        }
        if mixed:
            row["mixed_language"] = True
        row["basis"] = basis
        row["evidence_mark"] = mark
        if mark_note:
            row["evidence_note"] = mark_note
        row["test"] = plain(test_cell)
        row["regimes"] = regimes
        row["instruments"] = instruments
        row["source_line"] = n
        out.setdefault(rid[:2], []).append(row)
        previous = row
    seen: set[str] = set()
    for prefix, rows in out.items():
        for r in rows:
            if r["id"] in seen:
                raise CatalogueError(f"{path}:{r['source_line']}: {r['id']} appears twice")
            seen.add(r["id"])
        if prefix not in stated:
            raise CatalogueError(f"{path}: no '**Count:**' line states the number of {prefix} rows")
        if stated[prefix] != len(rows):
            raise CatalogueError(
                f"{path}: the catalogue states {stated[prefix]} {prefix} rows, {len(rows)} found"
            )
    return out


def dump(prefix: str, rows: list[dict[str, Any]], source: Path, digest: str) -> str:
    head = (
        f"# Generated by scripts/extract_catalogue.py from {source.name} — do not edit by hand;\n"
        "# re-run the script on the catalogue instead. Schema: ../schemas/law-catalogue.schema.json\n"
    )
    doc = {
        "catalogue": {
            "prefix": prefix,
            "area": AREAS[prefix],
            "source": source.name,
            "source_sha256": digest,
            "rows": len(rows),
        },
        "rows": rows,
    }
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=110)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("catalogues", nargs="+", type=Path, help="criteria-*.md files of the domain folder")
    ap.add_argument("--out", type=Path, default=OUT_DEFAULT, help="folder of the law YAML files")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for path in args.catalogues:
        try:
            per_prefix = parse(path)
        except (OSError, CatalogueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        for prefix, rows in per_prefix.items():
            target = args.out / f"{prefix.lower()}.yaml"
            target.write_text(dump(prefix, rows, path, digest), "utf-8")
            total += len(rows)
            print(f"{target}: {len(rows)} rows")
    print(f"{total} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
