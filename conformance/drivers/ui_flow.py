"""The declarative language of UI bindings: a flow of steps a person would take on the vendor's pages.

A UI binding says how an abstract operation is done through the web interface, as data:

```yaml
document.register_outgoing:
  ui:
    as: van_thu
    steps:
      - goto: /van-ban-di/dang-ky
      - fill: {label: Trích yếu nội dung, value: "${in.subject}"}
      - select: {label: "Mức độ khẩn, độ mật", value: "${in.priority}"}
      - click: {role: button, name: Đăng ký}
      - outcome: {accepted: {url: "/van-ban-di/[0-9]+$"}, rejected: {role: alert}}
      - read: {output: code_number, term: Số của văn bản}
```

Elements are found the way a person (or a screen reader) finds them: by their accessible **label**,
**role** and name, visible **text**, **placeholder**, **title**, **alt** text, a **term** (the value
beside a ``<dt>``/``<th>`` heading) or a **testid**. ``read_table`` reads a table into records by
column heading; ``read_record`` reads several terms of the page into one record (a whole record as
the system shows it, e.g. for judges over the PL VI field tables). ``css`` and ``xpath`` are a fallback: given
beside a semantic key they are used only when the semantic locator finds nothing (the record says
so); alone they are allowed but a UI built with proper Vietnamese labels needs none. ``frame``
(a CSS selector, or a list for nested frames) reaches into iframes; ``nth`` picks one of several.

A step whose value is absent (the criterion did not give that input) is skipped, exactly as an
HTTP binding leaves the field out of its request. ``optional: true`` skips a step whose element does
not exist on the page (a ``read_table`` with ``optional: true`` reads no table as no rows, e.g. a
file without signatures). Every step has a time-out (``timeout:`` seconds, else the target's default).

This module only describes and checks flows (for ``conformance validate``, with file:line); the
browser work is in ``conformance.drivers.ui``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from conformance.templating import references

# Locator keys: semantic ones first (how a person finds the element), then the fallbacks.
SEMANTIC = ("label", "role", "text", "placeholder", "title", "alt", "testid", "term")
FALLBACK = ("css", "xpath")
LOCATOR_KEYS = frozenset(SEMANTIC + FALLBACK)
LOCATOR_MODIFIERS = frozenset({"name", "exact", "frame", "nth"})
ROLES = frozenset(
    {
        "alert", "button", "cell", "checkbox", "columnheader", "combobox", "dialog", "form", "heading",
        "img", "link", "list", "listitem", "main", "navigation", "option", "radio", "region", "row",
        "rowheader", "searchbox", "spinbutton", "status", "table", "tab", "tabpanel", "textbox",
    }
)  # fmt: skip
CONVERSIONS = ("text", "integer", "number", "date")
DOWNLOAD_FACTS = ("sha256", "size", "media_type", "filename")

# action → (keys it may carry besides locator keys, keys it requires, whether it takes a locator)
ACTIONS: dict[str, tuple[frozenset[str], frozenset[str], str]] = {
    "goto": (frozenset({"path", "timeout"}), frozenset({"path"}), "none"),
    "fill": (frozenset({"value", "timeout", "optional"}), frozenset({"value"}), "required"),
    "select": (frozenset({"value", "timeout", "optional"}), frozenset({"value"}), "required"),
    "check": (frozenset({"value", "timeout", "optional"}), frozenset({"value"}), "required"),
    "upload": (frozenset({"file", "timeout", "optional"}), frozenset({"file"}), "required"),
    "click": (frozenset({"timeout", "optional"}), frozenset(), "required"),
    "press": (frozenset({"key", "timeout", "optional"}), frozenset({"key"}), "optional"),
    "wait_for": (frozenset({"url", "state", "timeout"}), frozenset(), "optional"),
    "outcome": (frozenset({"accepted", "rejected", "timeout"}), frozenset({"accepted"}), "none"),
    "read": (
        frozenset({"output", "url", "download", "attribute", "pattern", "as", "all", "timeout"}),
        frozenset({"output"}),
        "optional",
    ),
    "describe_form": (frozenset({"output", "timeout"}), frozenset({"output"}), "optional"),
    "read_table": (
        frozenset({"output", "columns", "timeout", "optional"}),
        frozenset({"output", "columns"}),
        "required",
    ),
    "read_record": (frozenset({"output", "fields", "timeout"}), frozenset({"output", "fields"}), "none"),
    "download": (frozenset({"timeout"}), frozenset(), "required"),
    "pdf": (frozenset({"filename", "timeout"}), frozenset(), "none"),
}
# Steps after which the page may look different: they get a fresh screenshot. The others (reads)
# point at the screenshot of the state they read.
MUTATING = frozenset(
    {"goto", "fill", "select", "check", "upload", "click", "press", "wait_for", "outcome", "describe_form",
     "download"}
)  # fmt: skip

Problem = tuple[tuple[str | int, ...], str]


def step_action(step: Any) -> tuple[str, dict[str, Any]] | None:
    """``(action, arguments)`` of a step mapping such as ``{fill: {label: …, value: …}}``.

    ``goto`` may be given as a bare path (``goto: /x``), ``pdf`` as ``pdf: {}`` or ``pdf: null``.
    None when the step is not a one-key mapping.
    """
    if not isinstance(step, dict) or len(step) != 1:
        return None
    ((action, arg),) = step.items()
    if action == "goto" and isinstance(arg, str):
        return action, {"path": arg}
    if action == "pdf" and arg is None:
        return action, {}
    return action, arg if isinstance(arg, dict) else {"__invalid__": arg}


def locator_of(args: dict[str, Any]) -> dict[str, Any]:
    """The locator part of a step's arguments (locator and modifier keys only)."""
    return {k: v for k, v in args.items() if k in LOCATOR_KEYS or k in LOCATOR_MODIFIERS}


def describe_locator(loc: dict[str, Any]) -> str:
    """A short Vietnamese description of a locator, for records and messages."""
    parts = []
    for key in SEMANTIC + FALLBACK:
        if key in loc:
            if key == "role":
                name = loc.get("name")
                parts.append(f"vai trò {loc['role']}" + (f" «{name}»" if name else ""))
            else:
                parts.append(f"{_KEY_VI[key]} «{loc[key]}»")
    if "frame" in loc:
        frames = loc["frame"] if isinstance(loc["frame"], list) else [loc["frame"]]
        parts.append("trong khung " + " › ".join(map(str, frames)))
    if "nth" in loc:
        parts.append(f"phần tử thứ {int(loc['nth']) + 1}")
    return ", ".join(parts) or "trang"


_KEY_VI = {
    "label": "nhãn",
    "text": "chữ",
    "placeholder": "gợi ý",
    "title": "tiêu đề",
    "alt": "chữ thay thế",
    "testid": "test id",
    "term": "mục",
    "css": "CSS",
    "xpath": "XPath",
}


def _locator_problems(loc: dict[str, Any], where: tuple[str | int, ...], need: str) -> Iterator[Problem]:
    semantic = [k for k in SEMANTIC if k in loc]
    fallback = [k for k in FALLBACK if k in loc]
    if need == "none":
        extra = sorted(set(loc) & (LOCATOR_KEYS | LOCATOR_MODIFIERS))
        if extra:
            yield where, f"bước này không tìm phần tử; bỏ {', '.join(extra)}"
        return
    if not semantic and not fallback:
        if need == "required":
            yield where, "cần một cách tìm phần tử: " + ", ".join(SEMANTIC + FALLBACK)
        elif set(loc) & LOCATOR_MODIFIERS:
            yield where, "name/exact/frame/nth chỉ dùng kèm một cách tìm phần tử"
        return
    if len(semantic) > 1:
        yield where, f"chỉ dùng một cách tìm theo ngữ nghĩa, đang có {', '.join(semantic)}"
    if len(fallback) > 1:
        yield where, "chỉ dùng một trong css hoặc xpath làm dự phòng"
    for key in semantic + fallback:
        if not isinstance(loc[key], str) or not loc[key].strip():
            yield (*where, key), f"{key} phải là chuỗi không rỗng"
    if "role" in loc and isinstance(loc["role"], str) and loc["role"] not in ROLES:
        yield (
            (*where, "role"),
            f"vai trò ARIA không hỗ trợ: {loc['role']}; dùng một trong {', '.join(sorted(ROLES))}",
        )
    if "name" in loc and "role" not in loc:
        yield (*where, "name"), "name chỉ dùng kèm role"
    if "name" in loc and not isinstance(loc["name"], str):
        yield (*where, "name"), "name phải là chuỗi"
    if "exact" in loc and not isinstance(loc["exact"], bool):
        yield (*where, "exact"), "exact phải là true hoặc false"
    if "nth" in loc and (not isinstance(loc["nth"], int) or isinstance(loc["nth"], bool) or loc["nth"] < 0):
        yield (*where, "nth"), "nth phải là số nguyên ≥ 0"
    frame = loc.get("frame")
    if frame is not None:
        frames = frame if isinstance(frame, list) else [frame]
        if not frames or not all(isinstance(f, str) and f.strip() for f in frames):
            yield (*where, "frame"), "frame là bộ chọn CSS của khung (iframe) hoặc danh sách các bộ chọn"


def _condition_problems(cond: Any, where: tuple[str | int, ...]) -> Iterator[Problem]:
    """An outcome condition: a locator, ``{url: regex}``, or a list of them (any one)."""
    items = cond if isinstance(cond, list) else [cond]
    if not items:
        yield where, "cần ít nhất một điều kiện"
    for i, item in enumerate(items):
        here = (*where, i) if isinstance(cond, list) else where
        if not isinstance(item, dict):
            yield here, "điều kiện là một ánh xạ: {url: …} hoặc một cách tìm phần tử"
            continue
        unknown = set(item) - LOCATOR_KEYS - LOCATOR_MODIFIERS - {"url"}
        if unknown:
            yield here, f"trường không được phép: {', '.join(sorted(unknown))}"
        if "url" in item:
            if set(item) & LOCATOR_KEYS:
                yield here, "một điều kiện là url hoặc một phần tử, không cả hai"
            yield from _regex_problems(item["url"], (*here, "url"))
        else:
            yield from _locator_problems(locator_of(item), here, "required")


def _columns_problems(columns: Any, where: tuple[str | int, ...]) -> Iterator[Problem]:
    """``read_table`` columns: output key → a column heading, or {heading, as, link, pattern}."""
    if not isinstance(columns, dict) or not columns:
        yield where, "columns là ánh xạ: khóa của bản ghi → tiêu đề cột (hoặc {heading, as, link, pattern})"
        return
    for key, spec in columns.items():
        here = (*where, key)
        if isinstance(spec, str) and spec.strip():
            continue
        if not isinstance(spec, dict) or not isinstance(spec.get("heading"), str):
            yield here, "mỗi cột là tiêu đề cột (chuỗi) hoặc {heading, as, link, pattern}"
            continue
        unknown = set(spec) - {"heading", "as", "link", "pattern"}
        if unknown:
            yield here, f"trường không được phép: {', '.join(sorted(unknown))}"
        if spec.get("as", "text") not in CONVERSIONS:
            yield (*here, "as"), f"as là một trong {', '.join(CONVERSIONS)}"
        for rx in ("link", "pattern"):
            if rx in spec:
                yield from _regex_problems(spec[rx], (*here, rx))


def _fields_problems(fields: Any, where: tuple[str | int, ...]) -> Iterator[Problem]:
    """``read_record`` fields: record key → the term beside which its value is shown, or
    {term, as, pattern, attribute}."""
    if not isinstance(fields, dict) or not fields:
        yield (
            where,
            "fields là ánh xạ: khóa của bản ghi → mục (term) trên trang, hoặc {term, as, pattern, attribute}",
        )
        return
    for key, spec in fields.items():
        here = (*where, key)
        if isinstance(spec, str) and spec.strip():
            continue
        if not isinstance(spec, dict) or not isinstance(spec.get("term"), str) or not spec["term"].strip():
            yield here, "mỗi trường là tên mục (chuỗi) hoặc {term, as, pattern, attribute}"
            continue
        unknown = set(spec) - {"term", "as", "pattern", "attribute"}
        if unknown:
            yield here, f"trường không được phép: {', '.join(sorted(unknown))}"
        if spec.get("as", "text") not in CONVERSIONS:
            yield (*here, "as"), f"as là một trong {', '.join(CONVERSIONS)}"
        if "pattern" in spec:
            yield from _regex_problems(spec["pattern"], (*here, "pattern"))
        if "attribute" in spec and not isinstance(spec["attribute"], str):
            yield (*here, "attribute"), "attribute phải là tên thuộc tính (chuỗi)"


def _regex_problems(value: Any, where: tuple[str | int, ...]) -> Iterator[Problem]:
    import re

    if not isinstance(value, str) or not value:
        yield where, "phải là biểu thức chính quy (chuỗi)"
        return
    try:
        re.compile(value)
    except re.error as exc:
        yield where, f"biểu thức chính quy sai: {exc}"


def flow_problems(
    flow: Any,
    *,
    inputs: frozenset[str] | set[str] | tuple[str, ...],
    outputs: frozenset[str] | set[str] | tuple[str, ...],
    roles: set[str],
    login: bool = False,
) -> list[Problem]:
    """Every problem of a UI flow (``{as, steps}``), each as (key path relative to the flow, message).

    ``inputs``/``outputs`` are the operation's; ``login`` allows ``${cred.…}`` (the login flow only).
    """
    out: list[Problem] = []
    if not isinstance(flow, dict):
        return [((), "ràng buộc giao diện là một ánh xạ {as, steps}")]
    role = flow.get("as")
    if role and role != "anonymous" and role not in roles:
        out.append((("as",), f"vai trò {role} chưa khai báo trong auth.roles"))
    for name in flow.get("defaults") or {}:
        if name not in inputs:
            out.append((("defaults", name), f"thao tác không có đầu vào '{name}'"))
    steps = flow.get("steps")
    if not isinstance(steps, list) or not steps:
        out.append((("steps",), "cần danh sách các bước (steps)"))
        return out
    read_outputs: set[str] = set()
    has_outcome = False
    for i, step in enumerate(steps):
        where: tuple[str | int, ...] = ("steps", i)
        parsed = step_action(step)
        if parsed is None:
            out.append(
                (where, "mỗi bước là một ánh xạ có đúng một hành động, ví dụ {fill: {label: …, value: …}}")
            )
            continue
        action, args = parsed
        where = (*where, action)
        if action not in ACTIONS:
            out.append((where, f"hành động không tồn tại: {action}; dùng một trong {', '.join(ACTIONS)}"))
            continue
        if "__invalid__" in args:
            out.append((where, f"{action} cần một ánh xạ tham số"))
            continue
        allowed, required, need_locator = ACTIONS[action]
        unknown = set(args) - allowed - LOCATOR_KEYS - LOCATOR_MODIFIERS
        if unknown:
            out.append((where, f"trường không được phép trong {action}: {', '.join(sorted(unknown))}"))
        missing = required - set(args)
        if missing:
            out.append((where, f"{action} thiếu {', '.join(sorted(missing))}"))
        if action == "read" and "url" not in args and "download" not in args:
            need_locator = "required"
        if action in ("read", "wait_for") and ("url" in args or "download" in args):
            need_locator = "none"
        if action == "wait_for" and "url" not in args:
            need_locator = "required"
        out += _locator_problems(locator_of(args), where, need_locator)
        if "timeout" in args and (
            not isinstance(args["timeout"], int | float)
            or isinstance(args["timeout"], bool)
            or not 0 < args["timeout"] <= 600
        ):
            out.append(((*where, "timeout"), "timeout là số giây, 0 < timeout ≤ 600"))
        for flag in ("optional", "all"):
            if flag in args and not isinstance(args[flag], bool):
                out.append(((*where, flag), f"{flag} phải là true hoặc false"))
        if action == "goto" and isinstance(args.get("path"), str) and not args["path"].startswith("/"):
            out.append(((*where, "path"), "đường dẫn bắt đầu bằng / (tương đối với base_url)"))
        if action == "outcome":
            has_outcome = True
            for key in ("accepted", "rejected"):
                if key in args:
                    out += _condition_problems(args[key], (*where, key))
        if action == "wait_for" and "url" in args:
            out += _regex_problems(args["url"], (*where, "url"))
        if action == "wait_for" and args.get("state", "visible") not in (
            "visible",
            "hidden",
            "attached",
            "detached",
        ):
            out.append(((*where, "state"), "state là visible, hidden, attached hoặc detached"))
        if action == "read":
            if "url" in args:
                out += _regex_problems(args["url"], (*where, "url"))
            if "pattern" in args:
                out += _regex_problems(args["pattern"], (*where, "pattern"))
            if "download" in args and args["download"] not in DOWNLOAD_FACTS:
                out.append(((*where, "download"), f"download là một trong {', '.join(DOWNLOAD_FACTS)}"))
            if args.get("as", "text") not in CONVERSIONS:
                out.append(((*where, "as"), f"as là một trong {', '.join(CONVERSIONS)}"))
            if "attribute" in args and not isinstance(args["attribute"], str):
                out.append(((*where, "attribute"), "attribute phải là tên thuộc tính (chuỗi)"))
        if action == "read_table":
            out += _columns_problems(args.get("columns"), (*where, "columns"))
        if action == "read_record":
            out += _fields_problems(args.get("fields"), (*where, "fields"))
        if action in ("read", "describe_form", "read_table", "read_record"):
            name = args.get("output")
            if not isinstance(name, str) or not name:
                out.append(((*where, "output"), "output phải là tên một đầu ra"))
            elif login:
                out.append(((*where, "output"), "luồng đăng nhập không có đầu ra"))
            elif name not in outputs:
                out.append(((*where, "output"), f"thao tác không có đầu ra '{name}'"))
            else:
                read_outputs.add(name)
        if action == "press" and not isinstance(args.get("key"), str):
            out.append(((*where, "key"), "key là tên phím của Playwright, ví dụ Enter, Tab"))
        for ns, dotted in references(args):
            first = dotted.split(".")[0]
            if ns == "in" and not login and first not in inputs:
                out.append((where, f"${{in.{dotted}}}: thao tác không có đầu vào '{first}'"))
            elif ns == "cred" and not login:
                out.append((where, "${cred.…} chỉ dùng trong luồng đăng nhập (ui.login)"))
            elif ns not in ("in", "run", "cred") or (ns == "in" and login):
                out.append((where, f"không dùng được ${{{ns}.…}} ở đây"))
    if (
        not has_outcome
        and not login
        and any((step_action(s) or ("", {}))[0] in ("click", "press") for s in steps)
    ):
        out.append(
            (
                ("steps",),
                "luồng có thao tác gửi (click/press) cần bước outcome: hệ thống chấp nhận hay từ chối?",
            )
        )
    return out


def login_problems(login: Any, roles: set[str]) -> list[Problem]:
    """Problems of the target's ``ui.login`` flow (``{steps, success}``)."""
    if not isinstance(login, dict):
        return [((), "ui.login là một ánh xạ {steps, success}")]
    out = [(k, m) for k, m in flow_problems(login, inputs=(), outputs=(), roles=roles, login=True)]
    if "success" not in login:
        out.append(((), "ui.login cần success: điều kiện cho biết đã đăng nhập (url hoặc phần tử)"))
    else:
        out += list(_condition_problems(login["success"], ("success",)))
    return out


def target_ui_problems(src: Any, known: dict[str, Any], roles: set[str]) -> list[Any]:
    """UI problems of a loaded target file (``Sourced``), each with its line: login flow and bindings."""
    d = src.data
    out = []
    ui = d.get("ui") or {}
    uses_ui = False
    for name, binding in (d.get("operations") or {}).items():
        if not isinstance(binding, dict) or "ui" not in binding:
            continue
        uses_ui = True
        key: tuple[str | int, ...] = ("operations", name, "ui")
        if "http" in binding:
            out.append(src.problem(key, f"{name}: ràng buộc bằng http hoặc ui, không cả hai"))
        op = known.get(name)
        if op is None:
            continue  # reported as an unknown operation already
        for rel, msg in flow_problems(binding["ui"], inputs=op.inputs, outputs=op.outputs, roles=roles):
            out.append(src.problem((*key, *rel), msg))
    if (
        uses_ui
        and not ui.get("login")
        and any(
            isinstance(b, dict)
            and isinstance(b.get("ui"), dict)
            and b["ui"].get("as") not in (None, "anonymous")
            for b in (d.get("operations") or {}).values()
        )
    ):
        out.append(
            src.problem(("ui",), "có ràng buộc giao diện theo vai trò nhưng thiếu ui.login (luồng đăng nhập)")
        )
    if "login" in ui:
        for rel, msg in login_problems(ui["login"], roles):
            out.append(src.problem(("ui", "login", *rel), msg))
    return out
