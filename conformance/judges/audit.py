"""Audit-trail reconciliation: the harness's own journal of what it did against the system's log.

Every call the engine makes is recorded with who made it (the role's account, ``actor``), when
(``started_at``, harness clock) and how it ended (HTTP status). That record is the journal. The
system's audit log, read through ``audit.list`` and projected by the target file into the abstract
vocabulary (actor, action = the abstract operation, object_type, object_id, at, outcome), must hold
one entry per journaled action with the same actor, action and object, a time within a tolerance,
and the same outcome. Each missing, altered or extra entry is named on its own.

What an operation must be logged as comes from the operation catalogue (``audit:``): the object it
touches (from an input or an output) and, for a login attempt, the actor named in its inputs.
Outcomes: 2xx → success; 401, 403 and 404 (a refusal that hides the object) → denied; other
failures → failure.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conformance.catalogue.operations import operations
from conformance.judges.registry import Finding, Record, judge

VN = dt.timezone(dt.timedelta(hours=7))


def _status(rec: Record) -> int | None:
    return (rec.get("response") or {}).get("status")


def _expected_outcome(status: int | None) -> str | None:
    if status is None:
        return None
    if 200 <= status < 300:
        return "success"
    if status in (401, 403, 404):
        return "denied"
    return "failure"


def _when(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=VN)


def _resolve(ref: str, rec: Record) -> Any:
    if ref.startswith("in."):
        return (rec.get("inputs") or {}).get(ref[3:])
    if ref.startswith("out."):
        return (rec.get("outputs") or {}).get(ref[4:])
    return ref


def journal_entry(rec: Record) -> dict[str, Any] | None:
    """What the log should say about one recorded call; None when the operation is not audited."""
    op = operations().get(rec.get("operation") or "")
    if op is None or op.audit is None or rec.get("response") is None:
        return None
    spec = op.audit
    kind = _resolve(spec["object"], rec) if "object" in spec else None
    oid = _resolve(spec["id"], rec) if "id" in spec else None
    actor = _resolve(spec["actor"], rec) if "actor" in spec else rec.get("actor")
    return {
        "step": rec.get("save") or rec.get("operation"),
        "operation": op.name,
        "actor": actor,
        "object_type": kind if oid is not None else None,
        "object_id": str(oid) if oid is not None else None,
        "at": _when(rec.get("started_at")),
        "outcome": _expected_outcome(_status(rec)),
        "created": str(spec.get("id", "")).startswith("out."),
    }


def _actions(entry: dict[str, Any]) -> set[str]:
    a = entry.get("action")
    return set(a) if isinstance(a, list) else ({a} if isinstance(a, str) else set())


def _same_object(j: dict[str, Any], e: dict[str, Any]) -> bool:
    if j["object_id"] is None:
        return True
    return str(e.get("object_id")) == j["object_id"] and e.get("object_type") == j["object_type"]


def _describe(e: dict[str, Any]) -> str:
    obj = f" {e.get('object_type')}#{e.get('object_id')}" if e.get("object_id") is not None else ""
    return (
        f"bản ghi #{e.get('id')} ({e.get('at')}, {e.get('actor')}, {'/'.join(sorted(_actions(e))) or '?'}"
        f"{obj}, {e.get('outcome')})"
    )


def _journal_text(j: dict[str, Any]) -> str:
    obj = f" {j['object_type']}#{j['object_id']}" if j["object_id"] is not None else ""
    at = j["at"].isoformat(timespec="seconds") if j["at"] else "?"
    return f"«{j['step']}» ({at}, {j['actor']}, {j['operation']}{obj}, {j['outcome']})"


def reconcile(
    journal: list[dict[str, Any]], entries: list[dict[str, Any]], tolerance_s: float
) -> tuple[list[str], list[str], list[str], int]:
    """(missing, altered, extra, matched): every journaled action against the log, one by one."""
    used: set[int] = set()
    born: dict[tuple[Any, Any], Any] = {}  # object → log id of the entry that created it in this journal
    missing: list[str] = []
    altered: list[str] = []
    matched = 0
    tol = dt.timedelta(seconds=tolerance_s)

    def gap(j: dict[str, Any], e: dict[str, Any]) -> dt.timedelta | None:
        t = _when(e.get("at"))
        return abs(t - j["at"]) if t is not None and j["at"] is not None else None

    def nearest(j: dict[str, Any], pairs: list[tuple[int, dict[str, Any]]]) -> tuple[int, dict[str, Any]]:
        def key(ie: tuple[int, dict[str, Any]]) -> dt.timedelta:
            g = gap(j, ie[1])
            return dt.timedelta.max if g is None else g

        return min(pairs, key=key)

    for j in journal:
        keyed = [
            (i, e)
            for i, e in enumerate(entries)
            if i not in used and j["operation"] in _actions(e) and _same_object(j, e)
        ]
        exact = [
            (i, e)
            for i, e in keyed
            if e.get("actor") == j["actor"]
            and e.get("outcome") == j["outcome"]
            and (g := gap(j, e)) is not None
            and g <= tol
        ]
        if exact:
            i, e = nearest(j, exact)
            used.add(i)
            matched += 1
            if j.get("created") and j["object_id"] is not None:
                born.setdefault((j["object_type"], j["object_id"]), e.get("id"))
            continue
        if keyed:
            i, e = nearest(j, keyed)
            used.add(i)
            diffs = []
            if e.get("actor") != j["actor"]:
                diffs.append(f"người thực hiện {e.get('actor')!r} thay vì {j['actor']!r}")
            if e.get("outcome") != j["outcome"]:
                diffs.append(f"kết quả {e.get('outcome')!r} thay vì {j['outcome']!r}")
            g = gap(j, e)
            if g is None or g > tol:
                diffs.append(
                    f"thời điểm {e.get('at')!r} lệch {g.total_seconds():.0f} s (cho phép {tolerance_s:.0f} s)"
                    if g is not None
                    else f"thời điểm {e.get('at')!r} không đọc được"
                )
            altered.append(f"{_journal_text(j)} ↔ {_describe(e)}: " + "; ".join(diffs))
            continue
        missing.append(_journal_text(j))
    # Extra: entries claiming, on an object the harness touched and within the window, an abstract
    # action the harness did not perform.
    objects = {(j["object_type"], j["object_id"]) for j in journal if j["object_id"] is not None}
    times = [j["at"] for j in journal if j["at"] is not None]
    extra: list[str] = []
    if times:
        lo, hi = min(times) - tol, max(times) + tol
        known = {j["operation"] for j in journal}
        for i, e in enumerate(entries):
            if i in used or not (_actions(e) & known):
                continue
            obj = (e.get("object_type"), str(e.get("object_id")))
            if obj not in objects:
                continue
            first = born.get(obj)
            if isinstance(first, int) and isinstance(e.get("id"), int) and e["id"] < first:
                continue  # before this journal created the object: a former holder of a reused id
            t = _when(e.get("at"))
            if t is not None and lo <= t <= hi:
                extra.append(_describe(e))
    return missing, altered, extra, matched


@judge(
    "audit_reconciles",
    {
        "required": ["log"],
        "properties": {
            "log": {
                "oneOf": [
                    {"type": "string", "minLength": 1},
                    {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
                ],
                "description": "saved name(s) of the audit.list call(s); their entries are merged",
            },
            "tolerance_s": {"type": "number", "minimum": 0},
            "min_actions": {"type": "integer", "minimum": 1},
        },
    },
    on="many",
)
def audit_reconciles(
    recs: list[Record], log: str | list[str], tolerance_s: float = 120, min_actions: int = 1
) -> Finding:
    """Each journaled action appears in the audit log with the right actor, object, time and outcome."""
    names = [log] if isinstance(log, str) else list(log)
    logs = [r for r in recs if r.get("save") in names]
    if len(logs) != len(names):
        return Finding(False, f"không có bản ghi {names} của nhật ký hệ thống trong danh sách 'on'")
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for log_rec in logs:
        got = (log_rec.get("outputs") or {}).get("entries")
        if _status(log_rec) != 200 or not isinstance(got, list):
            return Finding(False, f"không đọc được nhật ký hệ thống (HTTP {_status(log_rec)})")
        for e in got:
            key = str(e.get("id")) if isinstance(e, dict) else ""
            if isinstance(e, dict) and (key not in seen or not key):
                seen.add(key)
                entries.append(e)
    journal = [j for r in recs if all(r is not x for x in logs) and (j := journal_entry(r)) is not None]
    if len(journal) < min_actions:
        return Finding(
            False, f"nhật ký của bộ kiểm tra chỉ có {len(journal)} thao tác, cần ít nhất {min_actions}"
        )
    missing, altered, extra, matched = reconcile(journal, entries, tolerance_s)
    problems = [f"THIẾU {m}" for m in missing] + [f"SAI {a}" for a in altered] + [f"THỪA {x}" for x in extra]
    if problems:
        return Finding(False, f"đối chiếu nhật ký: {matched}/{len(journal)} khớp; " + " | ".join(problems))
    return Finding(True, f"đối chiếu nhật ký: {matched}/{len(journal)} thao tác có bản ghi đúng, không thừa")


@judge(
    "log_unchanged",
    {"properties": {"keep": {"type": "array", "items": {"type": "string"}}}},
    on="many",
)
def log_unchanged(recs: list[Record], keep: list[str] | None = None) -> Finding:
    """Every entry of the first log reading is still in the last one, unchanged (append-only log)."""
    before, after = recs[0], recs[-1]
    fields = keep or ["id", "at", "actor", "action", "object_type", "object_id", "outcome"]
    b = (before.get("outputs") or {}).get("entries")
    a = (after.get("outputs") or {}).get("entries")
    if not isinstance(b, list) or not isinstance(a, list) or not b:
        return Finding(False, "không đọc được nhật ký hệ thống trước và sau (hoặc nhật ký rỗng)")
    now = {str(e.get("id")): e for e in a}
    problems = []
    for e in b:
        other = now.get(str(e.get("id")))
        if other is None:
            problems.append(f"bản ghi #{e.get('id')} đã bị xóa")
            continue
        diff = [f for f in fields if other.get(f) != e.get(f)]
        if diff:
            problems.append(f"bản ghi #{e.get('id')} đã bị sửa ({', '.join(diff)})")
    if problems:
        return Finding(False, "nhật ký hệ thống bị thay đổi: " + "; ".join(problems))
    return Finding(True, f"{len(b)} bản ghi nhật ký vẫn nguyên vẹn")


@judge(
    "entries_include",
    {
        "required": ["match"],
        "properties": {
            "output": {"type": "string", "minLength": 1},
            "match": {"type": "object", "minProperties": 1},
            "count": {"type": "integer", "minimum": 1},
            "present": {"type": "array", "items": {"type": "string"}},
        },
    },
)
def entries_include(
    rec: Record,
    match: dict[str, Any],
    output: str = "entries",
    count: int = 1,
    present: list[str] | None = None,
) -> Finding:
    """A list output holds at least ``count`` entries whose fields equal those of ``match`` and whose
    fields named in ``present`` are filled in."""
    items = (rec.get("outputs") or {}).get(output)
    if _status(rec) is None or not isinstance(items, list):
        return Finding(False, f"«{rec.get('save')}»: không đọc được danh sách {output} (HTTP {_status(rec)})")

    def fits(item: Any) -> bool:
        if not isinstance(item, dict):
            return False
        for k, v in match.items():
            got = item.get(k)
            if isinstance(got, list):
                if str(v) not in map(str, got):
                    return False
            elif str(got) != str(v):
                return False
        return all(item.get(k) not in (None, "", [], {}) for k in present or [])

    n = sum(1 for i in items if fits(i))
    ok = n >= count
    want = ", ".join(f"{k}={v!r}" for k, v in match.items()) + (
        f" và có {', '.join(present)}" if present else ""
    )
    return Finding(ok, f"«{rec.get('save')}»: {n} mục có {want}" + ("" if ok else f", cần ít nhất {count}"))
