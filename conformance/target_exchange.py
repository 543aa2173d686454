"""The ``exchange:`` block of a target file: how the harness's axis meets the vendor's connector.

Why a block of its own: the exchange criteria need no operation bindings (DESIGN §2), only the
vendor's agency code, the ``systemid`` and HMAC secret its connector uses, and where the harness's
axis listens. The secret is named by an environment variable, never written in the file. The
running axis's address and owner token are filled in at run time (``url``, ``owner_token``) by
whoever started it (``conformance.axis.harness``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ExchangeConfig", "exchange_config"]


@dataclass
class ExchangeConfig:
    """The vendor on the axis; ``url``/``owner_token`` are runtime facts, not file content."""

    organ_id: str
    organ_name: str
    system_id: str
    secret_env: str
    host: str = "127.0.0.1"
    port: int = 0
    status_timeout_s: float = 10.0
    transport_timeout_s: float = 10.0
    settle_s: float = 0.3
    url: str | None = None
    owner_token: str | None = field(default=None, repr=False)

    def secret(self) -> str | None:
        """The shared HMAC secret, read from the environment when needed."""
        return os.environ.get(self.secret_env) or None


def exchange_config(block: dict[str, Any] | None, default_name: str) -> ExchangeConfig | None:
    """The parsed block (the schema has already checked its shape), or None when absent."""
    if not block:
        return None
    listen = block.get("listen") or {}
    timeouts = block.get("timeouts") or {}
    return ExchangeConfig(
        organ_id=block["organ_id"],
        organ_name=block.get("organ_name") or default_name,
        system_id=block.get("system_id") or block["organ_id"],
        secret_env=block.get("secret_env") or "CONFORMANCE_AXIS_SECRET",
        host=listen.get("host", "127.0.0.1"),
        port=int(listen.get("port", 0)),
        status_timeout_s=float(timeouts.get("status", 10)),
        transport_timeout_s=float(timeouts.get("transport", 10)),
        settle_s=float(timeouts.get("settle", 0.3)),
    )
