"""Start-up configuration, read once from the environment and the command line."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

DEFAULT_ORGAN_ID = "000.00.00.H49"
DEFAULT_ORGAN_NAME = "Ủy ban nhân dân tỉnh Quảng Ninh"

# QCVN 102:2016 (13 characters) or QĐ 20/2020/QĐ-TTg (≤35, dot groups of [A-Z0-9]).
ORGAN_ID_RE = re.compile(r"^(?=.{1,35}$)[A-Z0-9]+(\.[A-Z0-9]+)*$")


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


class ConfigError(Exception):
    """A configuration problem, reported to the operator as one line."""


@dataclass(frozen=True)
class Config:
    """Everything `create_app` needs; secrets are kept out of `repr` so they never reach a log."""

    db_url: str
    password: str = field(repr=False)
    control_token: str = field(repr=False)
    organ_id: str = DEFAULT_ORGAN_ID
    organ_name: str = DEFAULT_ORGAN_NAME
    faults: frozenset[str] = frozenset()
    # PBKDF2 work factor; tests lower it, production keeps the default.
    hash_iterations: int = 310_000
    token_ttl_seconds: int = 12 * 3600

    @classmethod
    def from_env(
        cls,
        db_url: str,
        environ: Mapping[str, str] | None = None,
        faults: Iterable[str] = (),
    ) -> Config:
        """Build the configuration; refuse to start without the secrets the contract requires."""
        env = os.environ if environ is None else environ
        password = env.get("REFOFFICE_PASSWORD", "")
        if not password:
            raise ConfigError(
                "REFOFFICE_PASSWORD is not set: it is the password of every seeded user; refusing to start"
            )
        token = env.get("REFOFFICE_CONTROL_TOKEN", "")
        if not token:
            raise ConfigError("REFOFFICE_CONTROL_TOKEN is not set: it guards /__control__; refusing to start")
        organ_id = _nfc(env.get("REFOFFICE_ORGAN_ID") or DEFAULT_ORGAN_ID)
        if not ORGAN_ID_RE.match(organ_id):
            raise ConfigError(
                f"REFOFFICE_ORGAN_ID {organ_id!r} is not an agency identifier (QCVN 102 or QĐ 20)"
            )
        organ_name = _nfc(env.get("REFOFFICE_ORGAN_NAME") or DEFAULT_ORGAN_NAME)
        if len(organ_name) > 200:
            raise ConfigError("REFOFFICE_ORGAN_NAME is longer than 200 characters (NĐ 30 PL VI OrganName)")
        return cls(
            db_url=db_url,
            password=password,
            control_token=token,
            organ_id=organ_id,
            organ_name=organ_name,
            faults=frozenset(faults),
        )
