"""Judges over the HTTP exchange itself: did the system accept, refuse, or break."""

from __future__ import annotations

from conformance.judges.registry import Finding, Record, judge


def _status(rec: Record) -> int | None:
    return (rec.get("response") or {}).get("status")


def _label(rec: Record) -> str:
    return f"«{rec.get('save') or rec.get('operation')}»"


def _no_reply(rec: Record) -> Finding | None:
    if _status(rec) is None:
        return Finding(False, f"{_label(rec)}: hệ thống không trả lời ({rec.get('error') or 'không rõ lỗi'})")
    return None


@judge("accepted")
def accepted(rec: Record) -> Finding:
    """The system accepted the request (HTTP 2xx)."""
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
    """The system refused the request as invalid (4xx; by default 400, 409 or 422), without crashing."""
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
    """The reply status is one of the listed ones."""
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
    if (f := _no_reply(rec)) is not None:
        return f
    st = _status(rec)
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
