"""The recorded corpus of malformed packages: reproducible from its seed, and every entry really broken."""

from __future__ import annotations

import pytest

from conformance.axis import corpus, mutants, peers
from conformance.standards.edxml import model as m
from conformance.standards.edxml import validate_package


@pytest.fixture(scope="module")
def base() -> bytes:
    return peers.build_edoc(
        m.Organization("000.00.00.H99", "Ủy ban nhân dân tỉnh Thử Nghiệm"),
        [m.Organization("000.00.00.H49", "Ủy ban nhân dân tỉnh Quảng Ninh")],
        attachments=mutants.attachment("signed_pdf"),
    )


def test_every_recorded_mutation_breaks_the_package(base: bytes) -> None:
    entries = corpus.load()
    assert len(entries) >= 8
    assert len({(e["op"], e["path"]) for e in entries}) == len(entries)
    for e in entries:
        report = validate_package(corpus.apply(base, e))
        assert report.errors, e
        assert set(e["errors"]) <= set(report.codes), (e, report.codes)


def test_regenerating_draws_the_same_kinds_of_breakage(base: bytes) -> None:
    """Replays use the recorded file; a regeneration (values may differ with hypothesis's settings)
    still covers the same mutation kinds and only keeps packages the validator rejects."""
    recorded = corpus.load()
    fresh = corpus._generate(len(recorded))
    assert {(e["op"], e["path"]) for e in fresh} == {(e["op"], e["path"]) for e in recorded}
    for e in fresh:
        assert validate_package(corpus.apply(base, e)).errors, e


def test_apply_refuses_a_path_the_package_lacks(base: bytes) -> None:
    with pytest.raises(ValueError):
        corpus.apply(base, {"op": "drop", "path": "MessageHeader/NoSuchElement"})
