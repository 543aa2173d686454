"""YAML loading that remembers where every value came from.

PyYAML's composed node tree carries line marks; we build plain Python data from it and keep a map
from each JSON path to its line, so a schema error on ``criteria[3].level`` can say ``file:42``.
Duplicate keys, which PyYAML silently overwrites, are reported as errors.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from conformance.errors import ConfigError, Problem

MAX_YAML_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000  # aliases can expand a small file exponentially ("billion laughs")

PathKey = tuple[str | int, ...]


@dataclass
class Sourced:
    """Data loaded from one YAML file, with the line of every value."""

    path: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    nodes: int = 0
    # Data merged from several files (a target that ``extends:`` another): the file of each value
    # that did not come from ``path``, so a problem names the file the value is written in.
    files: dict[PathKey, str] = field(default_factory=dict)

    def _mark(self, key: PathKey) -> PathKey | None:
        k = tuple(key)
        while True:
            if k in self.lines:
                return k
            if not k:
                return None
            k = k[:-1]

    def line_of(self, key: PathKey) -> int | None:
        """The line of the value at ``key``, or of its nearest ancestor that has one."""
        k = self._mark(key)
        return None if k is None else self.lines[k]

    def file_of(self, key: PathKey) -> str:
        """The file the value at ``key`` (or its nearest marked ancestor) is written in."""
        k = self._mark(key)
        return self.path if k is None else self.files.get(k, self.path)

    def problem(self, key: PathKey, message: str) -> Problem:
        return Problem(self.file_of(key), self.line_of(key), format_path(key), message)


def format_path(key: PathKey) -> str:
    """``('criteria', 3, 'level')`` → ``criteria[3].level``."""
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _scalar(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    value = loader.construct_object(node, deep=True)
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value)
    return value


def _build(loader: yaml.SafeLoader, node: yaml.Node, key: PathKey, src: Sourced, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise ConfigError([src.problem(key, f"lồng quá sâu (>{MAX_DEPTH} mức)")])
    src.nodes += 1
    if src.nodes > MAX_NODES:
        raise ConfigError(
            [
                Problem(
                    src.path,
                    node.start_mark.line + 1,
                    format_path(key),
                    f"quá nhiều giá trị (>{MAX_NODES}): bí danh (alias) lồng nhau?",
                )
            ]
        )
    src.lines[key] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[str, Any] = {}
        for knode, vnode in node.value:
            # Keys are taken as written: YAML 1.1 would turn ``on:`` into True and ``no:`` into False.
            if not isinstance(knode, yaml.ScalarNode) or (
                knode.tag == "tag:yaml.org,2002:null" and not knode.value
            ):
                raise ConfigError(
                    [
                        Problem(
                            src.path,
                            knode.start_mark.line + 1,
                            format_path(key),
                            "khóa phải là chuỗi (key must be a string)",
                        )
                    ]
                )
            k = unicodedata.normalize("NFC", knode.value)
            if k in out:
                raise ConfigError(
                    [
                        Problem(
                            src.path,
                            knode.start_mark.line + 1,
                            format_path((*key, k)),
                            "khóa bị lặp lại (duplicate key)",
                        )
                    ]
                )
            out[k] = _build(loader, vnode, (*key, k), src, depth + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, n, (*key, i), src, depth + 1) for i, n in enumerate(node.value)]
    return _scalar(loader, node)


def display_path(path: Path | str) -> str:
    """The path as a user would type it: relative to the working directory where possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def load_yaml(path: Path | str, display: str | None = None) -> Sourced:
    """Load one YAML document; every failure is a ConfigError naming file and line."""
    p = Path(path)
    name = display or display_path(p)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ConfigError.one(name, None, "", f"không đọc được tệp: {exc.strerror or exc}") from None
    if len(raw) > MAX_YAML_BYTES:
        raise ConfigError.one(name, None, "", f"tệp quá lớn ({len(raw)} byte > {MAX_YAML_BYTES})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError.one(name, line, "", "tệp không phải UTF-8 (file is not UTF-8)") from None
    return load_yaml_text(text, name)


def load_yaml_text(text: str, name: str) -> Sourced:
    src = Sourced(name, None)
    loader = None
    try:
        loader = yaml.SafeLoader(text)
        node = loader.get_single_node()
        if node is None:
            raise ConfigError.one(name, 1, "", "tệp rỗng (empty file)")
        src.data = _build(loader, node, (), src, 0)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "lỗi cú pháp"
        raise ConfigError.one(name, line, "", f"lỗi cú pháp YAML: {what}") from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise ConfigError.one(
            name, line, "", f"ký tự không được phép trong YAML: {exc.character!r}"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError.one(name, None, "", f"lỗi YAML: {exc}") from None
    except RecursionError:
        raise ConfigError.one(name, None, "", "lồng quá sâu") from None
    finally:
        if loader is not None:
            loader.dispose()
    return src
