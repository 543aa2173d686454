"""``extends:`` in target files: one system bound several ways without copying its bindings.

A target may name another target file (relative to itself) and give only what differs: the same
system driven through its web pages, a staging server, another set of accounts. Every top-level
section is merged one level deep: an entry the file gives (an operation's binding, ``target.base_url``,
``capabilities.features``) replaces the base's entry whole; an entry or section set to ``null`` is
removed. Each value keeps the file and line it is written in, so a problem names the right file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from conformance.catalogue.yamlsrc import PathKey, Sourced, display_path, load_yaml
from conformance.errors import ConfigError

MAX_CHAIN = 4  # a base of a base of a base: more is a mistake, not a design


def load_extended(path: Path, chain: tuple[Path, ...] = ()) -> tuple[Sourced, str]:
    """The file's data merged over its bases, and a SHA-256 that covers every file of the chain."""
    src = load_yaml(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if not isinstance(src.data, dict) or "extends" not in src.data:
        return src, digest
    ref = src.data["extends"]
    if not isinstance(ref, str) or not ref.strip():
        raise ConfigError([src.problem(("extends",), "extends: phải là đường dẫn tới một tệp đích khác")])
    base_path = (path.parent / ref).resolve()
    here = path.resolve()
    if base_path in (*chain, here):
        raise ConfigError([src.problem(("extends",), f"extends: vòng lặp qua {display_path(base_path)}")])
    if len(chain) >= MAX_CHAIN:
        raise ConfigError([src.problem(("extends",), f"extends: chuỗi kế thừa quá dài (>{MAX_CHAIN})")])
    if not base_path.is_file():
        raise ConfigError([src.problem(("extends",), f"extends: không có tệp {display_path(base_path)}")])
    base, base_digest = load_extended(base_path, (*chain, here))
    if not isinstance(base.data, dict):
        raise ConfigError([base.problem((), "tệp đích phải là một ánh xạ (mapping)")])
    merged = merge(base, src)
    return merged, hashlib.sha256(f"{digest}\n{base_digest}".encode()).hexdigest()


def merge(base: Sourced, over: Sourced) -> Sourced:
    """``over`` on top of ``base``, sections merged one level deep (see the module docstring)."""
    out = Sourced(over.path, {}, nodes=base.nodes + over.nodes)

    def take(src: Sourced, key: PathKey, value: Any) -> None:
        """Place ``value`` at ``key`` with the lines (and files) of everything under it in ``src``."""
        for k, line in src.lines.items():
            if k[: len(key)] == key:
                out.lines[k] = line
                f = src.files.get(k, src.path)
                if f != out.path:
                    out.files[k] = f
        section, *rest = key
        if rest:
            out.data[section][rest[0]] = value
        else:
            out.data[section] = value

    out.lines[()] = over.lines.get((), 1)
    for section in dict.fromkeys([*base.data, *over.data]):
        if section == "extends":
            continue
        b, o = base.data.get(section), over.data.get(section)
        if section not in over.data:
            take(base, (section,), b)
        elif o is None:
            continue  # the file removes the section
        elif isinstance(o, dict) and isinstance(b, dict):
            out.data[section] = {}
            out.lines[(section,)] = over.lines[(section,)]
            for entry in dict.fromkeys([*b, *o]):
                if entry not in o:
                    take(base, (section, entry), b[entry])
                elif o[entry] is not None:
                    take(over, (section, entry), o[entry])
        else:
            take(over, (section,), o)
    return out
