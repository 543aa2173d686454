"""Start-up configuration, read once from the environment and the command line."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_ORGAN_ID = "000.00.00.H49"
DEFAULT_ORGAN_NAME = "Ủy ban nhân dân tỉnh Quảng Ninh"

# The test PKI shipped with the repository: the reference signs with it and trusts its root.
DEFAULT_PKI_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "pki"

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
    # The connector to the national axis (trục liên thông); off when no URL is configured.
    axis_url: str | None = None
    axis_system_id: str | None = None
    axis_secret: str | None = field(default=None, repr=False)
    axis_poll_s: float = 1.0  # between polls when the axis has no long poll
    axis_wait_s: float = 2.0  # long-poll hold asked of the axis (0: plain polling)
    place: str = "Quảng Ninh"  # địa danh of the documents it issues (NĐ 30 PL I II.4)
    pki_dir: Path | None = None  # keys and certificates: personal.*, organisation.*, root-ca.*, *.crl

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
        axis_url = (env.get("REFOFFICE_AXIS_URL") or "").strip() or None
        axis_secret = env.get("REFOFFICE_AXIS_SECRET") or None
        if axis_url and not axis_secret:
            raise ConfigError("REFOFFICE_AXIS_URL is set without REFOFFICE_AXIS_SECRET (the HMAC secret)")
        pki = env.get("REFOFFICE_PKI_DIR")
        pki_dir = Path(pki) if pki else (DEFAULT_PKI_DIR if DEFAULT_PKI_DIR.is_dir() else None)
        return cls(
            db_url=db_url,
            password=password,
            control_token=token,
            organ_id=organ_id,
            organ_name=organ_name,
            faults=frozenset(faults),
            axis_url=axis_url,
            axis_system_id=(env.get("REFOFFICE_AXIS_SYSTEM_ID") or organ_id).strip(),
            axis_secret=axis_secret,
            axis_poll_s=float(env.get("REFOFFICE_AXIS_POLL_S") or 1.0),
            axis_wait_s=float(env.get("REFOFFICE_AXIS_WAIT_S") or 2.0),
            place=_nfc(env.get("REFOFFICE_PLACE") or "Quảng Ninh"),
            pki_dir=pki_dir,
        )
