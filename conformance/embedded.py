"""Start and stop the embedded reference system (the default target of ``conformance run``).

The harness starts ``refoffice`` as a separate process, never in-process: it is an independent
implementation and must behave like a vendor's server. The listening socket is bound here on
127.0.0.1 port 0 and handed to the child (race-free free port). Fresh random credentials are
generated per start and exported through the environment, where the reference target file reads
them, so no secret is ever written to a file.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from conformance.errors import HarnessError

PASSWORD_ENV = "REFOFFICE_PASSWORD"
CONTROL_ENV = "REFOFFICE_CONTROL_TOKEN"


@dataclass
class EmbeddedReference:
    """A running reference system; a context manager that always stops it."""

    base_url: str = ""
    control_token: str = ""
    password: str = ""
    process: subprocess.Popen[bytes] | None = None
    workdir: Path | None = None
    faults: list[str] = field(default_factory=list)
    _tmp: tempfile.TemporaryDirectory[str] | None = None

    def start(
        self,
        faults: list[str] | None = None,
        workdir: Path | None = None,
        timeout: float = 30.0,
        env: dict[str, str] | None = None,
    ) -> EmbeddedReference:
        """Start the reference; ``env`` adds settings such as the axis address and credentials."""
        self.faults = list(faults or [])
        if workdir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="refoffice-")
            workdir = Path(self._tmp.name)
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.password = os.environ.get(PASSWORD_ENV) or secrets.token_urlsafe(18)
        self.control_token = secrets.token_urlsafe(24)
        os.environ[PASSWORD_ENV] = self.password  # the reference target file reads it from here
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        sock.set_inheritable(True)
        port = sock.getsockname()[1]
        ready = workdir / "ready.json"
        ready.unlink(missing_ok=True)
        cmd = [
            sys.executable,
            "-m",
            "refoffice",
            "serve",
            "--host",
            "127.0.0.1",
            "--fd",
            str(sock.fileno()),
            "--db",
            str(workdir / "refoffice.sqlite3"),
            "--ready-file",
            str(ready),
            "--exit-with-parent",  # a harness killed with SIGKILL must not leave the server running
            str(os.getpid()),
        ]
        for f in self.faults:
            cmd += ["--fault", f]
        env = {**os.environ, **(env or {}), PASSWORD_ENV: self.password, CONTROL_ENV: self.control_token}
        log = open(workdir / "refoffice.log", "ab")
        try:
            self.process = subprocess.Popen(
                cmd,
                env=env,
                pass_fds=(sock.fileno(),),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            sock.close()
            log.close()
        self.base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = (workdir / "refoffice.log").read_text("utf-8", "replace")[-1500:]
                raise HarnessError(
                    f"hệ thống tham chiếu không khởi động được (mã {self.process.returncode}):\n{tail}"
                )
            if ready.exists() and ready.stat().st_size:
                return self
            time.sleep(0.05)
        self.stop()
        raise HarnessError(f"hệ thống tham chiếu không sẵn sàng sau {timeout:.0f}s")

    def stop(self) -> None:
        p, self.process = self.process, None
        if p is not None and p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    # -- control plane (fault switches, reset) -------------------------------------------------------
    def _control(self, method: str, path: str, body: Any = None) -> Any:
        r = requests.request(
            method,
            self.base_url + path,
            json=body,
            timeout=10,
            headers={"X-Control-Token": self.control_token},
        )
        if r.status_code >= 300:
            raise HarnessError(
                f"điều khiển hệ thống tham chiếu thất bại: {method} {path} → HTTP {r.status_code}"
            )
        return r.json() if r.content else None

    def set_faults(self, faults: list[str]) -> None:
        self._control("POST", "/__control__/faults", {"enable": list(faults)})
        self.faults = list(faults)

    def reset(self) -> None:
        self._control("POST", "/__control__/reset")

    def fault_registry(self) -> list[dict[str, Any]]:
        return self._control("GET", "/__control__/faults")["faults"]

    def take_consulted(self) -> set[str]:
        """Fault switches the reference's code read since the last call (the fault matrix's tracing)."""
        return set(self._control("POST", "/__control__/faults/consulted")["consulted"])

    def __enter__(self) -> EmbeddedReference:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def fault_registry() -> list[dict[str, Any]]:
    """The reference's fault registry, read from the reference itself (as data, across the process line)."""
    out = subprocess.run(
        [sys.executable, "-m", "refoffice", "faults", "--json"], capture_output=True, timeout=60, check=False
    )
    if out.returncode != 0:
        raise HarnessError(
            f"không đọc được danh sách lỗi giả lập: {out.stderr.decode('utf-8', 'replace')[-500:]}"
        )
    return json.loads(out.stdout)
