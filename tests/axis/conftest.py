"""A real axis on loopback with two agencies that hold credentials (A sends, B receives)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conformance.axis import AxisServer
from conformance.axis.client import AxisClient, OwnerClient
from conformance.axis.directory import DEFAULT_AGENCIES
from conformance.axis.peers import build_edoc
from conformance.standards.edxml import model as m

A = "000.00.00.H99"
B = "000.00.00.H49"
SECRET_A = "secret-of-agency-a-0123456789"
SECRET_B = "secret-of-agency-b-9876543210"


@dataclass
class World:
    server: AxisServer
    a: AxisClient
    b: AxisClient
    owner: OwnerClient

    def edoc(self, number: str = "123", to: list[str] | None = None, **kw: object) -> bytes:
        ax = self.server.axis
        return build_edoc(
            ax.agency(A).organization(),
            [ax.agency(c).organization() for c in (to or [B])],
            number=number,
            **kw,  # type: ignore[arg-type]
        )


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with AxisServer(journal_dir=tmp_path / "journal") as server:
        for e in DEFAULT_AGENCIES:
            server.axis.add_agency(e.code102, e.name, code_qd20=e.code_qd20)
        server.axis.add_agency(B, "Ủy ban nhân dân tỉnh Quảng Ninh", code_qd20="H49")
        server.axis.register_secret(A, SECRET_A)
        server.axis.register_secret(B, SECRET_B, system_id="vxp.refoffice.01")
        yield World(
            server,
            AxisClient(server.base_url, A, SECRET_A),
            AxisClient(server.base_url, "vxp.refoffice.01", SECRET_B, agency=B),
            OwnerClient(server.base_url, server.owner_token),
        )


def organization(code: str, name: str) -> m.Organization:
    return m.Organization(code, name)
