"""Start the simulated axis for a run and hand its address to whoever needs it.

Why a module: the pytest plugin's controller, the test suite and the benchmark all need the same
start-up — the axis bound where the target's ``exchange.listen`` says, the peers of ``directory``,
the vendor registered under its agency code with its ``systemid`` and secret — and the embedded
reference must then be told the axis address and its credentials (``reference_env``). The secret
of a real vendor comes from the environment variable the target names; for the embedded reference
one is generated and exported there, so it is never written to a file.

The running axis is also remembered per process (``current``): the exchange driver of an engine in
the same process finds it without extra wiring; other processes (xdist workers) get ``url`` and
``owner_token`` handed over explicitly.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from conformance.errors import ConfigError
from conformance.target_exchange import ExchangeConfig

from .directory import DEFAULT_AGENCIES
from .server import AxisServer

__all__ = ["RunningAxis", "current", "start_axis"]

_CURRENT: RunningAxis | None = None


@dataclass
class RunningAxis:
    server: AxisServer
    config: ExchangeConfig
    secret: str

    @property
    def url(self) -> str:
        return self.server.base_url

    @property
    def owner_token(self) -> str:
        return self.server.owner_token

    def reference_env(self) -> dict[str, str]:
        """What the embedded reference reads to connect to this axis (refoffice/config.py)."""
        return {
            "REFOFFICE_ORGAN_ID": self.config.organ_id,
            "REFOFFICE_AXIS_URL": self.url,
            "REFOFFICE_AXIS_SYSTEM_ID": self.config.system_id,
            "REFOFFICE_AXIS_SECRET": self.secret,
            "REFOFFICE_AXIS_POLL_S": "0.2",  # retry soon after a refused call: criteria stay fast
        }

    def stop(self) -> None:
        global _CURRENT
        self.server.stop()
        if _CURRENT is self:
            _CURRENT = None
        self.config.url = self.config.owner_token = None


def current() -> RunningAxis | None:
    """The axis started in this process, if any."""
    return _CURRENT


def start_axis(
    config: ExchangeConfig, *, embedded: bool, journal_dir: Path | None = None, target_path: str = ""
) -> RunningAxis:
    """Start the axis for ``config`` and fill in its runtime address and owner token."""
    global _CURRENT
    secret = config.secret()
    if not secret:
        if not embedded:
            raise ConfigError.one(
                target_path,
                None,
                "exchange.secret_env",
                f"biến môi trường {config.secret_env} (khóa HMAC của kết nối trục) chưa được đặt",
            )
        secret = secrets.token_urlsafe(24)
        os.environ[config.secret_env] = secret  # the target reads it from here, like the embedded password
    server = AxisServer(host=config.host, port=config.port, journal_dir=journal_dir)
    for e in DEFAULT_AGENCIES:
        server.axis.add_agency(e.code102, e.name, code_qd20=e.code_qd20)
    if config.organ_id not in {e.code102 for e in DEFAULT_AGENCIES}:
        server.axis.add_agency(config.organ_id, config.organ_name)
    server.axis.register_secret(config.organ_id, secret, system_id=config.system_id)
    try:
        server.start()
    except OSError as exc:
        raise ConfigError.one(
            target_path,
            None,
            "exchange.listen",
            f"không mở được cổng {config.host}:{config.port} cho trục mô phỏng: {exc}",
        ) from None
    config.url, config.owner_token = server.base_url, server.owner_token
    running = RunningAxis(server, config, secret)
    _CURRENT = running
    return running
