"""A vendor whose only configuration is the axis address and its agency code runs the exchange criteria.

The reference plays the vendor: it is started on its own, its connector pointed at a fixed port
where the harness's axis will listen (as a vendor configures its connector before a run). The
target file has no operation bindings at all; ``conformance run -m exchange`` starts the axis there
and every exchange criterion must pass. Criteria that need a binding are reported as not bound.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import yaml

from conformance.embedded import EmbeddedReference
from tests.conftest import run_cli

SECRET_ENV = "VENDOR_AXIS_SECRET"
SECRET = "bí-mật-kết-nối-trục-9a8b7c"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_exchange_criteria_need_only_the_exchange_block(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "REFOFFICE_AXIS_URL": f"http://127.0.0.1:{port}",
        "REFOFFICE_AXIS_SYSTEM_ID": "vxp.vendor.77",
        "REFOFFICE_AXIS_SECRET": SECRET,
        "REFOFFICE_AXIS_POLL_S": "0.2",
        "REFOFFICE_ORGAN_ID": "000.00.00.H41",
        "REFOFFICE_ORGAN_NAME": "Ủy ban nhân dân tỉnh Nghệ An",
    }
    with EmbeddedReference().start(env=env) as vendor:
        target = {
            "target": {
                "name": "Hệ thống của nhà cung cấp (chỉ cấu hình trục)",
                "product": "vendor-x",
                "vendor": "Nhà cung cấp X",
                "version": "1.0",
                "base_url": vendor.base_url,
                "health": {"path": "/api/health"},
            },
            "auth": {"kind": "none"},
            "capabilities": {"areas": ["gui-nhan"]},
            "exchange": {
                "organ_id": "000.00.00.H41",
                "system_id": "vxp.vendor.77",
                "secret_env": SECRET_ENV,
                "listen": {"host": "127.0.0.1", "port": port},
                "timeouts": {"status": 5, "transport": 3, "settle": 0.2},
            },
            "operations": {},
        }
        path = tmp_path / "vendor.yaml"
        path.write_text(yaml.safe_dump(target, allow_unicode=True, sort_keys=False), "utf-8")
        run_dir = tmp_path / "run"
        proc = run_cli(
            "run",
            "--profile",
            "profiles/vn-2020",
            "--target",
            str(path),
            "--area",
            "gui-nhan",
            "--no-pdf",
            "--run-dir",
            str(run_dir),
            env={SECRET_ENV: SECRET},
            timeout=600,
        )
    assert (run_dir / "results.json").exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    data = json.loads((run_dir / "results.json").read_text("utf-8"))
    by_channel: dict[str, dict[str, str]] = {}
    for c in data["criteria"]:
        by_channel.setdefault(c["channel"], {})[c["id"]] = c["result"]
    exchange = by_channel["exchange"]
    assert len(exchange) >= 20 and all(r == "pass" for r in exchange.values()), exchange
    # criteria that need the vendor's API are not run, and say why (no binding), never fail
    api = by_channel["api"]
    assert api and set(api.values()) <= {"skipped", "not_applicable"}, api
    # the run's axis journal and packages are part of the run folder, and the secret is nowhere
    assert (run_dir / "axis" / "journal.jsonl").exists()
    for p in run_dir.rglob("*"):
        if p.is_file():
            assert SECRET.encode() not in p.read_bytes(), p
