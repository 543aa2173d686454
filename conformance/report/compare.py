"""Products side by side: one page from several runs, weighted by an agency's own priorities.

Rows are criteria grouped by area, columns are the runs' products, cells the results (linked to
each run's evidence). Runs are aligned only when they used the same profile (id, version and
digest); otherwise the page says what differs and shows no scores. The fit score of a product is
the weighted share of applicable criteria it meets (pass, waived or attested); a "must" criterion
it does not meet knocks it out (no score). The same inputs always give the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from conformance.catalogue.loader import schema_problems
from conformance.catalogue.yamlsrc import load_yaml
from conformance.errors import ConfigError
from conformance.report import labels
from conformance.results import read_json

MET = frozenset({"pass", "waived", "attested"})
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def load_weights(path: Path | None) -> dict[str, Any]:
    """The agency's weights file: area and criterion weights, and the "must" criteria."""
    if path is None:
        return {"areas": {}, "criteria": {}, "must": [], "title": None, "path": None}
    src = load_yaml(path)
    if not isinstance(src.data, dict):
        raise ConfigError([src.problem((), "tệp trọng số phải là một ánh xạ (mapping)")])
    problems = schema_problems(src, "weights")
    if problems:
        raise ConfigError(problems)
    return {
        "areas": src.data.get("areas") or {},
        "criteria": src.data.get("criteria") or {},
        "must": list(src.data.get("must") or []),
        "title": src.data.get("title"),
        "path": src.path,
    }


def _weight(c: dict[str, Any], w: dict[str, Any]) -> float:
    return float(w["criteria"].get(c["id"], w["areas"].get(c["area"], 1)))


def score(criteria: list[dict[str, Any]], w: dict[str, Any]) -> dict[str, Any]:
    """Fit score of one run: weighted share of applicable criteria met; None when knocked out."""
    knocked = [c["id"] for c in criteria if c["id"] in w["must"] and c["result"] not in MET]
    applicable = [c for c in criteria if c["result"] != "not_applicable"]
    total = sum(_weight(c, w) for c in applicable)
    met = sum(_weight(c, w) for c in applicable if c["result"] in MET)
    value = None if knocked or total == 0 else round(100 * met / total, 1)
    return {"value": value, "knocked_out_by": knocked, "met": met, "total": total}


def build(run_dirs: list[Path], w: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    runs = []
    for d in run_dirs:
        r = read_json(d / "results.json")
        runs.append({"dir": d, "results": r, "link": os.path.relpath(d, out_dir)})
    keys = {
        (
            r["results"]["run"]["profile"]["id"],
            r["results"]["run"]["profile"]["version"],
            r["results"]["run"]["profile"]["sha256"],
        )
        for r in runs
    }
    aligned = len(keys) == 1
    columns = []
    for r in runs:
        res, run = r["results"], r["results"]["run"]
        t = run["target"]
        columns.append(
            {
                "product": f"{t.get('product')} {t.get('version')}",
                "vendor": t.get("vendor"),
                "run_id": run["id"],
                "profile": f"{run['profile']['id']} {run['profile']['version']}",
                "profile_sha": run["profile"]["sha256"][:12],
                "faults": ", ".join(t.get("faults") or []),
                "verdict": labels.VERDICT_LABELS["vi"].get(res["verdict"]["overall"], "—"),
                "verdict_key": res["verdict"]["overall"],
                "complete": run.get("complete"),
                "score": score(res["criteria"], w) if aligned else None,
                "by_id": {c["id"]: c for c in res["criteria"]},
                "link": r["link"],
            }
        )
    ids: dict[str, dict[str, Any]] = {}
    for r in runs:
        for c in r["results"]["criteria"]:
            ids.setdefault(c["id"], c)
    areas = []
    for area in labels.AREA_ORDER:
        rows = []
        for cid in sorted(i for i, c in ids.items() if c["area"] == area):
            cells = []
            for col in columns:
                c = col["by_id"].get(cid)
                ev = (c or {}).get("evidence") or []
                cells.append(
                    {
                        "result": (c or {}).get("result"),
                        "label": labels.RESULT_LABELS["vi"].get((c or {}).get("result"), "—"),
                        "href": f"{col['link']}/{ev[0]}" if ev else f"{col['link']}/report.html",
                    }
                )
            differs = len({cell["result"] for cell in cells}) > 1
            rows.append(
                {
                    "id": cid,
                    "title": ids[cid]["title"]["vi"],
                    "level": ids[cid]["level"],
                    "cells": cells,
                    "differs": differs,
                    "weight": _weight(ids[cid], w),
                    "must": cid in w["must"],
                }
            )
        if rows:
            areas.append({"title": labels.AREA_TITLES["vi"][area], "rows": rows})
    differences = (
        []
        if aligned
        else sorted(f"{c['product']}: {c['profile']} (sha256 {c['profile_sha']}…)" for c in columns)
    )
    return {"columns": columns, "areas": areas, "aligned": aligned, "differences": differences, "weights": w}


def render(view: dict[str, Any]) -> str:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("compare.html.j2").render(**view)


def write_compare(run_dirs: list[Path], weights: Path | None, out: Path, *, pdf: bool = True) -> Path:
    """Write compare.html (and compare.pdf) into ``out``; returns the HTML path."""
    out.mkdir(parents=True, exist_ok=True)
    html = render(build(run_dirs, load_weights(weights), out))
    path = out / "compare.html"
    path.write_text(html, "utf-8")
    if pdf:
        from conformance.report.pdf import write_pdf

        write_pdf(path, out / "compare.pdf")
    return path
