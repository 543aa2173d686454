"""Load a profile with its includes and the profile it extends, and check it before any run.

Checks, each reported as ``file:line: field: message``: the JSON Schema of profiles; duplicate and
dangling criterion IDs; inherited IDs replaced only with ``override: true``; every operation known
and every input it is given known; every judge known, with parameters valid against the judge's
own schema; every ``${…}`` reference resolvable; operations that need an optional feature called
only by criteria that declare that feature in their applicability.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from conformance.catalogue.model import AREAS, Criterion, LegalBasis, Profile, Step
from conformance.catalogue.operations import facility_features, operations
from conformance.catalogue.yamlsrc import Sourced, format_path, load_yaml
from conformance.errors import ConfigError, Problem
from conformance.judges.registry import load_all as load_judges
from conformance.templating import GENERATORS, generator_problems, references, resolve


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in the package (profile, target, run-config, results)."""
    text = resources.files("conformance.catalogue").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    return json.loads(text)


def schema_problems(src: Sourced, schema_name: str) -> list[Problem]:
    """Every schema violation of a loaded file, each with its line and field, in file order."""
    validator = jsonschema.Draft202012Validator(schema(schema_name))
    problems = []
    for err in validator.iter_errors(src.data):
        key = tuple(err.absolute_path)
        problems.append(src.problem(key, _schema_message(err)))
    problems.sort(key=lambda p: (p.line or 0, p.field))
    return problems


def _schema_message(err: jsonschema.ValidationError) -> str:
    v = err.validator
    if v == "required":
        missing = [m for m in err.validator_value if isinstance(err.instance, dict) and m not in err.instance]
        return f"thiếu trường bắt buộc {', '.join(missing)} (missing required field)"
    if v == "additionalProperties":
        extra = (
            sorted(set(err.instance) - set(err.schema.get("properties", {})))
            if isinstance(err.instance, dict)
            else []
        )
        return f"trường không được phép: {', '.join(extra)} (unknown field)"
    if v == "enum":
        return f"giá trị {err.instance!r} không hợp lệ; cho phép: {', '.join(map(str, err.validator_value))}"
    if v == "type":
        return f"sai kiểu: {err.instance!r} phải là {err.validator_value}"
    if v in ("minimum", "exclusiveMinimum"):
        return (
            f"giá trị {err.instance!r} phải {'>' if v == 'exclusiveMinimum' else '≥'} {err.validator_value}"
        )
    if v in ("maximum", "exclusiveMaximum"):
        return (
            f"giá trị {err.instance!r} phải {'<' if v == 'exclusiveMaximum' else '≤'} {err.validator_value}"
        )
    if v in ("minLength", "minItems"):
        return f"giá trị {err.instance!r} quá ngắn (tối thiểu {err.validator_value})"
    if v in ("maxLength", "maxItems"):
        return f"giá trị quá dài (tối đa {err.validator_value})"
    if v == "const":
        return f"giá trị phải là {err.validator_value!r}"
    if v == "pattern":
        return f"giá trị {err.instance!r} không đúng mẫu {err.validator_value}"
    if v in ("oneOf", "anyOf"):
        return f"không khớp dạng nào được phép ({err.message[:160]})"
    return err.message[:240]


class _Loader:
    def __init__(self) -> None:
        self.files: list[tuple[str, bytes]] = []

    def load(self, path: Path, stack: tuple[Path, ...]) -> Profile:
        path = path / "profile.yaml" if path.is_dir() else path
        real = path.resolve()
        if real in stack:
            chain = " → ".join(str(p) for p in (*stack, real))
            raise ConfigError.one(str(path), None, "profile.extends", f"kế thừa vòng tròn: {chain}")
        src = self._read(path)
        head = src.data.get("profile")
        if head is None:
            raise ConfigError([src.problem((), "thiếu khối 'profile:' (không phải tệp hồ sơ chính)")])
        base: Profile | None = None
        if head.get("extends"):
            base_path = path.parent / head["extends"]
            if not base_path.exists():
                raise ConfigError([src.problem(("profile", "extends"), f"không tìm thấy {head['extends']}")])
            base = self.load(base_path, (*stack, real))
        sources = []
        for i, inc in enumerate(head.get("include") or []):
            p = path.parent / inc
            if not p.exists():
                raise ConfigError([src.problem(("profile", "include", i), f"không tìm thấy tệp {inc}")])
            isrc = self._read(p)
            if "profile" in isrc.data:
                raise ConfigError(
                    [isrc.problem(("profile",), "tệp được include không được có khối 'profile:'")]
                )
            sources.append(isrc)
        sources.append(src)
        return self._assemble(path, src, head, base, sources)

    def _read(self, path: Path) -> Sourced:
        src = load_yaml(path)
        if not isinstance(src.data, dict):
            raise ConfigError([src.problem((), "tệp hồ sơ phải là một ánh xạ (mapping)")])
        problems = schema_problems(src, "profile")
        if problems:
            raise ConfigError(problems)
        self.files.append((src.path, path.read_bytes()))
        return src

    def _assemble(
        self, path: Path, main: Sourced, head: dict[str, Any], base: Profile | None, sources: list[Sourced]
    ) -> Profile:
        params: dict[str, Any] = dict(base.parameters) if base else {}
        for s in sources:
            params.update(s.data.get("parameters") or {})
        inherited = dict(base.criteria) if base else {}
        own: dict[str, tuple[Sourced, int]] = {}
        problems: list[Problem] = []
        merged = dict(inherited)
        for s in sources:
            for i, raw in enumerate(s.data.get("criteria") or []):
                cid = raw["id"]
                key = ("criteria", i, "id")
                if cid in own:
                    first = own[cid]
                    problems.append(
                        s.problem(
                            key,
                            f"mã tiêu chí {cid} bị trùng (đã có ở {first[0].path}:"
                            f"{first[0].line_of(('criteria', first[1]))})",
                        )
                    )
                    continue
                own[cid] = (s, i)
                if cid in inherited and not raw.get("override"):
                    problems.append(
                        s.problem(key, f"{cid} đã có trong hồ sơ kế thừa; thêm 'override: true' để thay thế")
                    )
                    continue
                if raw.get("override") and cid not in inherited:
                    problems.append(
                        s.problem(key, f"'override: true' nhưng {cid} không có trong hồ sơ kế thừa")
                    )
                    continue
                try:
                    merged[cid] = _criterion(s, i, raw, params)
                except ConfigError as exc:
                    problems.extend(exc.problems)
        removals = [(s, i, rid) for s in sources for i, rid in enumerate(s.data.get("remove") or [])]
        for s, i, rid in removals:  # profile.yaml or any file it includes (an area drops its own rows)
            if rid not in inherited:
                problems.append(s.problem(("remove", i), f"{rid} không có trong hồ sơ kế thừa"))
            elif rid in own:
                problems.append(s.problem(("remove", i), f"{rid} vừa bị xóa vừa được định nghĩa lại"))
            else:
                merged.pop(rid, None)
        if problems:
            raise ConfigError(problems)
        area_order = list(AREAS)
        ordered = dict(sorted(merged.items(), key=lambda kv: (area_order.index(kv[1].area), kv[0])))
        digest = hashlib.sha256()
        for name, data in self.files:
            digest.update(name.encode() + b"\0" + data + b"\0")
        return Profile(
            id=head["id"],
            version=str(head["version"]),
            title=head["title"],
            regime=head["regime"],
            valid_as_of=head["valid_as_of"],
            path=main.path,
            parameters=params,
            criteria=ordered,
            files=[n for n, _ in self.files],
            sha256=digest.hexdigest(),
            extends=base.id if base else None,
        )


def _criterion(src: Sourced, i: int, raw: dict[str, Any], params: dict[str, Any]) -> Criterion:
    base_key: tuple[str | int, ...] = ("criteria", i)
    problems: list[Problem] = []
    features = tuple((raw.get("applicability") or {}).get("features") or ())
    ops = operations()
    judges = load_judges()
    saved: set[str] = set()
    steps: list[Step] = []
    for j, st in enumerate((raw.get("check") or {}).get("steps") or []):
        key = (*base_key, "check", "steps", j)
        line = src.line_of(key)
        if "call" in st:
            op = ops.get(st["call"])
            if op is None:
                problems.append(
                    src.problem(
                        (*key, "call"),
                        f"thao tác không tồn tại: {st['call']} (xem conformance list --operations)",
                    )
                )
                if st.get("save"):
                    saved.add(st["save"])  # one mistake, one message: later steps may still use the name
                continue
            for inp in st.get("with") or {}:
                if inp not in op.inputs:
                    problems.append(
                        src.problem((*key, "with", inp), f"thao tác {op.name} không có đầu vào '{inp}'")
                    )
            if op.feature and op.feature not in features:
                problems.append(
                    src.problem(
                        (*key, "call"),
                        f"thao tác {op.name} cần tính năng '{op.feature}': "
                        + (
                            "khai báo trong applicability.features (phương tiện kiểm thử)"
                            if op.facility
                            else "khai báo trong applicability.features và conditional"
                        ),
                    )
                )
            problems += _check_refs(src, (*key, "with"), st.get("with") or {}, params, saved)
            if st.get("save"):
                if st["save"] in saved:
                    problems.append(src.problem((*key, "save"), f"tên '{st['save']}' đã được dùng"))
                saved.add(st["save"])
            steps.append(Step("call", op.name, j, line, st.get("with") or {}, st.get("as"), st.get("save")))
        else:
            spec = judges.get(st["judge"])
            if spec is None:
                problems.append(
                    src.problem(
                        (*key, "judge"),
                        f"bộ đánh giá không tồn tại: {st['judge']} (có: {', '.join(sorted(judges))})",
                    )
                )
                continue
            on = st.get("on")
            on_t = (on,) if isinstance(on, str) else tuple(on or ())
            if spec.on != "none" and not on_t:
                problems.append(src.problem(key, f"bộ đánh giá {spec.name} cần 'on:' (tên bước đã lưu)"))
            if spec.on == "many" and isinstance(on, str):
                problems.append(src.problem((*key, "on"), f"bộ đánh giá {spec.name} cần một danh sách bước"))
            for name in on_t:
                if name not in saved:
                    problems.append(src.problem((*key, "on"), f"không có bước nào trước đó lưu tên '{name}'"))
            w = st.get("with") or {}
            problems += _check_refs(src, (*key, "with"), w, params, saved)
            problems += _check_judge_params(src, (*key, "with"), spec.params, w, params)
            steps.append(Step("judge", spec.name, j, line, w, on=on_t, because=st.get("because")))
    if raw.get("check") and not any(s.kind == "judge" for s in steps) and not problems:
        problems.append(
            src.problem(
                (*base_key, "check"),
                "kiểm tra không có bộ đánh giá nào: một tiêu chí không thể trượt là một lỗi",
            )
        )
    if set(features) - facility_features() and not raw.get("conditional"):
        problems.append(
            src.problem(
                (*base_key, "applicability"),
                "tiêu chí có điều kiện áp dụng phải khai báo 'conditional: true'",
            )
        )
    problems += _check_covers(src, base_key, raw)
    if problems:
        raise ConfigError(problems)
    return Criterion(
        id=raw["id"],
        title=raw["title"],
        area=raw["area"],
        level=raw["level"],
        channel=raw.get("channel", "api"),
        severity=raw.get("severity", "legal"),
        legal_basis=tuple(
            LegalBasis(lb["instrument"], lb["article"], lb.get("clause"), lb.get("note"))
            for lb in raw["legal_basis"]
        ),
        evidence_mark=raw["evidence_mark"],
        conditional=bool(raw.get("conditional")),
        features=features,
        steps=tuple(steps),
        source=src.path,
        line=src.line_of(base_key),
        guidance=raw.get("guidance"),
        requirement=raw.get("requirement"),
        external_refs=tuple(raw.get("external_refs") or ()),
        covers=tuple(raw.get("covers") or ()),
    )


def _check_covers(src: Sourced, base_key: tuple[str | int, ...], raw: dict[str, Any]) -> list[Problem]:
    """Rows named in ``covers`` exist in the law catalogue and are not the criterion's own row."""
    from conformance.catalogue.law import row_of, rows

    known = rows()
    problems = []
    for k, rid in enumerate(raw.get("covers") or ()):
        if rid not in known:
            problems.append(
                src.problem((*base_key, "covers", k), f"không có dòng {rid} trong danh mục yêu cầu pháp lý")
            )
        elif rid == row_of(raw["id"]):
            problems.append(
                src.problem(
                    (*base_key, "covers", k), f"{rid} là dòng của chính tiêu chí (đã được tính theo mã)"
                )
            )
    return problems


def _check_refs(
    src: Sourced, key: tuple[str | int, ...], value: Any, params: dict[str, Any], saved: set[str]
) -> list[Problem]:
    problems = [src.problem(key, msg) for msg in generator_problems(value)]
    for ns, dotted in references(value):
        first = dotted.split(".")[0] if dotted else ""
        if ns == "$gen":
            if dotted not in GENERATORS:
                problems.append(src.problem(key, f"bộ sinh giá trị không tồn tại: {dotted}"))
        elif ns == "param":
            if first not in params:
                problems.append(src.problem(key, f"tham số không tồn tại: ${{param.{dotted}}}"))
        elif ns == "saved":
            if first not in saved:
                problems.append(src.problem(key, f"chưa có bước nào lưu tên '{first}' (${{saved.{dotted}}})"))
        elif ns != "run":
            problems.append(src.problem(key, f"không dùng được ${{{ns}.…}} trong hồ sơ tiêu chí"))
    return problems


def _check_judge_params(
    src: Sourced,
    key: tuple[str | int, ...],
    judge_schema: dict[str, Any],
    given: dict[str, Any],
    params: dict[str, Any],
) -> list[Problem]:
    """Validate a judge's parameters once the profile parameters are substituted.

    Values that refer to saved outputs are only known during a run; they are left out here, and
    the ``required`` rule is relaxed for them.
    """
    late = {
        k
        for k, v in given.items()
        if any(
            ns == "saved" or (ns == "run" and d.split(".")[0] in LIVE_RUN_VALUES) for ns, d in references(v)
        )
    }
    try:
        concrete = resolve({k: v for k, v in given.items() if k not in late}, {"param": params, "run": {}})
    except ValueError as exc:
        return [src.problem(key, str(exc))]
    sch = dict(judge_schema)
    if late and "required" in sch:
        sch["required"] = [r for r in sch["required"] if r not in late]
    problems = []
    for err in jsonschema.Draft202012Validator(sch).iter_errors(concrete):
        problems.append(src.problem((*key, *err.absolute_path), _schema_message(err)))
    return problems


# ``${run.…}`` values known only when a criterion starts (engine.Engine.live_scope).
LIVE_RUN_VALUES = frozenset({"users", "since"})


def load_profile(path: Path | str) -> Profile:
    """Load and check a profile (a profile.yaml, or the directory holding one)."""
    return _Loader().load(Path(path), ())


__all__ = ["format_path", "load_profile", "schema", "schema_problems"]
