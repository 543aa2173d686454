"""Preflight: before any criterion, is the system there, do the credentials work, is its clock right?

A failed preflight is one clear message and its own exit code (3 unreachable, 2 configuration),
not a wall of failed criteria.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from conformance.catalogue.model import Profile
from conformance.drivers.http import HttpDriver, json_pointer
from conformance.errors import EXIT_CONFIG, EXIT_UNREACHABLE
from conformance.target import Target
from conformance.templating import ABSENT


@dataclass
class PreflightResult:
    ok: bool
    exit_code: int = 0
    message: str = ""
    checks: list[dict[str, object]] = field(default_factory=list)
    clock_skew_s: float | None = None


def roles_needed(profile: Profile, target: Target) -> list[str]:
    """Roles whose credentials the criteria that can run will use (explicit or from bindings).

    Only automated criteria of the areas the target claims, and only steps the HTTP driver will
    perform (bound, or done by the driver itself): an exchange-only vendor declares no roles at all.
    """
    roles: set[str] = set()
    for c in profile.criteria.values():
        if not c.automated or c.area not in target.areas:
            continue
        for s in c.calls():
            b = (target.binding(s.name) or {}).get("http")
            if b is None and s.name not in HttpDriver.BUILTINS:
                continue
            r = s.role or (b or {}).get("as")
            if r and r != "anonymous":
                roles.add(r)
    return sorted(roles)


def ui_roles_needed(profile: Profile, target: Target) -> list[str]:
    """Roles the automated criteria will use through the web interface (operations bound with ``ui:``)."""
    roles: set[str] = set()
    for c in profile.criteria.values():
        for s in c.calls() if c.automated else ():
            b = (target.binding(s.name) or {}).get("ui")
            r = (s.role or b.get("as")) if b is not None else None
            if r and r != "anonymous":
                roles.add(r)
    return sorted(roles)


def preflight(profile: Profile, target: Target, driver: HttpDriver) -> PreflightResult:
    res = PreflightResult(ok=True)
    rec = driver.exchange("GET", target.health.get("path", "/"))
    resp = rec.get("response")
    if resp is None:
        return PreflightResult(
            False, EXIT_UNREACHABLE, f"Không kết nối được hệ thống tại {target.base_url}: {rec['error']}"
        )
    if resp["status"] >= 500:
        return PreflightResult(
            False,
            EXIT_UNREACHABLE,
            f"Hệ thống tại {target.base_url} trả lời lỗi HTTP {resp['status']} ở {target.health['path']}",
        )
    res.checks.append({"check": "reachable", "ok": True, "status": resp["status"]})
    pointer = target.health.get("now")
    if pointer:
        raw = json_pointer(resp.get("json"), pointer)
        try:
            their = dt.datetime.fromisoformat(str(raw))
            if their.tzinfo is None:
                raise ValueError("thiếu múi giờ")
        except (ValueError, TypeError):
            return PreflightResult(
                False,
                EXIT_CONFIG,
                f"Không đọc được thời gian hệ thống tại {target.health['path']}{pointer}: "
                f"{None if raw is ABSENT else raw!r} (cần ISO 8601 có múi giờ)",
            )
        skew = (their - dt.datetime.now(dt.UTC)).total_seconds()
        res.clock_skew_s = round(skew, 3)
        if abs(skew) > target.clock_skew_max_s:
            return PreflightResult(
                False,
                EXIT_CONFIG,
                f"Đồng hồ hệ thống lệch {skew:+.0f}s so với máy kiểm tra (cho phép "
                f"±{target.clock_skew_max_s:.0f}s): kết quả về thời hạn sẽ không tin cậy được.",
                clock_skew_s=round(skew, 3),
            )
        res.checks.append({"check": "clock_skew", "ok": True, "skew_s": round(skew, 3)})
    for role in roles_needed(profile, target):
        if role not in (target.auth.get("roles") or {}):
            return PreflightResult(
                False,
                EXIT_CONFIG,
                f"{target.path}: auth.roles: các tiêu chí cần vai trò «{role}» nhưng tệp đích chưa khai báo",
            )
        _, err = driver.auth_headers(role)
        if err:
            return PreflightResult(False, EXIT_CONFIG, f"Thông tin đăng nhập không được chấp nhận: {err}")
        res.checks.append({"check": f"login:{role}", "ok": True})
    ui_roles = ui_roles_needed(profile, target)
    if ui_roles:  # the UI channel logs in through the pages: a wrong password is a configuration error too
        from conformance.drivers.ui import UiDriver

        ui = UiDriver(target, driver.redactor)
        for role in ui_roles:
            err = ui.check_login(role)
            if err:
                return PreflightResult(
                    False, EXIT_CONFIG, f"Đăng nhập qua giao diện không được chấp nhận: {err}"
                )
            res.checks.append({"check": f"ui-login:{role}", "ok": True})
    return res
