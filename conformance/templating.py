"""``${…}`` references and ``{$gen: …}`` generators inside profile and target values.

Generators: ``$text`` (Vietnamese text of a length), ``$pdf`` and ``$file`` (file inputs, see
``conformance.inputs``; ``$file`` may name one of the harness's test files with ``fixture:``;
a binding reads ``${in.<name>.base64|name|media_type|size|sha256}``).

There is no expression language and no ``eval``: a reference is a dotted path into a fixed set of
namespaces (``param``, ``saved``, ``in``, ``cred``, ``run``), and a generator is one of a few named
functions. A string that is exactly one reference keeps the referenced value's type; a reference
inside a longer string is formatted as text. A reference to something absent yields ``ABSENT``,
which request builders drop, so a criterion can omit a field simply by not giving it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from conformance.inputs import FileInput, fixture_problem, gen_file, gen_pdf

REF = re.compile(r"\$\{([a-z_]+)((?:\.[A-Za-z0-9_]+)*)\}")
NAMESPACES = frozenset({"param", "saved", "in", "cred", "run"})


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Any = _Absent()


class TemplateError(ValueError):
    """A reference or generator that cannot be resolved (named in the message)."""


def lookup(scope: Mapping[str, Any], ns: str, dotted: str) -> Any:
    if ns not in scope:
        raise TemplateError(f"không gian tên không được phép ở đây: ${{{ns}…}}")
    value: Any = scope[ns]
    for part in [p for p in dotted.split(".") if p]:
        if isinstance(value, FileInput):
            got = value.attribute(part)
            if got is None:
                return ABSENT
            value = got
        elif isinstance(value, Mapping) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return ABSENT
    return value


# A fixed Vietnamese sentence, cycled to any length: exercises diacritics (NFC, 1 code point each).
_VI_TEXT = "Về việc triển khai công tác văn thư, lưu trữ điện tử của cơ quan năm nay. "


def gen_text(length: Any) -> str:
    """Vietnamese NFC text of exactly ``length`` characters (boundary tests of PL VI lengths)."""
    n = int(length)
    if n < 0:
        raise TemplateError("$text cần độ dài ≥ 0")
    base = unicodedata.normalize("NFC", _VI_TEXT)
    text = (base * (n // len(base) + 1))[:n]
    return text[:-1] + "." if n and text.endswith(" ") else text


GENERATORS: dict[str, Callable[..., Any]] = {"$text": gen_text, "$pdf": gen_pdf, "$file": gen_file}
# The parameters a generator given a mapping accepts (checked before a run, with file:line)
GENERATOR_KEYS: dict[str, frozenset[str]] = {
    "$pdf": frozenset({"text", "pages", "name", "title"}),
    "$file": frozenset({"name", "media_type", "text", "base64", "fixture"}),
}


def generator_problems(value: Any) -> list[str]:
    """Unknown parameters of ``$pdf`` / ``$file`` anywhere in a value, said before anything runs."""
    found: list[str] = []
    if isinstance(value, Mapping):
        if len(value) == 1:
            ((k, arg),) = value.items()
            allowed = GENERATOR_KEYS.get(k) if isinstance(k, str) else None
            if allowed is not None and isinstance(arg, Mapping):
                found += [f"{k} không có tham số {extra}" for extra in sorted(set(arg) - allowed)]
                if k == "$file" and sum(x in arg for x in ("text", "base64", "fixture")) != 1:
                    found.append("$file cần đúng một trong text, base64 hoặc fixture")
                elif k == "$file" and "fixture" in arg and (problem := fixture_problem(arg["fixture"])):
                    found.append(problem)
        for v in value.values():
            found += generator_problems(v)
    elif isinstance(value, list):
        for v in value:
            found += generator_problems(v)
    return found


def resolve(value: Any, scope: Mapping[str, Any]) -> Any:
    """Resolve references and generators recursively; ABSENT values are dropped from containers."""
    if isinstance(value, str):
        m = REF.fullmatch(value)
        if m:
            return lookup(scope, m.group(1), m.group(2))

        def sub(mm: re.Match[str]) -> str:
            got = lookup(scope, mm.group(1), mm.group(2))
            return "" if got is ABSENT else str(got)

        return REF.sub(sub, value)
    if isinstance(value, Mapping):
        if len(value) == 1:
            ((k, arg),) = value.items()
            if isinstance(k, str) and k.startswith("$"):
                if k == "$unique":
                    return f"{resolve(arg, scope)}{scope.get('run', {}).get('unique', '')}"
                fn = GENERATORS.get(k)
                if fn is None:
                    raise TemplateError(f"bộ sinh giá trị không tồn tại: {k}")
                return fn(resolve(arg, scope))
        out = {}
        for k, v in value.items():
            r = resolve(v, scope)
            if r is not ABSENT:
                out[k] = r
        return out
    if isinstance(value, list):
        return [r for r in (resolve(v, scope) for v in value) if r is not ABSENT]
    return value


def references(value: Any) -> list[tuple[str, str]]:
    """Every ``(namespace, dotted path)`` referenced in a value, for validation before a run."""
    found: list[tuple[str, str]] = []
    if isinstance(value, str):
        found += [(m.group(1), m.group(2).lstrip(".")) for m in REF.finditer(value)]
    elif isinstance(value, Mapping):
        for k, v in value.items():
            if isinstance(k, str) and k.startswith("$") and k != "$unique" and k not in GENERATORS:
                found.append(("$gen", k))
            found += references(v)
    elif isinstance(value, list):
        for v in value:
            found += references(v)
    return found
