"""Run one criterion: act through a driver (recording everything), then judge from the records.

Acting and judging are separate on purpose. All call steps run first, in order, and each record
is written to the evidence store before the next step starts; a failed call does not stop the
ones after it (a clean-up such as ``clock.reset`` must always run). Judges then read only those
records, so ``judge_records`` gives the same answer during the run and in ``rejudge`` later.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conformance.catalogue.model import Criterion, Profile
from conformance.catalogue.operations import facility_features
from conformance.drivers.exchange import ExchangeDriver, is_exchange, needs_exclusive
from conformance.drivers.http import HttpDriver
from conformance.drivers.ui import UiDriver
from conformance.evidence.redact import Redactor
from conformance.evidence.store import CriterionEvidence
from conformance.inputs import has_files, stub_files
from conformance.judges.registry import evidence_root, get_judge
from conformance.target import Target
from conformance.templating import TemplateError, resolve

VN_TZ = dt.timezone(dt.timedelta(hours=7))


@dataclass
class Outcome:
    """What the engine observed for a criterion, before waivers and attestations are applied."""

    raw: str
    message: str
    checks: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    acts_digest: str = ""
    judges_digest: str = ""


def run_scope(run_id: str, criterion_id: str) -> dict[str, Any]:
    """Values a criterion may use as ``${run.…}``: stable within a run, different between runs."""
    h = int(hashlib.sha256(f"{run_id}/{criterion_id}".encode()).hexdigest(), 16)
    probe_year = 2040 + h % 60  # a year no real document has: numbering tests start from a clean series
    return {
        "id": run_id,
        "unique": f"{h % 10**8:08d}",
        "probe_year": probe_year,
        "probe_year_next": probe_year + 1,
        "probe_year_after_next": probe_year + 2,
    }


@contextlib.contextmanager
def clock_lock(run_dir: Path, exclusive: bool) -> Iterator[None]:
    """Criteria that move the system's clock run alone; all others share the lock (xdist-safe)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    with open(run_dir / ".clock.lock", "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class Engine:
    def __init__(
        self,
        profile: Profile,
        target: Target,
        run_dir: Path,
        run_id: str,
        redactor: Redactor,
        driver: HttpDriver | None = None,
        exchange: ExchangeDriver | None = None,
    ) -> None:
        self.profile = profile
        self.target = target
        self.run_dir = run_dir
        self.run_id = run_id
        self.redactor = redactor
        self.driver = driver or HttpDriver(target, redactor)
        self.ui = UiDriver(target, redactor)  # operations bound with `ui:` (no browser until one is used)
        # exchange.* operations act on the simulated axis: they need the target's exchange block only
        self.exchange = exchange or (ExchangeDriver(target, redactor) if target.exchange else None)

    def _bound(self, op: str) -> bool:
        """The exchange driver does exchange.* (given an exchange: block); the UI driver does what the
        target binds with `ui:`; the HTTP driver does the rest, from the target's bindings or by itself
        (session.login, the unauthenticated sweep)."""
        if is_exchange(op):
            return self.exchange is not None
        return bool(self.target.binding(op)) or self.driver.provides(op)

    def live_scope(self) -> dict[str, Any]:
        """Run values known only when a criterion starts: the accounts of the roles (``${run.users.ROLE}``,
        e.g. to grant a right to a user) and ``${run.since}``, ten minutes before now, to read only the
        recent part of a log. Recorded with the evidence, so rejudging sees the same values."""
        since = dt.datetime.now(VN_TZ) - dt.timedelta(minutes=10)
        users = {}
        for role in self.target.auth.get("roles") or {}:
            name = self.target.username(role)
            if name:
                users[role] = name
        return {"since": since.isoformat(timespec="seconds"), "users": users}

    def precheck(self, c: Criterion) -> Outcome | None:
        """Reasons a criterion is not run at all: manual, out of claimed scope, feature absent, unbound."""
        if not c.automated:
            return Outcome("skipped", "Tiêu chí kiểm tra thủ công: cần biên bản xác nhận của người đánh giá.")
        if c.area not in self.target.areas:
            return Outcome("skipped", f"Hệ thống không đăng ký lĩnh vực «{c.area}» trong bản khai năng lực.")
        missing = [f for f in c.features if f not in self.target.features]
        facilities = [f for f in missing if f in facility_features()]
        if facilities:
            # The clock contract: a time-dependent rule still applies to a system without a test clock;
            # it cannot be measured here, so it waits for an evaluator's attestation (never a silent pass).
            return Outcome(
                "skipped",
                "Hệ thống không cung cấp phương tiện kiểm thử "
                + ", ".join(facilities)
                + " (bản khai năng lực): tiêu chí phụ thuộc thời gian hoặc sự cố không đo được tự động, "
                "cần biên bản xác nhận của người đánh giá.",
            )
        if missing:
            return Outcome("not_applicable", "Hệ thống không khai báo tính năng: " + ", ".join(missing) + ".")
        unbound = sorted({s.name for s in c.calls() if not self._bound(s.name)})
        if unbound:
            hint = " (khối exchange: của tệp đích)" if any(is_exchange(op) for op in unbound) else ""
            return Outcome(
                "skipped", "Thao tác chưa được ràng buộc trong tệp đích: " + ", ".join(unbound) + hint + "."
            )
        return None

    def run(self, c: Criterion) -> Outcome:
        t0 = time.perf_counter()
        early = self.precheck(c)
        if early is not None:
            early.duration_s = round(time.perf_counter() - t0, 4)
            early.acts_digest = c.digest("calls", self.profile.parameters)
            early.judges_digest = c.digest("judges", self.profile.parameters)
            return early
        ev = CriterionEvidence(self.run_dir, c.id, self.redactor)
        scope_run = {**run_scope(self.run_id, c.id), **self.live_scope()}
        ev.record(
            "context",
            {
                "kind": "context",
                "criterion": c.id,
                "run": scope_run,
                "acts_digest": c.digest("calls", self.profile.parameters),
            },
        )
        saved: dict[str, dict[str, Any]] = {}
        ev_calls: list[dict[str, Any]] = []
        # moving the clock or steering the axis (faults, credentials) would disturb criteria running beside
        moves_clock = any(s.name.startswith("clock.") or needs_exclusive(s.name) for s in c.calls())
        with clock_lock(self.run_dir, exclusive=moves_clock), self.ui.criterion(c.id, ev):
            for step in c.calls():
                scope = {"param": self.profile.parameters, "saved": saved, "run": scope_run}
                started = dt.datetime.now(VN_TZ).isoformat(timespec="milliseconds")
                try:
                    inputs = resolve(step.params, scope)
                except (TemplateError, ValueError) as exc:
                    rec: dict[str, Any] = {
                        "operation": step.name,
                        "error": f"không dựng được đầu vào: {exc}",
                        "response": None,
                        "outputs": {},
                        "harness_error": True,  # the profile's fault, never the vendor's
                    }
                else:
                    label = step.save or step.name
                    recorded = (
                        stub_files(inputs, lambda f, label=label: ev.attach(f"{label}-{f.name}", f.data))
                        if has_files(inputs)
                        else inputs
                    )
                    if is_exchange(step.name) and self.exchange:
                        rec = self.exchange.perform(step.name, inputs, step.role, scope_run)
                    else:
                        driver = self.ui if self.ui.binds(step.name) else self.driver
                        rec = driver.perform(step.name, inputs, step.role, scope_run, sink=ev)
                    rec["inputs"] = recorded
                rec.update({"kind": "call", "step": step.index, "save": step.save, "started_at": started})
                ev.record(step.save or step.name, rec)
                ev_calls.append(rec)
                if step.save:
                    saved[step.save] = rec
        broken = next((r for r in ev_calls if r.get("harness_error")), None)
        if broken is not None:
            message = f"lỗi của bộ kiểm tra ở bước {broken['step']}: {broken['error']}"
            raw, checks = "error", []
        else:
            raw, message, checks = judge_records(c, saved, self.profile.parameters, scope_run, self.run_dir)
        return Outcome(
            raw,
            message,
            checks,
            list(ev.files),
            round(time.perf_counter() - t0, 4),
            c.digest("calls", self.profile.parameters),
            c.digest("judges", self.profile.parameters),
        )


def judge_records(
    c: Criterion,
    saved: dict[str, dict[str, Any]],
    parameters: dict[str, Any],
    scope_run: dict[str, Any],
    run_dir: Path | None = None,
) -> tuple[str, str, list[dict[str, Any]]]:
    """Apply the criterion's judges to recorded calls. Pure: same records (and blobs), same answer.

    ``run_dir`` is where the records' blobs (uploaded and downloaded files) are read from.
    """
    with evidence_root(run_dir):
        return _judge(c, saved, parameters, scope_run)


def _judge(
    c: Criterion, saved: dict[str, dict[str, Any]], parameters: dict[str, Any], scope_run: dict[str, Any]
) -> tuple[str, str, list[dict[str, Any]]]:
    checks: list[dict[str, Any]] = []
    for step in c.judges():
        spec = get_judge(step.name)
        if spec is None:
            return "error", f"bộ đánh giá không tồn tại: {step.name}", checks
        recs = [saved.get(n) for n in step.on]
        missing = [n for n, r in zip(step.on, recs, strict=True) if r is None]
        if missing:
            checks.append(
                {
                    "judge": step.name,
                    "on": list(step.on),
                    "ok": False,
                    "message": f"không có bản ghi của bước {', '.join(missing)}",
                }
            )
            continue
        try:
            params = resolve(step.params, {"param": parameters, "saved": saved, "run": scope_run})
            if spec.on == "many":
                findings = [spec.fn(recs, **params)]
            elif spec.on == "none":
                findings = [spec.fn(**params)]
            else:
                findings = [spec.fn(r, **params) for r in recs]
        except Exception as exc:  # a judge crash is a harness fault, never a vendor failure
            return "error", f"lỗi trong bộ đánh giá {step.name}: {type(exc).__name__}: {exc}", checks
        for f in findings:
            msg = f.message if f.ok or not step.because else f"{step.because} — {f.message}"
            checks.append({"judge": step.name, "on": list(step.on), "ok": f.ok, "message": msg})
    failed = [ch for ch in checks if not ch["ok"]]
    if failed:
        return "fail", "; ".join(ch["message"] for ch in failed), checks
    return "pass", f"Đạt {len(checks)}/{len(checks)} phép kiểm tra.", checks
