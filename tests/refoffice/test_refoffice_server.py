"""The real process: `python -m refoffice serve`, ready file, --fd, --fault, SIGTERM, refusal."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from refoffice.faults import FAULTS

ROOT = Path(__file__).resolve().parents[2]


def _env(api_cls, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFOFFICE_")}
    env.update(
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
        REFOFFICE_PASSWORD=api_cls.PASSWORD,
        REFOFFICE_CONTROL_TOKEN=api_cls.CONTROL_TOKEN,
        REFOFFICE_ORGAN_ID=api_cls.ORGAN_ID,
    )
    env.update(extra)
    return env


def _wait_ready(proc: subprocess.Popen, ready: Path, timeout: float = 15) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready.exists():
            return json.loads(ready.read_text(encoding="utf-8"))
        if proc.poll() is not None:
            raise AssertionError(f"server exited early: {proc.communicate()}")
        time.sleep(0.02)
    raise AssertionError("no ready file")


def _stop(proc: subprocess.Popen) -> tuple[int, str, str]:
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=10)
    return proc.returncode, out, err


@pytest.fixture
def served_fd(tmp_path: Path, shared_api) -> Iterator[tuple[subprocess.Popen, str, int, Path]]:
    """The server on a socket bound by the parent (race-free free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    ready = tmp_path / "ready.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "refoffice",
            "serve",
            "--fd",
            str(sock.fileno()),
            "--db",
            str(tmp_path / "ro.db"),
            "--ready-file",
            str(ready),
        ],
        env=_env(type(shared_api)),
        pass_fds=[sock.fileno()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sock.close()
    try:
        yield proc, f"http://127.0.0.1:{port}", port, ready
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_fd_server_serves_the_api_and_stops_cleanly_on_sigterm(served_fd, shared_api) -> None:
    proc, base, port, ready = served_fd
    info = _wait_ready(proc, ready)
    assert info == {"port": port, "pid": proc.pid}
    assert requests.get(f"{base}/api/health", timeout=5).json()["status"] == "ok"
    login = requests.post(
        f"{base}/api/auth/login", json={"username": "vanthu", "password": shared_api.PASSWORD}, timeout=5
    )
    assert login.status_code == 200
    token = login.json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    doc = requests.post(
        f"{base}/api/documents/outgoing",
        headers=headers,
        timeout=5,
        json={
            "type_name": "Công văn",
            "code_notation": "UBND-VX",
            "subject": "V/v kết nối, liên thông",
            "page_amount": 1,
        },
    )
    assert doc.status_code == 201 and doc.json()["code_number"] == "01"
    assert doc.json()["doc_code"].startswith("000.00.00.H99,")
    with ThreadPoolExecutor(max_workers=8) as pool:  # concurrent registrations never share a number
        numbers = list(
            pool.map(
                lambda i: requests.post(
                    f"{base}/api/documents/outgoing",
                    headers=headers,
                    timeout=10,
                    json={
                        "type_name": "Công văn",
                        "code_notation": "UBND-VP",
                        "subject": f"Số {i}",
                        "page_amount": 1,
                    },
                ).json()["code_number"],
                range(24),
            )
        )
    assert sorted(numbers) == [f"{n:02d}" for n in range(2, 26)]
    assert requests.get(f"{base}/api/me", timeout=5).status_code == 401
    assert requests.get(f"{base}/__control__/faults", timeout=5).status_code == 401
    page = requests.get(f"{base}/dang-nhap", timeout=5)
    assert page.headers["content-type"].startswith("text/html") and "Đăng nhập" in page.text
    code, out, err = _stop(proc)
    assert code == 0, err
    assert shared_api.PASSWORD not in out + err and token not in out + err
    assert "Traceback" not in err


def test_port_zero_with_fault_switch_at_start(tmp_path: Path, shared_api) -> None:
    ready = tmp_path / "ready.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "refoffice",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--db",
            str(tmp_path / "ro.db"),
            "--ready-file",
            str(ready),
            "--fault",
            "health_clock_skewed",
            "--fault",
            "maintenance_free_text",
        ],
        env=_env(type(shared_api)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        info = _wait_ready(proc, ready)
        base = f"http://127.0.0.1:{info['port']}"
        assert info["pid"] == proc.pid and info["port"] > 0
        control = {"X-Control-Token": shared_api.CONTROL_TOKEN}
        faults = requests.get(f"{base}/__control__/faults", headers=control, timeout=5).json()
        assert faults["enabled"] == ["maintenance_free_text", "health_clock_skewed"]
        reset = requests.post(f"{base}/__control__/faults", headers=control, json={"enable": []}, timeout=5)
        assert reset.json()["enabled"] == []
        code, _out, err = _stop(proc)
        assert code == 0, err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


@pytest.mark.parametrize(
    "missing,args",
    [
        ("REFOFFICE_PASSWORD", []),
        ("REFOFFICE_CONTROL_TOKEN", []),
        (None, ["--fault", "no_such_fault"]),
    ],
)
def test_refuses_to_start_with_a_one_line_message(tmp_path: Path, shared_api, missing, args) -> None:
    env = _env(type(shared_api))
    if missing:
        env.pop(missing)
    proc = subprocess.run(
        [sys.executable, "-m", "refoffice", "serve", "--port", "0", "--db", str(tmp_path / "x.db"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert "Traceback" not in proc.stderr
    if missing:
        assert len(lines) == 1 and missing in lines[0] and lines[0].startswith("refoffice: ")
        assert not (tmp_path / "x.db").exists()


def test_faults_subcommand_prints_the_registry_as_json_without_secrets(shared_api) -> None:
    env = {k: v for k, v in _env(type(shared_api)).items() if k not in ("REFOFFICE_PASSWORD",)}
    proc = subprocess.run(
        [sys.executable, "-m", "refoffice", "faults", "--json"], env=env, capture_output=True, timeout=30
    )
    assert proc.returncode == 0, proc.stderr
    registry = json.loads(proc.stdout)
    assert [f["name"] for f in registry][:2] == ["numbering_no_year_restart", "code_number_not_padded"]
    assert [f["name"] for f in registry] == list(FAULTS)  # every area's faults, in registry order
    assert set(registry[0]) == {"name", "rule", "description_en", "expect_fail", "preflight"}
    assert registry[-1] == {
        **registry[-1],
        "name": "health_clock_skewed",
        "expect_fail": [],
        "preflight": True,
    }


def test_exits_when_its_parent_is_gone(tmp_path: Path, shared_api) -> None:
    """A harness killed with SIGKILL must not leave the reference server running."""
    parent = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    ready = tmp_path / "ready.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "refoffice",
            "serve",
            "--port",
            "0",
            "--db",
            str(tmp_path / "ro.db"),
            "--ready-file",
            str(ready),
            "--exit-with-parent",
            str(parent.pid),
        ],
        env=_env(type(shared_api)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_ready(proc, ready)
        time.sleep(0.6)
        assert proc.poll() is None, "must keep serving while the parent lives"
        parent.kill()
        parent.wait(5)
        assert proc.wait(10) == 0
    finally:
        for p in (parent, proc):
            if p.poll() is None:
                p.kill()
                p.wait(5)
