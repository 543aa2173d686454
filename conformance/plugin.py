"""The pytest plugin: one test item per criterion of the chosen profile.

Registered under the ``pytest11`` entry point; importing it does nothing. It only acts when
``--conformance-profile`` is given (``conformance run`` does that). Works with ``-k``, ``-m``
(markers per area, level and channel), ``-x``, ``--junitxml``, ``-n 2`` (pytest-xdist: the
controller starts the embedded reference and runs the preflight once, workers only run criteria)
and allure-pytest.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conformance import __version__
from conformance.catalogue.coverage import coverage_of
from conformance.catalogue.loader import load_profile
from conformance.catalogue.model import AREAS, LEVELS, Criterion, Profile
from conformance.embedded import EmbeddedReference
from conformance.engine import VN_TZ, Engine
from conformance.errors import EXIT_CONFIG, EXIT_HARNESS, ConfigError, HarnessError
from conformance.evidence.redact import Redactor
from conformance.evidence.store import CriterionEvidence, append_line, write_durable
from conformance.runconfig import RunConfig, load_run_config
from conformance.target import Target, load_target
from conformance.verdict import settle

REFERENCE_TARGET = Path(__file__).resolve().parent.parent / "targets" / "reference.yaml"
CHANNELS = ("api", "ui", "exchange", "manual")


def marker_name(s: str) -> str:
    return s.replace("-", "_")


def pytest_addoption(parser: pytest.Parser) -> None:
    g = parser.getgroup("conformance", "QLVBĐH conformance harness")
    g.addoption("--conformance-profile", help="profile.yaml (or its folder) to run")
    g.addoption("--conformance-target", help="target file; default: the embedded reference system")
    g.addoption("--conformance-out", default="reports", help="folder under which the run folder is created")
    g.addoption("--conformance-run-dir", help="exact run folder (set by `conformance run`)")
    g.addoption("--conformance-config", help="run configuration: evaluator, waivers, attestations")
    g.addoption(
        "--conformance-fault", action="append", default=[], help="reference fault switched on (embedded)"
    )
    g.addoption("--conformance-area", action="append", default=[], help="only this area (repeatable)")
    g.addoption("--conformance-level", action="append", default=[], help="only this level (repeatable)")
    g.addoption("--conformance-base-url", help="use this base URL instead of the target's (internal)")
    g.addoption("--conformance-no-pdf", action="store_true", help="do not print report.pdf")
    g.addoption(
        "--conformance-no-finalize", action="store_true", help="leave results.json and reports to the caller"
    )


@dataclass
class RunContext:
    """What one process knows about the run."""

    profile: Profile
    target: Target
    run_dir: Path
    run_id: str
    redactor: Redactor
    runconfig: RunConfig
    is_worker: bool
    engine: Engine | None = None
    embedded: EmbeddedReference | None = None
    axis: Any = None  # conformance.axis.harness.RunningAxis when the target has an exchange block
    started_at: str = ""
    coverage: dict[str, Any] | None = None  # coverage of the law, for the report's annex
    interrupted: bool = False
    finished: set[str] = field(default_factory=set)


_CTX_KEY = pytest.StashKey[RunContext]()


def _ctx(config: pytest.Config) -> RunContext | None:
    return config.stash.get(_CTX_KEY, None)


def _now() -> str:
    return dt.datetime.now(VN_TZ).isoformat(timespec="seconds")


def _selected(profile: Profile, areas: list[str], levels: list[str]) -> list[Criterion]:
    return [
        c
        for c in profile.criteria.values()
        if (not areas or c.area in areas) and (not levels or c.level in levels)
    ]


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    for area in AREAS:
        config.addinivalue_line("markers", f"{marker_name(area)}: lĩnh vực {AREAS[area]['vi']}")
    for level in LEVELS:
        config.addinivalue_line("markers", f"{marker_name(level)}: mức {LEVELS[level]['vi']}")
    for ch in CHANNELS:
        config.addinivalue_line("markers", f"{ch}: kênh kiểm tra {ch}")
    profile_opt = config.getoption("conformance_profile", None)
    if not profile_opt:
        return
    worker = getattr(config, "workerinput", None)
    try:
        ctx = _worker_context(config, worker) if worker else _controller_context(config)
    except ConfigError as exc:
        pytest.exit(f"Lỗi cấu hình:\n{exc}", returncode=EXIT_CONFIG)
    except HarnessError as exc:
        pytest.exit(f"Lỗi công cụ: {exc}", returncode=EXIT_HARNESS)
    config.stash[_CTX_KEY] = ctx
    if not ctx.is_worker:
        config.pluginmanager.register(_Recorder(ctx), "conformance-recorder")
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistHooks(), "conformance-xdist")


def _load(config: pytest.Config) -> tuple[Profile, Target, RunConfig]:
    profile = load_profile(config.getoption("conformance_profile"))
    target = load_target(config.getoption("conformance_target") or REFERENCE_TARGET)
    rc = load_run_config(config.getoption("conformance_config"), set(profile.criteria))
    return profile, target, rc


def _controller_context(config: pytest.Config) -> RunContext:
    profile, target, rc = _load(config)
    coverage = coverage_of(profile).as_dict()  # a broken reasons file stops the run here (file:line)
    if rc.signing and not os.environ.get(rc.signing["password_env"]):
        raise ConfigError.one(
            rc.path or "",
            None,
            "signing.password_env",
            f"biến môi trường {rc.signing['password_env']} (mật khẩu PKCS#12 để ký báo cáo) chưa được đặt",
        )
    faults = config.getoption("conformance_fault")
    if faults and not target.embedded:
        raise ConfigError.one(
            target.path, None, "target.base_url", "--fault chỉ dùng với hệ thống tham chiếu nhúng"
        )
    run_dir_opt = config.getoption("conformance_run_dir")
    if run_dir_opt:
        run_dir = Path(run_dir_opt)
    else:
        stamp = dt.datetime.now(VN_TZ).strftime("%Y%m%d-%H%M%S")
        run_dir = Path(config.getoption("conformance_out")) / f"{stamp}-{profile.id}-{secrets.token_hex(2)}"
    run_dir.mkdir(parents=True, exist_ok=True)
    run_id = run_dir.name
    redactor = Redactor(target.secret_values())
    ctx = RunContext(profile, target, run_dir, run_id, redactor, rc, is_worker=False, started_at=_now())
    ctx.coverage = coverage
    base_url = config.getoption("conformance_base_url")
    wants_axis = target.exchange is not None and "gui-nhan" in target.areas
    if wants_axis and target.embedded:  # the axis first: the embedded reference is told its address
        _start_axis(ctx)
    if target.embedded and not base_url:
        ctx.embedded = EmbeddedReference().start(
            faults=faults, env=ctx.axis.reference_env() if ctx.axis is not None else None
        )
        base_url = ctx.embedded.base_url
        redactor.add(ctx.embedded.password)
        redactor.add(ctx.embedded.control_token)
    if base_url:
        target.base_url = base_url.rstrip("/")
    redactor.add(os.environ.get("REFOFFICE_PASSWORD"))
    _write_run_files(ctx, config, faults)
    from conformance.drivers.http import HttpDriver
    from conformance.preflight import preflight

    driver = HttpDriver(target, redactor)
    pf = preflight(profile, target, driver)
    append_line(
        run_dir / "preflight.jsonl",
        {
            "at": _now(),
            "ok": pf.ok,
            "message": pf.message,
            "checks": pf.checks,
            "clock_skew_s": pf.clock_skew_s,
        },
    )
    if not pf.ok:
        if ctx.embedded:
            ctx.embedded.stop()
        if ctx.axis is not None:
            ctx.axis.stop()
        pytest.exit(f"Kiểm tra trước khi chạy thất bại: {pf.message}", returncode=pf.exit_code)
    if wants_axis and ctx.axis is None:  # a vendor's system is there: open the axis its connector calls
        _start_axis(ctx)
    ctx.engine = Engine(profile, target, run_dir, run_id, redactor, driver)
    return ctx


def _start_axis(ctx: RunContext) -> None:
    """The simulated axis of the run (area 1), journaled into the run folder."""
    from conformance.axis.harness import start_axis

    assert ctx.target.exchange is not None
    ctx.axis = start_axis(
        ctx.target.exchange,
        embedded=ctx.target.embedded,
        journal_dir=ctx.run_dir / "axis",
        target_path=ctx.target.path,
    )
    ctx.redactor.add(ctx.axis.secret)
    ctx.redactor.add(ctx.axis.owner_token)


def _write_run_files(ctx: RunContext, config: pytest.Config, faults: list[str]) -> None:
    rc = ctx.runconfig
    run = {
        "id": ctx.run_id,
        "started_at": ctx.started_at,
        "finished_at": None,
        "harness_version": __version__,
        "evaluator": rc.evaluator,
        "profile": ctx.profile.header(),
        "target": {
            **ctx.target.summary(),
            "base_url": ctx.target.base_url,
            "embedded": ctx.target.embedded,
            "faults": faults,
        },
        "filters": {
            "areas": config.getoption("conformance_area"),
            "levels": config.getoption("conformance_level"),
            "keyword": config.getoption("keyword", None) or None,
            "markers": config.getoption("markexpr", None) or None,
        },
        "run_config": {
            "path": rc.path,
            "signing": rc.signing,
            "waivers": {k: w.as_dict() for k, w in rc.waivers.items()},
            "attestations": {k: a.as_dict() for k, a in rc.attestations.items()},
        },
    }
    write_durable(
        ctx.run_dir / "run.json", json.dumps(run, ensure_ascii=False, indent=1).encode(), exclusive=False
    )
    snap = {
        "profile": ctx.profile.header(),
        "parameters": ctx.profile.parameters,
        "criteria": [c.summary() for c in ctx.profile.criteria.values()],
        "coverage": ctx.coverage,
    }
    write_durable(
        ctx.run_dir / "profile.resolved.json",
        json.dumps(snap, ensure_ascii=False, indent=1).encode(),
        exclusive=False,
    )


def _worker_context(config: pytest.Config, worker: dict[str, Any]) -> RunContext:
    info = worker["conformance"]
    profile, target, rc = _load(config)
    target.base_url = info["base_url"]
    if target.exchange is not None and info.get("axis_url"):
        target.exchange.url, target.exchange.owner_token = info["axis_url"], info["axis_owner_token"]
    redactor = Redactor([*target.secret_values(), *info.get("secrets", [])])
    ctx = RunContext(profile, target, Path(info["run_dir"]), info["run_id"], redactor, rc, is_worker=True)
    ctx.engine = Engine(profile, target, ctx.run_dir, ctx.run_id, redactor)
    return ctx


class _XdistHooks:
    """Hands the controller's run to each xdist worker (run folder, base URL)."""

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        ctx = _ctx(node.config)
        if ctx is not None:
            secrets_ = [s for s in (ctx.embedded.control_token,) if s] if ctx.embedded else []
            axis = ctx.axis
            if axis is not None:
                secrets_ += [axis.owner_token, axis.secret]
            node.workerinput["conformance"] = {
                "run_dir": str(ctx.run_dir),
                "run_id": ctx.run_id,
                "base_url": ctx.target.base_url,
                "secrets": secrets_,
                "axis_url": axis.url if axis is not None else None,
                "axis_owner_token": axis.owner_token if axis is not None else None,
            }


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    ctx = _ctx(parent.config)
    if ctx is None or file_path.suffix not in (".yaml", ".yml"):
        return None
    chosen = Path(parent.config.getoption("conformance_profile"))
    chosen = chosen / "profile.yaml" if chosen.is_dir() else chosen
    if file_path.resolve() != chosen.resolve():
        return None
    return ProfileFile.from_parent(parent, path=file_path)


class ProfileFile(pytest.File):
    def collect(self) -> Iterator[CriterionItem]:
        ctx = _ctx(self.config)
        assert ctx is not None
        crits = _selected(
            ctx.profile, self.config.getoption("conformance_area"), self.config.getoption("conformance_level")
        )
        for c in crits:
            item = CriterionItem.from_parent(self, name=c.id, criterion=c)
            item.add_marker(marker_name(c.area))
            item.add_marker(marker_name(c.level))
            item.add_marker(c.channel)
            yield item


class CriterionFailed(Exception):
    """The system under test does not meet the criterion (the message says why)."""


class CriterionError(Exception):
    """The harness could not judge the criterion (a harness fault)."""


class CriterionItem(pytest.Item):
    def __init__(self, *, criterion: Criterion, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.criterion = criterion

    def reportinfo(self) -> tuple[Path, int | None, str]:
        c = self.criterion
        return self.path, (c.line or 1) - 1, f"{c.id}: {c.title['vi']}"

    def runtest(self) -> None:
        ctx = _ctx(self.config)
        assert ctx is not None and ctx.engine is not None
        c = self.criterion
        try:
            outcome = ctx.engine.run(c)
        except Exception as exc:  # never lose a result to a harness bug: record it as an error
            from conformance.engine import Outcome

            outcome = Outcome("error", f"lỗi công cụ khi chạy tiêu chí: {type(exc).__name__}: {exc}")
        rc = ctx.runconfig
        settled = settle(
            c,
            outcome.raw,
            outcome.message,
            waiver=rc.waivers.get(c.id),
            attestation=rc.attestations.get(c.id),
        )
        evidence = list(outcome.evidence)
        if settled.result == "attested" and c.id in rc.attestation_files:
            f = rc.attestation_files[c.id]
            store = CriterionEvidence(ctx.run_dir, c.id, ctx.redactor)
            evidence.append(store.attach("attestation-" + f.name, f.read_bytes()))
        event = {
            **c.summary(),
            "result": settled.result,
            "raw_result": outcome.raw,
            "message": settled.message,
            "checks": outcome.checks,
            "evidence": evidence,
            "duration_s": outcome.duration_s,
            "waiver": settled.waiver,
            "attestation": settled.attestation,
            "notes": settled.notes,
            "acts_digest": outcome.acts_digest,
            "judges_digest": outcome.judges_digest,
            "finished_at": _now(),
            "worker": os.environ.get("PYTEST_XDIST_WORKER", "main"),
        }
        event = ctx.redactor.value(event)
        self.user_properties.append(("conformance", json.dumps(event, ensure_ascii=False)))
        _allure(c, settled.result, evidence, ctx.run_dir)
        if settled.result == "fail":
            raise CriterionFailed(settled.message)
        if settled.result == "error":
            raise CriterionError(settled.message)
        if settled.result in ("skipped", "not_applicable"):
            pytest.skip(f"[{settled.result}] {settled.message}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CriterionFailed | CriterionError):
            kind = "KHÔNG ĐẠT" if isinstance(excinfo.value, CriterionFailed) else "LỖI CÔNG CỤ"
            c = self.criterion
            basis = "; ".join(str(lb) for lb in c.legal_basis)
            return f"{c.id} {kind}: {excinfo.value}\n  Căn cứ: {basis}"
        return str(super().repr_failure(excinfo))


def _allure(c: Criterion, result: str, evidence: list[str], run_dir: Path) -> None:
    try:
        import allure
    except ImportError:  # allure-pytest is optional for programmatic use
        return
    allure.dynamic.epic(AREAS[c.area]["vi"])
    allure.dynamic.story(c.id)
    allure.dynamic.title(f"{c.id} {c.title['vi']}")
    allure.dynamic.severity(allure.severity_level.CRITICAL if c.mandatory else allure.severity_level.NORMAL)
    allure.dynamic.description("\n".join(f"- {lb}" for lb in c.legal_basis))
    allure.dynamic.label("evidence_mark", c.evidence_mark)
    for rel in evidence:
        p = run_dir / rel
        if p.suffix == ".json" and p.exists():
            allure.attach.file(str(p), name=p.name, attachment_type=allure.attachment_type.JSON)


def pytest_collection_finish(session: pytest.Session) -> None:
    ctx = _ctx(session.config)
    if ctx is None:
        return
    ids = [it.criterion.id for it in session.items if isinstance(it, CriterionItem)]
    tmp = ctx.run_dir / f".selection.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({"criteria": ids}, ensure_ascii=False), "utf-8")
    tmp.replace(ctx.run_dir / "selection.json")


class _Recorder:
    """Controller-side hooks: the one writer of ``events.jsonl`` (workers only write evidence)."""

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when != "call":
            return
        payload = dict(report.user_properties).get("conformance")
        if payload is None:
            return
        event = json.loads(payload)
        append_line(self.ctx.run_dir / "events.jsonl", event)  # fsynced: the criterion's commit point
        self.ctx.finished.add(event["id"])

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        self.ctx.interrupted = True


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    ctx = _ctx(session.config)
    if ctx is None or ctx.is_worker:
        return
    if ctx.axis is not None:  # its journal lives in the run folder: closed before the manifest is written
        ctx.axis.stop()
        ctx.axis = None
    run_path = ctx.run_dir / "run.json"
    run = json.loads(run_path.read_text("utf-8"))
    run["finished_at"] = _now()
    run["interrupted"] = ctx.interrupted or bool(session.shouldstop) or bool(session.shouldfail)
    run["pytest_exitstatus"] = int(exitstatus)
    write_durable(run_path, json.dumps(run, ensure_ascii=False, indent=1).encode(), exclusive=False)
    if session.config.getoption("conformance_no_finalize"):
        return
    from conformance.results import exit_code_of, finalize

    try:
        results = finalize(ctx.run_dir, pdf=not session.config.getoption("conformance_no_pdf"))
    except Exception as exc:  # a report that cannot be written must not hide the recorded results
        session.config.stash[_SUMMARY_KEY] = f"Không ghi được báo cáo: {type(exc).__name__}: {exc}"
        session.exitstatus = EXIT_HARNESS
        return
    session.config.stash[_SUMMARY_KEY] = (
        f"Kết luận: {results['verdict']['label']['vi']} — "
        + " ".join(results["verdict"]["reasons"])
        + f"\nThư mục kết quả: {ctx.run_dir}"
    )
    if int(exitstatus) in (0, 1) or exitstatus == pytest.ExitCode.INTERRUPTED:
        session.exitstatus = exit_code_of(results)


_SUMMARY_KEY = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    msg = config.stash.get(_SUMMARY_KEY, None)
    if msg:
        terminalreporter.write_sep("=", "Kết quả chứng nhận")
        terminalreporter.write_line(msg)


def pytest_unconfigure(config: pytest.Config) -> None:
    ctx = _ctx(config)
    if ctx is not None and ctx.embedded is not None:
        ctx.embedded.stop()
    if ctx is not None and ctx.axis is not None:
        ctx.axis.stop()
