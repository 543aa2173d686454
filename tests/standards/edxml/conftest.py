"""Shared fixtures of the edXML tests: sample packages built from edxml.md §14 values, a test key."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from conformance.standards.edxml import model as m

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "fixtures" / "edxml"
TODAY = dt.date(2026, 1, 1)  # fixed reference date for date.future (fixtures are dated 2025)


def load_make_fixtures() -> ModuleType:
    """Import fixtures/edxml/make_fixtures.py (a script, not a package)."""
    name = "edxml_make_fixtures"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def make_fixtures() -> ModuleType:
    return load_make_fixtures()


@pytest.fixture
def edoc(make_fixtures: ModuleType) -> m.DocumentPackage:
    """The base văn bản mới package of the fixtures (fresh copy per test)."""
    return make_fixtures.edoc()


@pytest.fixture
def status03(make_fixtures: ModuleType) -> m.StatusPackage:
    return make_fixtures.status("03")


@pytest.fixture(scope="session")
def key_cert() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """A throw-away RSA key and self-signed certificate."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "edXML test signer")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(dt.datetime(2025, 1, 1))
        .not_valid_after(dt.datetime(2035, 1, 1))
        .sign(key, hashes.SHA256())
    )
    return key, cert
