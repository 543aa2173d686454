"""The ``conformance`` command: run · validate · list · faults · report · rejudge · coverage · ….

Exit codes: 0 ĐẠT, 1 KHÔNG ĐẠT, 2 usage or configuration error, 3 system unreachable,
4 harness error, 5 incomplete (CHƯA ĐỦ CĂN CỨ).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from conformance.errors import EXIT_CONFIG, EXIT_HARNESS, ConfigError, HarnessError

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)
DEFAULT_PROFILE = "profiles/vn-2020"


def _fail_config(exc: ConfigError) -> None:
    err_console.print("[bold red]Lỗi cấu hình[/] (configuration error):")
    for p in exc.problems:
        err_console.print(f"  {p}", markup=False)
    sys.exit(EXIT_CONFIG)


class _Group(click.Group):
    """Turns every ConfigError into file:line messages and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            _fail_config(exc)
        except HarnessError as exc:
            err_console.print(f"[bold red]Lỗi công cụ:[/] {exc}", markup=True)
            sys.exit(EXIT_HARNESS)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qlvb-conformance")
def main() -> None:
    """Bộ kiểm tra sự phù hợp phần mềm quản lý văn bản và điều hành (QLVBĐH)."""


# -- run -------------------------------------------------------------------------------------------
class _Progress:
    """A pytest plugin object that shows one line per finished criterion."""

    def __init__(self) -> None:
        self.n = 0

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.when != "call":
            return
        ev = dict(report.user_properties).get("conformance")
        if not ev:
            return
        e = json.loads(ev)
        self.n += 1
        colour = {
            "pass": "green",
            "fail": "red",
            "error": "magenta",
            "waived": "cyan",
            "attested": "cyan",
        }.get(e["result"], "yellow")
        console.print(f"[{colour}]{e['result']:>14}[/] {e['id']:<8} {e['title']['vi']}")


@main.command()
@click.option(
    "--profile", "profile", default=DEFAULT_PROFILE, show_default=True, help="profile.yaml or its folder"
)
@click.option("--target", "target", default=None, help="target file (default: the embedded reference system)")
@click.option("--out", default="reports", show_default=True, help="folder for run folders")
@click.option("--run-dir", default=None, help="exact run folder to create")
@click.option(
    "--config", "run_config", default=None, help="run configuration: evaluator, waivers, attestations"
)
@click.option("--area", multiple=True, type=click.Choice(["gui-nhan", "lap-ho-so", "luu-tru", "nop-luu"]))
@click.option("--level", multiple=True, type=click.Choice(["bat-buoc", "khuyen-nghi"]))
@click.option("--fault", multiple=True, help="switch on a reference fault (embedded target only)")
@click.option("-k", "keyword", default=None, help="pytest -k expression over criterion IDs")
@click.option("-m", "markexpr", default=None, help="pytest -m expression (areas, levels, channels)")
@click.option("-x", "exitfirst", is_flag=True, help="stop at the first failure")
@click.option("-n", "workers", default=None, help="pytest-xdist workers (e.g. 2)")
@click.option("--no-pdf", is_flag=True, help="do not print report.pdf")
@click.option("--quiet", is_flag=True)
def run(
    profile: str,
    target: str | None,
    out: str,
    run_dir: str | None,
    run_config: str | None,
    area: tuple[str, ...],
    level: tuple[str, ...],
    fault: tuple[str, ...],
    keyword: str | None,
    markexpr: str | None,
    exitfirst: bool,
    workers: str | None,
    no_pdf: bool,
    quiet: bool,
) -> None:
    """Run a profile against a system and write the certification report."""
    import pytest

    from conformance.catalogue.loader import load_profile
    from conformance.target import load_target

    prof = load_profile(profile)  # fail fast with file:line, before pytest starts
    if target:
        load_target(target)
    ppath = Path(profile)
    ppath = ppath / "profile.yaml" if ppath.is_dir() else ppath
    if run_dir is None:
        stamp = dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).strftime("%Y%m%d-%H%M%S")
        suffix = "-" + "-".join(fault) if fault else ""
        run_dir = str(Path(out) / f"{stamp}-{prof.id}{suffix}-{secrets.token_hex(2)}")
    Path(run_dir).mkdir(parents=True, exist_ok=True)
    args = [
        str(ppath),
        "--conformance-profile",
        str(ppath),
        "--conformance-run-dir",
        run_dir,
        "--junitxml",
        str(Path(run_dir) / "junit.xml"),
        "--alluredir",
        str(Path(run_dir) / "allure-results"),
        "-p",
        "no:cacheprovider",
        "-o",
        "junit_family=xunit2",
        "-o",
        "junit_suite_name=conformance",
        "--rootdir",
        str(Path.cwd()),
        "-c",
        str(_empty_ini()),
        "-p",
        "no:terminal",  # the command prints its own progress and summary
        "-p",
        "no:randomly",
    ]
    if target:
        args += ["--conformance-target", target]
    if run_config:
        args += ["--conformance-config", run_config]
    for a in area:
        args += ["--conformance-area", a]
    for lv in level:
        args += ["--conformance-level", lv]
    for f in fault:
        args += ["--conformance-fault", f]
    if keyword:
        args += ["-k", keyword]
    if markexpr:
        args += ["-m", markexpr]
    if exitfirst:
        args.append("-x")
    if workers:
        args += ["-n", workers]
    if no_pdf:
        args.append("--conformance-no-pdf")
    plugins: list[Any] = [] if quiet else [_Progress()]
    if not quiet:
        console.print(
            f"[bold]Hồ sơ tiêu chí[/] {prof.id} {prof.version} · [bold]thư mục kết quả[/] {run_dir}"
        )
    code = int(pytest.main(args, plugins=plugins))
    results = Path(run_dir) / "results.json"
    if results.exists():
        _print_summary(json.loads(results.read_text("utf-8")), Path(run_dir))
    sys.exit(code)


def _print_summary(results: dict[str, Any], run_dir: Path) -> None:
    """What a vendor's CI log needs: the verdict, why, each failed criterion with its legal basis."""
    v = results["verdict"]
    colour = {"DAT": "green", "KHONG_DAT": "red"}.get(v["overall"], "yellow")
    console.print(f"\n[bold {colour}]Kết luận: {v['label']['vi']}[/] ({v['label']['en']})")
    for r in v["reasons"]:
        console.print(f"  - {r}", markup=False)
    for c in results["criteria"]:
        if c["result"] in ("fail", "error"):
            basis = "; ".join(
                ", ".join(p for p in (lb.get("article"), lb.get("clause"), lb.get("instrument")) if p)
                for lb in c.get("legal_basis") or []
            )
            console.print(f"  [red]{c['id']}[/] {c['message']}", markup=True)
            console.print(f"      căn cứ: {basis} · chứng cứ: {', '.join(c['evidence'][:3])}", markup=False)
    n = sum(v["counts"].values())
    console.print(
        f"{n} tiêu chí · "
        + ", ".join(f"{k} {x}" for k, x in v["counts"].items() if x)
        + f" · báo cáo: {run_dir / 'report.html'}",
        markup=False,
    )


def _empty_ini() -> Path:
    """An empty ini file, so a vendor's own pytest configuration never changes a certification run."""
    p = Path(__file__).resolve().parent / "catalogue" / "pytest-run.ini"
    return p


# -- validate ----------------------------------------------------------------------------------------
def _kind_of(path: Path) -> str | None:
    if path.is_dir():
        return "profile" if (path / "profile.yaml").exists() else None
    if path.suffix not in (".yaml", ".yml"):
        return None
    head = path.read_text("utf-8", errors="replace")[:20000]
    if "\nprofile:" in "\n" + head:
        return "profile"
    if "\ntarget:" in "\n" + head:
        return "target"
    if "\nextends:" in "\n" + head and "\nreasons:" not in "\n" + head:
        return "target"  # a target that changes another (a profile's extends: sits under profile:)
    if "\ncriteria:" in "\n" + head or "\nparameters:" in "\n" + head:
        return "include"
    if "\nreasons:" in "\n" + head:
        return "coverage"
    return (
        "run-config"
        if any(f"\n{k}:" in "\n" + head for k in ("evaluator", "waivers", "attestations"))
        else None
    )


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check profiles, target files and run configurations without running anything."""
    from conformance.catalogue.coverage import coverage_of
    from conformance.catalogue.loader import load_profile
    from conformance.runconfig import load_run_config
    from conformance.target import load_target

    todo: list[Path] = []
    for p in paths:
        if p.is_dir() and not (p / "profile.yaml").exists():
            todo += sorted(
                q
                for q in p.iterdir()
                if (q.is_dir() and (q / "profile.yaml").exists()) or q.suffix in (".yaml", ".yml")
            )
        else:
            todo.append(p)
    bad = 0
    seen: set[str] = set()
    for p in todo:
        kind = _kind_of(p)
        try:
            if kind == "profile":
                prof = load_profile(p)
                cov = coverage_of(prof)  # the reasons file beside it, checked with file:line
                console.print(
                    f"[green]hợp lệ[/] {p}: hồ sơ {prof.id} {prof.version}, {len(prof.criteria)} tiêu chí, "
                    f"lý do chưa kiểm tra: {cov.reasons_file or 'không có tệp'}"
                )
            elif kind == "coverage":
                if not (p.parent / "profile.yaml").exists():
                    raise ConfigError.one(str(p), None, "", "tệp lý do phải nằm cạnh profile.yaml của hồ sơ")
                cov = coverage_of(load_profile(p.parent), reasons_file=p)
                console.print(f"[green]hợp lệ[/] {p}: lý do cho {sum(1 for r in cov.rows if r.reason)} dòng")
            elif kind == "target":
                t = load_target(p)
                console.print(f"[green]hợp lệ[/] {p}: tệp đích {t.name}, {len(t.operations)} thao tác")
            elif kind == "run-config":
                load_run_config(p)
                console.print(f"[green]hợp lệ[/] {p}: cấu hình lần chạy")
            elif kind == "include":
                continue  # checked through the profile that includes it
            else:
                from conformance.catalogue.yamlsrc import load_yaml

                load_yaml(p)  # an empty or unparsable file says so, with its line
                bad += 1
                err_console.print(
                    f"{p}:1: không nhận ra loại tệp (cần khối profile:, target: hoặc cấu hình lần chạy)",
                    markup=False,
                )
        except ConfigError as exc:
            bad += 1
            for prob in exc.problems:
                if str(prob) not in seen:  # a profile that extends a broken one repeats its problems
                    seen.add(str(prob))
                    err_console.print(str(prob), markup=False)
    sys.exit(EXIT_CONFIG if bad else 0)


# -- list ----------------------------------------------------------------------------------------------
@main.command("list")
@click.option("--profile", default=DEFAULT_PROFILE, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--operations", is_flag=True, help="list the abstract operations instead")
def list_(profile: str, as_json: bool, operations: bool) -> None:
    """List the criteria of a profile (or the abstract operations)."""
    if operations:
        from conformance.catalogue.operations import operations as ops

        rows = [
            {
                "name": o.name,
                "vi": o.vi,
                "feature": o.feature,
                "inputs": list(o.inputs),
                "outputs": list(o.outputs),
            }
            for o in ops().values()
        ]
        if as_json:
            click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        t = Table("thao tác", "mô tả", "tính năng")
        for r in rows:
            t.add_row(r["name"], r["vi"], r["feature"] or "")
        console.print(t)
        return
    from conformance.catalogue.loader import load_profile

    prof = load_profile(profile)
    rows = [c.summary() for c in prof.criteria.values()]
    if as_json:
        click.echo(json.dumps({"profile": prof.header(), "criteria": rows}, ensure_ascii=False, indent=1))
        return
    t = Table("ID", "lĩnh vực", "mức", "kênh", "CC", "tiêu chí", "căn cứ", title=f"{prof.id} {prof.version}")
    for c in prof.criteria.values():
        t.add_row(c.id, c.area, c.level, c.channel, c.evidence_mark, c.title["vi"], str(c.legal_basis[0]))
    console.print(t)


# -- faults --------------------------------------------------------------------------------------------
@main.command()
@click.option("--json", "as_json", is_flag=True)
def faults(as_json: bool) -> None:
    """The reference system's fault switches: the rule each breaks and the criteria expected to fail."""
    from conformance.embedded import fault_registry

    reg = fault_registry()
    if as_json:
        click.echo(json.dumps(reg, ensure_ascii=False, indent=1))
        return
    t = Table("lỗi giả lập", "quy tắc bị vi phạm", "tiêu chí phải trượt")
    for f in reg:
        t.add_row(f["name"], f["rule"], ", ".join(f.get("expect_fail") or []) or "(kiểm tra trước khi chạy)")
    console.print(t)


# -- report / rejudge ------------------------------------------------------------------------------------
@main.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--no-pdf", is_flag=True)
def report(run_dir: Path, no_pdf: bool) -> None:
    """Rebuild results.json and the reports of a run folder (also one that was interrupted)."""
    from conformance.results import exit_code_of, finalize

    results = finalize(run_dir, pdf=not no_pdf)
    v = results["verdict"]
    state = "đầy đủ" if results["run"]["complete"] else "[bold red]CHƯA ĐẦY ĐỦ[/]"
    console.print(f"Kết luận: [bold]{v['label']['vi']}[/] · lần chạy {state} · {run_dir}/report.html")
    for r in v["reasons"]:
        console.print(f"  - {r}", markup=False)
    sys.exit(exit_code_of(results))


@main.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--profile", default=None, help="profile to judge with (default: the one the run used)")
@click.option("--json", "as_json", is_flag=True)
def rejudge(run_dir: Path, profile: str | None, as_json: bool) -> None:
    """Recompute verdicts from recorded evidence with the current profile; print what changed."""
    from conformance.catalogue.loader import load_profile
    from conformance.rejudge import changes_json
    from conformance.rejudge import rejudge as do_rejudge
    from conformance.results import read_json

    path = profile or read_json(run_dir / "run.json")["profile"]["path"]
    changes, _ = do_rejudge(run_dir, load_profile(path))
    if as_json:
        click.echo(changes_json(changes))
        return
    if not changes:
        console.print("Không có kết quả nào thay đổi: các kết luận được tái lập từ chứng cứ đã ghi.")
        return
    t = Table("tiêu chí", "trước", "sau", "lý do")
    for c in changes:
        t.add_row(c.criterion, c.before, c.after, c.reason)
    console.print(t)


# -- seal / verify -------------------------------------------------------------------------------------
@main.command("seal")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out", type=click.Path(path_type=Path), default=None, help="archive path (default RUN.seal.zip)"
)
@click.option("--pkcs12", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@click.option("--password-env", default=None, help="environment variable holding the PKCS#12 password")
def seal_cmd(run_dir: Path, out: Path | None, pkcs12: Path | None, password_env: str | None) -> None:
    """Seal a run folder into one archive signed by the evaluator (detached CMS)."""
    from conformance.seal import seal

    path = seal(run_dir, out, pkcs12=pkcs12, password_env=password_env)
    console.print(f"Đã niêm phong: {path}", markup=False)


@main.command("verify")
@click.argument("bundle", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--trust",
    "trust",
    multiple=True,
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="trusted root certificate (PEM or DER), repeatable",
)
@click.option("--crl", multiple=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--cert",
    "certs",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="intermediate certificates",
)
def verify_cmd(bundle: Path, trust: tuple[Path, ...], crl: tuple[Path, ...], certs: tuple[Path, ...]) -> None:
    """Check a sealed archive: the signature, then every file; name what was altered, removed or added."""
    from conformance.seal import verify

    v = verify(bundle, list(trust), list(crl), list(certs))
    if v.ok:
        console.print(
            f"Gói niêm phong nguyên vẹn · người ký: {v.signer} · trạng thái lần chạy: {v.state}", markup=False
        )
        return
    for p in v.problems:
        err_console.print(p, markup=False)
    sys.exit(1)


# -- diff-profiles -------------------------------------------------------------------------------------
@main.command("diff-profiles")
@click.argument("a")
@click.argument("b")
@click.option("--json", "as_json", is_flag=True)
def diff_profiles(a: str, b: str, as_json: bool) -> None:
    """Criteria added, removed or changed between two profiles (e.g. vn-2020 and vn-2025)."""
    from conformance.catalogue.diff import diff
    from conformance.catalogue.loader import load_profile

    pa, pb = load_profile(a), load_profile(b)
    d = diff(pa, pb)
    if as_json:
        click.echo(json.dumps(d, ensure_ascii=False, indent=1))
        return
    console.print(f"{pa.id} {pa.version} → {pb.id} {pb.version}", markup=False)
    t = Table("thay đổi", "tiêu chí", "chi tiết")
    for cid in d["added"]:
        t.add_row("thêm", cid, pb.criteria[cid].title["vi"])
    for cid in d["removed"]:
        t.add_row("bỏ", cid, pa.criteria[cid].title["vi"])
    for cid, fields in d["changed"].items():
        t.add_row("đổi", cid, ", ".join(fields))
    for name, (old, new) in d["parameters"].items():
        t.add_row("tham số", name, f"{old!r} → {new!r}")
    console.print(t)


# -- coverage ------------------------------------------------------------------------------------------
_COVERAGE_STYLE = {
    "automated": "green",
    "manual": "cyan",
    "gap": "bold red",
    "unaccounted": "bold reverse red",
}


@main.command()
@click.argument("profile", default=DEFAULT_PROFILE)
@click.option("--json", "as_json", is_flag=True)
@click.option("--only", multiple=True, help="show only rows of this status (e.g. gap), repeatable")
@click.option("--strict", is_flag=True, help="also exit 1 on gaps and stale reasons")
@click.option("--prune", is_flag=True, help="delete the stale reasons from the profile's reasons file")
def coverage(profile: str, as_json: bool, only: tuple[str, ...], strict: bool, prune: bool) -> None:
    """Every legal requirement row of the profile's regime: the criteria that verify it, or why not."""
    from conformance.catalogue.coverage import STATUSES, coverage_of, prune_stale, status_label
    from conformance.catalogue.loader import load_profile

    bad = [o for o in only if o not in STATUSES]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}; có: {', '.join(STATUSES)}", param_hint="--only")
    prof = load_profile(profile)
    cov = coverage_of(prof)
    if prune and cov.stale:
        for r in prune_stale(cov):
            err_console.print(f"đã xóa lý do cũ {r.row} ({r.where})", markup=False, highlight=False)
        cov = coverage_of(prof)
    failed = bool(cov.unaccounted) or (strict and bool(cov.gaps or cov.stale))
    if as_json:
        click.echo(json.dumps(cov.as_dict(), ensure_ascii=False, indent=1))
        sys.exit(1 if failed else 0)
    t = Table(
        "dòng",
        "yêu cầu",
        "CC",
        "tình trạng",
        "tiêu chí / lý do",
        title=f"Đối chiếu yêu cầu pháp lý · {cov.profile['id']} {cov.profile['version']} "
        f"· chế độ {cov.regime}",
    )
    for r in cov.rows:
        if only and r.status not in only:
            continue
        req = r.row.requirement["vi"]
        req = req if len(req) <= 90 else req[:89] + "…"
        if r.criteria:
            how = ", ".join(f"{v.id} ({'tự động' if v.automated else 'thủ công'})" for v in r.criteria)
        else:
            how = (r.reason.note or {}).get("vi", "") if r.reason else ""
        style = _COVERAGE_STYLE.get(r.status, "yellow")
        t.add_row(r.row.id, req, r.row.evidence_mark, f"[{style}]{status_label(r.status)['short']}[/]", how)
    console.print(t)
    counts = cov.counts()
    console.print(
        f"{len(cov.rows)} dòng của chế độ {cov.regime} · "
        + " · ".join(f"{status_label(k)['vi']}: {n}" for k, n in counts.items() if n),
        markup=False,
    )
    console.print(f"Tệp lý do: {cov.reasons_file or '(không có)'}", markup=False)
    if cov.gaps:
        console.print(f"[bold red]{len(cov.gaps)} dòng là khoảng trống: chưa có tiêu chí kiểm tra.[/]")
    for w in cov.warnings():
        err_console.print(f"[yellow]cảnh báo:[/] {w}", highlight=False)
    if cov.unaccounted:
        err_console.print(
            f"[bold red]{len(cov.unaccounted)} dòng không có tiêu chí cũng không có lý do:[/] "
            + ", ".join(cov.unaccounted)
        )
    sys.exit(1 if failed else 0)


# -- compare ---------------------------------------------------------------------------------------------
@main.command()
@click.argument(
    "runs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option("--weights", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@click.option("--out", type=click.Path(path_type=Path), default=Path("reports/compare"), show_default=True)
@click.option("--no-pdf", is_flag=True)
def compare(runs: tuple[Path, ...], weights: Path | None, out: Path, no_pdf: bool) -> None:
    """Products side by side from several runs, with a fit score from an agency's weights file."""
    from conformance.report.compare import write_compare

    path = write_compare(list(runs), weights, out, pdf=not no_pdf)
    console.print(f"Trang so sánh: {path}", markup=False)


# -- standalone validators (usable by archives and agencies without running a profile) --------------------
@main.command("package", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def package_cmd(args: tuple[str, ...]) -> None:
    """TT 05/2025 SIP/AIP packages and NĐ 30 exports: `conformance package validate PKG… [--json]`."""
    from conformance.standards.packages.__main__ import main as package_main

    sys.exit(package_main(list(args)))


@main.command("edxml", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def edxml_cmd(args: tuple[str, ...]) -> None:
    """edXML packages (QCVN 102:2016): `conformance edxml validate FILE… [--json]`."""
    from conformance.standards.edxml.__main__ import main as edxml_main

    sys.exit(edxml_main(list(args)))
