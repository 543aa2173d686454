"""Judges over the exchange itself: did the system accept, refuse, or break.

A call made through the web interface (``channel: ui``) has no HTTP status: its record says what
the page showed (``ui.outcome``: accepted, rejected with the message shown, done, or error), and
these judges read that instead, so one criterion judges both channels alike.
"""

from __future__ import annotations

from conformance.judges.registry import Finding, Record, judge


def _status(rec: Record) -> int | None:
    return (rec.get("response") or {}).get("status")


def _label(rec: Record) -> str:
    return f"«{rec.get('save') or rec.get('operation')}»"


def _ui(rec: Record) -> dict | None:
    ui = rec.get("ui")
    return ui if rec.get("channel") == "ui" and isinstance(ui, dict) else None


def _ui_finding(rec: Record, want: str) -> Finding:
    """accepted/rejected for a call made through the web interface."""
    ui = _ui(rec) or {}
    outcome, shown = ui.get("outcome"), ui.get("message") or ""
    if outcome == "error" or rec.get("error"):
        return Finding(False, f"{_label(rec)}: thao tác trên giao diện lỗi: {rec.get('error') or shown}")
    ok = outcome in ("accepted", "done") if want == "accepted" else outcome == "rejected"
    if outcome == "rejected":
        what = f"bị từ chối trên giao diện: «{shown[:300]}»"
    else:
        what = "được chấp nhận trên giao diện"
    if ok:
        return Finding(True, f"{_label(rec)}: {what}")
    should = "được chấp nhận" if want == "accepted" else "bị từ chối"
    return Finding(False, f"{_label(rec)}: {what}, lẽ ra phải {should}")


def _no_reply(rec: Record) -> Finding | None:
    if _status(rec) is None:
        return Finding(False, f"{_label(rec)}: hệ thống không trả lời ({rec.get('error') or 'không rõ lỗi'})")
    return None


@judge("accepted")
def accepted(rec: Record) -> Finding:
    """The system accepted the request (HTTP 2xx; on the web interface: the accepted sign shown)."""
    if _ui(rec) is not None:
        return _ui_finding(rec, "accepted")
    if (f := _no_reply(rec)) is not None:
        return f
    st = _status(rec)
    if 200 <= st < 300:
        return Finding(True, f"{_label(rec)}: được chấp nhận (HTTP {st})")
    return Finding(
        False, f"{_label(rec)}: bị từ chối với HTTP {st}, lẽ ra phải được chấp nhận; phản hồi: {_brief(rec)}"
    )


@judge(
    "rejected", {"properties": {"statuses": {"type": "array", "items": {"type": "integer"}, "minItems": 1}}}
)
def rejected(rec: Record, statuses: list[int] | None = None) -> Finding:
    """The system refused the request as invalid (4xx; by default 400, 409 or 422), without crashing.

    On the web interface: a refusal shown (an error message, or a form that would not take the value).
    """
    if _ui(rec) is not None:
        return _ui_finding(rec, "rejected")
    allowed = statuses or [400, 409, 422]
    if (f := _no_reply(rec)) is not None:
        return f
    st = _status(rec)
    if st in allowed:
        return Finding(True, f"{_label(rec)}: bị từ chối đúng (HTTP {st})")
    if 200 <= st < 300:
        return Finding(False, f"{_label(rec)}: được chấp nhận (HTTP {st}) nhưng lẽ ra phải bị từ chối")
    if st >= 500:
        return Finding(False, f"{_label(rec)}: hệ thống lỗi (HTTP {st}) thay vì từ chối dữ liệu không hợp lệ")
    return Finding(False, f"{_label(rec)}: HTTP {st}, mong đợi một trong {allowed}")


@judge(
    "status_in",
    {
        "required": ["statuses"],
        "properties": {"statuses": {"type": "array", "items": {"type": "integer"}, "minItems": 1}},
    },
)
def status_in(rec: Record, statuses: list[int]) -> Finding:
    """The reply status is one of the listed ones (through the UI: the status of the last page shown)."""
    ui = _ui(rec)
    if ui is not None:
        st = ui.get("status")
        if st is None:
            return Finding(False, f"{_label(rec)}: thao tác qua giao diện không có trang nào trả về mã HTTP")
        ok = st in statuses
        return Finding(
            ok, f"{_label(rec)}: trang trả về HTTP {st}" + ("" if ok else f", mong đợi {statuses}")
        )
    if (f := _no_reply(rec)) is not None:
        return f
    st = _status(rec)
    return Finding(
        st in statuses, f"{_label(rec)}: HTTP {st}" + ("" if st in statuses else f", mong đợi {statuses}")
    )


def _brief(rec: Record, limit: int = 300) -> str:
    resp = rec.get("response") or {}
    body = resp.get("json")
    text = str(body) if body is not None else (resp.get("text") or "")
    return text[:limit] + ("…" if len(text) > limit else "")


@judge(
    "refused_or_ignored",
    {
        "required": ["output", "value"],
        "properties": {"output": {"type": "string", "minLength": 1}, "value": {}},
    },
)
def refused_or_ignored(rec: Record, output: str, value: object) -> Finding:
    """A value the client must not impose (e.g. a hand-typed number) is refused or not taken over."""
    ui = _ui(rec)
    if ui is not None and ui.get("outcome") == "rejected":
        return Finding(
            True, f"{_label(rec)}: giá trị nhập tay bị từ chối trên giao diện: «{ui.get('message')}»"
        )
    if ui is not None and (ui.get("outcome") == "error" or rec.get("error")):
        return Finding(False, f"{_label(rec)}: thao tác trên giao diện lỗi: {rec.get('error')}")
    if ui is None and (f := _no_reply(rec)) is not None:
        return f
    st = _status(rec) if ui is None else 200
    if 400 <= st < 500:
        return Finding(True, f"{_label(rec)}: giá trị nhập tay bị từ chối (HTTP {st})")
    if st >= 500:
        return Finding(False, f"{_label(rec)}: hệ thống lỗi (HTTP {st}) khi nhận giá trị nhập tay")
    got = (rec.get("outputs") or {}).get(output)
    if str(got) == str(value):
        return Finding(
            False, f"{_label(rec)}: hệ thống dùng {output} = {got!r} do người dùng nhập tay thay vì tự cấp"
        )
    return Finding(True, f"{_label(rec)}: hệ thống bỏ qua giá trị nhập tay, tự cấp {output} = {got!r}")
