"""A recorded corpus of malformed packages, generated with hypothesis from the edXML grammar.

Why recorded: a verdict must be reproducible, so the criterion replays the same malformed packages
every run; hypothesis (with a fixed seed, no example database) only decides, once, which values
break the grammar of edxml.md §4–§11 (agency codes, dates, code lists, required elements, lengths).
The corpus stores mutations, not packages: each is applied to a fresh valid package at run time, so
the file stays small and the packages carry this run's unique numbers. Only mutations that
``conformance.standards.edxml`` itself reports as errors are kept.

    python -m conformance.axis.corpus [--write]      # regenerate conformance/axis/data/corpus.json
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from lxml import etree

__all__ = ["CORPUS_FILE", "apply", "load"]

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
CORPUS_FILE = Path(__file__).resolve().parent / "data" / "corpus.json"
SEED = 20260314
_ORGAN = re.compile(r"^(?=.{1,35}$)[A-Z0-9]+(\.[A-Z0-9]+)*$")


def load() -> list[dict[str, Any]]:
    """The recorded mutations."""
    return list(json.loads(CORPUS_FILE.read_text("utf-8"))["mutations"])


def apply(xml: bytes, mutation: dict[str, Any]) -> bytes:
    """``xml`` with one mutation: ``{"op": "set"|"drop", "path": "MessageHeader/…", "value": …}``."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(xml, parser)
    path = ".//" + "/".join(f"{{{NS}}}{p}" for p in str(mutation["path"]).split("/"))
    node = root.find(path)
    if node is None:
        raise ValueError(f"corpus: {mutation['path']} not in the package")
    if mutation["op"] == "drop":
        parent = node.getparent()
        assert parent is not None
        parent.remove(node)
    else:
        node.text = str(mutation["value"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _generate(count: int) -> list[dict[str, Any]]:
    """Draw mutations with hypothesis (fixed seed), keep those the standards validator rejects."""
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis import strategies as st

    from conformance.standards.edxml import model as m
    from conformance.standards.edxml import validate_package

    from . import mutants, peers

    base = peers.build_edoc(
        m.Organization("000.00.00.H99", "Ủy ban nhân dân tỉnh Thử Nghiệm"),
        [m.Organization("000.00.00.H49", "Ủy ban nhân dân tỉnh Quảng Ninh")],
        attachments=mutants.attachment("signed_pdf"),
    )
    bad_organ = st.text(alphabet="abhxyzABH0189._- ", min_size=1, max_size=40).filter(
        lambda s: not _ORGAN.match(s)
    )
    bad_date = st.one_of(
        st.builds(
            lambda y, mo, d: f"{y:04d}/{mo:02d}/{d:02d}",
            st.integers(1900, 2099),
            st.integers(13, 99),
            st.integers(1, 28),
        ),
        st.builds(
            lambda y, d: f"{y:04d}/02/{d:02d}",
            st.integers(1900, 2099).filter(lambda y: y % 4),
            st.integers(29, 31),
        ),
        st.from_regex(r"\A[0-9]{1,3}[-.][A-Za-z]{2,4}\Z"),
    )
    mutation = st.one_of(
        st.builds(lambda v: {"op": "set", "path": "MessageHeader/From/OrganId", "value": v}, bad_organ),
        st.builds(
            lambda v: {"op": "set", "path": "MessageHeader/PromulgationInfo/PromulgationDate", "value": v},
            bad_date,
        ),
        st.builds(
            lambda v: {"op": "set", "path": "MessageHeader/OtherInfo/Priority", "value": str(v)},
            st.integers(5, 99),
        ),
        st.builds(
            lambda v: {"op": "set", "path": "TraceHeaderList/Bussiness/BussinessDocType", "value": str(v)},
            st.integers(4, 99),
        ),
        st.builds(
            lambda n: {"op": "set", "path": "MessageHeader/Subject", "value": "Về việc thử nghiệm. " * n},
            st.integers(26, 40),
        ),
        st.builds(
            lambda p: {"op": "drop", "path": p},
            st.sampled_from(
                [
                    "MessageHeader/From",
                    "MessageHeader/To",
                    "MessageHeader/Code",
                    "MessageHeader/Subject",
                    "MessageHeader/DocumentId",
                    "TraceHeaderList/Bussiness",
                    "MessageHeader/DocumentType/TypeName",
                ]
            ),
        ),
    )
    kept: dict[str, dict[str, Any]] = {}

    @seed(SEED)
    @settings(
        max_examples=400,
        derandomize=False,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(mutation)
    def draw(mut: dict[str, Any]) -> None:
        key = f"{mut['op']}:{mut['path']}"
        if key in kept and len(kept) >= count:
            return
        report = validate_package(apply(base, mut))
        if report.errors and key not in kept:
            kept[key] = {**mut, "errors": sorted({p.code for p in report.errors})}

    draw()
    return list(kept.values())[:count]


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m conformance.axis.corpus")
    ap.add_argument("--write", action="store_true", help=f"write {CORPUS_FILE}")
    ap.add_argument("--count", type=int, default=12)
    args = ap.parse_args(argv)
    mutations = _generate(args.count)
    text = json.dumps(
        {"seed": SEED, "generator": "hypothesis", "mutations": mutations}, ensure_ascii=False, indent=1
    )
    if args.write:
        CORPUS_FILE.parent.mkdir(parents=True, exist_ok=True)
        CORPUS_FILE.write_text(text + "\n", "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
