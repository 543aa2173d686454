"""Target files: how to reach a vendor's system, who to log in as, what it claims, how it is driven.

Credentials never live in the file: each role names the environment variables that hold its
username (or gives it literally) and its password. The capability statement lists the areas and
optional features the vendor claims; criteria that depend on an absent feature become
``not_applicable`` (only where the criterion is conditional).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.catalogue.loader import schema_problems
from conformance.catalogue.operations import operations
from conformance.catalogue.yamlsrc import Sourced
from conformance.drivers.ui_flow import target_ui_problems
from conformance.errors import ConfigError, Problem
from conformance.target_exchange import ExchangeConfig, exchange_config
from conformance.target_extends import load_extended
from conformance.templating import references

ROLES = ("van_thu", "lanh_dao", "chuyen_vien", "chuyen_vien_2", "luu_tru_vien", "quan_tri")


@dataclass
class Credentials:
    role: str
    username: str
    password: str


@dataclass
class Target:
    path: str
    sha256: str
    name: str
    product: str
    vendor: str
    version: str
    base_url: str
    auth: dict[str, Any]
    areas: tuple[str, ...]
    features: tuple[str, ...]
    operations: dict[str, dict[str, Any]]
    timeouts: tuple[float, float] = (5.0, 30.0)
    max_response_bytes: int = 10 * 1024 * 1024
    max_download_bytes: int = 1024 * 1024 * 1024
    clock_skew_max_s: float = 120.0
    health: dict[str, Any] = field(default_factory=lambda: {"path": "/"})
    organ_id: str | None = None
    verify_tls: bool = True
    source: Sourced | None = None
    ui: dict[str, Any] = field(default_factory=dict)  # login flow, time-outs, viewport (UI channel)
    exchange: ExchangeConfig | None = None  # the vendor on the simulated axis (area gửi, nhận)

    @property
    def embedded(self) -> bool:
        return self.base_url == "embedded"

    def credentials(self, role: str) -> Credentials:
        """The role's credentials, read from the environment at the moment they are needed."""
        spec = (self.auth.get("roles") or {}).get(role)
        if spec is None:
            raise ConfigError.one(
                self.path,
                self._line(("auth", "roles")),
                f"auth.roles.{role}",
                f"vai trò {role} chưa được khai báo trong tệp đích",
            )
        username = spec.get("username") or self._env(
            spec["username_env"], ("auth", "roles", role, "username_env")
        )
        password = self._env(spec["password_env"], ("auth", "roles", role, "password_env"))
        return Credentials(role, username, password)

    def username(self, role: str) -> str | None:
        """The account name of a role (not a secret), or None if it is not configured."""
        spec = (self.auth.get("roles") or {}).get(role) or {}
        return spec.get("username") or os.environ.get(spec.get("username_env", "")) or None

    def secret_values(self) -> list[str]:
        """Every password the target's roles resolve to (for redaction); missing ones are skipped."""
        out = []
        for spec in (self.auth.get("roles") or {}).values():
            v = os.environ.get(spec.get("password_env", ""))
            if v:
                out.append(v)
        if self.exchange is not None and self.exchange.secret():
            out.append(self.exchange.secret() or "")
        return out

    def binding(self, op: str) -> dict[str, Any] | None:
        return self.operations.get(op)

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "product": self.product,
            "vendor": self.vendor,
            "version": self.version,
            "base_url": self.base_url,
            "path": self.path,
            "sha256": self.sha256,
            "areas": list(self.areas),
            "features": list(self.features),
        }

    def _env(self, var: str, key: tuple[str | int, ...]) -> str:
        value = os.environ.get(var)
        if not value:
            message = f"biến môi trường {var} chưa được đặt (environment variable not set)"
            if self.source is not None:
                raise ConfigError([self.source.problem(key, message)])
            raise ConfigError.one(self.path, None, ".".join(map(str, key)), message)
        return value

    def _line(self, key: tuple[str | int, ...]) -> int | None:
        return self.source.line_of(key) if self.source else None


def load_target(path: Path | str) -> Target:
    """Load and check a target file; every problem names file, line and field."""
    p = Path(path)
    src, sha256 = load_extended(p)
    if not isinstance(src.data, dict):
        raise ConfigError([src.problem((), "tệp đích phải là một ánh xạ (mapping)")])
    problems = schema_problems(src, "target")
    if problems:
        raise ConfigError(problems)
    problems = _binding_problems(src)
    if problems:
        raise ConfigError(problems)
    d = src.data
    t = d["target"]
    timeouts = t.get("timeouts") or {}
    return Target(
        path=src.path,
        sha256=sha256,
        name=t["name"],
        product=t["product"],
        vendor=t["vendor"],
        version=str(t["version"]),
        base_url=t["base_url"].rstrip("/"),
        auth=d["auth"],
        areas=tuple(d["capabilities"]["areas"]),
        features=tuple(d["capabilities"].get("features") or ()),
        operations=d["operations"],
        timeouts=(float(timeouts.get("connect", 5)), float(timeouts.get("read", 30))),
        max_response_bytes=int(t.get("max_response_bytes", 10 * 1024 * 1024)),
        max_download_bytes=int(t.get("max_download_bytes", 1024 * 1024 * 1024)),
        clock_skew_max_s=float(t.get("clock_skew_max_s", 120)),
        health=t.get("health") or {"path": "/"},
        organ_id=d["capabilities"].get("organ_id"),
        verify_tls=bool(t.get("verify_tls", True)),
        source=src,
        ui=d.get("ui") or {},
        exchange=exchange_config(d.get("exchange"), t["name"]),
    )


def _binding_problems(src: Sourced) -> list[Problem]:
    d = src.data
    problems: list[Problem] = []
    known = operations()
    roles = set((d["auth"].get("roles") or {}).keys())
    if d["auth"]["kind"] == "bearer_login":
        for need in ("login", "token"):
            if need not in d["auth"]:
                problems.append(src.problem(("auth",), f"auth.kind bearer_login cần '{need}'"))
    for name, binding in d["operations"].items():
        key: tuple[str | int, ...] = ("operations", name)
        op = known.get(name)
        if op is None:
            problems.append(src.problem(key, f"thao tác không tồn tại: {name}"))
            continue
        http = binding.get("http")
        if not http:
            continue
        role = http.get("as")
        if role and role != "anonymous" and role not in roles:
            problems.append(
                src.problem((*key, "http", "as"), f"vai trò {role} chưa khai báo trong auth.roles")
            )
        for ns, dotted in references({k: v for k, v in http.items() if k != "outputs"}):
            first = dotted.split(".")[0]
            if ns == "in" and first not in op.inputs:
                problems.append(
                    src.problem((*key, "http"), f"${{in.{dotted}}}: {name} không có đầu vào '{first}'")
                )
            elif ns not in ("in", "run"):
                problems.append(
                    src.problem((*key, "http"), f"không dùng được ${{{ns}.…}} trong ràng buộc thao tác")
                )
        for name_in in http.get("defaults") or {}:
            if name_in not in op.inputs:
                problems.append(
                    src.problem((*key, "http", "defaults", name_in), f"{name} không có đầu vào '{name_in}'")
                )
        for out in http.get("outputs") or {}:
            if out not in op.outputs:
                problems.append(
                    src.problem((*key, "http", "outputs", out), f"{name} không có đầu ra '{out}'")
                )
    problems += target_ui_problems(src, known, roles)  # the UI channel's login flow and bindings
    return problems
