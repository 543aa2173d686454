"""Hypothesis-generated broken YAML never produces a traceback: only a ConfigError naming the file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.catalogue.loader import load_profile
from conformance.errors import ConfigError
from conformance.runconfig import load_run_config
from conformance.target import load_target
from tests.conftest import REFERENCE_TARGET, ROOT

PROFILE = (
    (ROOT / "tests" / "fixtures" / "broken" / "p10-unknown-input.yaml")
    .read_text("utf-8")
    .replace("titel", "title")
)
TARGET = REFERENCE_TARGET.read_text("utf-8")

mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 10_000)),
    st.tuples(st.just("duplicate"), st.integers(0, 10_000)),
    st.tuples(st.just("indent"), st.integers(0, 10_000)),
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.text(min_size=1, max_size=12)),
    st.tuples(st.just("truncate"), st.integers(0, 10_000)),
)


def mutate(text: str, ops: list[tuple]) -> str:
    lines = text.splitlines(keepends=True)
    for op in ops:
        if not lines:
            break
        i = op[1] % len(lines)
        if op[0] == "delete":
            del lines[i]
        elif op[0] == "duplicate":
            lines.insert(i, lines[i])
        elif op[0] == "indent":
            lines[i] = " " + lines[i]
        elif op[0] == "insert":
            pos = op[1] % (len(lines[i]) + 1)
            lines[i] = lines[i][:pos] + op[2] + lines[i][pos:]
        elif op[0] == "truncate":
            lines = lines[: i + 1]
    return "".join(lines)


def _never_crashes(loader, text: str, suffix: str = ".yaml") -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"fuzzed{suffix}"
        p.write_bytes(text.encode("utf-8", errors="replace"))
        try:
            loader(p)
        except ConfigError as exc:
            assert exc.problems, "a ConfigError must carry at least one problem"
            for prob in exc.problems:
                assert prob.file.endswith("fuzzed.yaml")
                assert prob.message


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation, min_size=1, max_size=4))
def test_mutated_profiles_never_traceback(ops: list[tuple]) -> None:
    _never_crashes(load_profile, mutate(PROFILE, ops))


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation, min_size=1, max_size=4))
def test_mutated_targets_never_traceback(ops: list[tuple]) -> None:
    _never_crashes(load_target, mutate(TARGET, ops))


@settings(max_examples=100)
@given(st.text(max_size=300))
def test_arbitrary_text_never_tracebacks(text: str) -> None:
    _never_crashes(load_profile, text)
    _never_crashes(load_target, text)
    _never_crashes(load_run_config, text)


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    _never_crashes(load_profile, bomb)
