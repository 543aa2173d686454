"""The agencies the harness's axis knows from the start: synthetic peers and a few public codes.

Why synthetic: peers the harness plays must not impersonate a real agency, so they are the
fictional "tỉnh Thử Nghiệm" of edxml.md §14.1 (``…H99``); a few public codes (VPCP, ministries,
provinces of the SDK samples) are listed for format round trips only. Each entry carries both code
forms (QCVN 102 and QĐ 20/2020, OQ-10); the QĐ 20 forms of the synthetic codes are inferred [I].
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["DEFAULT_AGENCIES", "PEER", "PEER_2", "PEER_3", "DirectoryEntry"]


class DirectoryEntry(NamedTuple):
    code102: str
    name: str
    code_qd20: str


PEER = "000.00.00.H99"  # UBND tỉnh Thử Nghiệm: the peer that sends the vendor documents by default
PEER_2 = "000.00.12.H99"
PEER_3 = "000.01.12.H99"

DEFAULT_AGENCIES: tuple[DirectoryEntry, ...] = (
    DirectoryEntry(PEER, "Ủy ban nhân dân tỉnh Thử Nghiệm", "H99"),
    DirectoryEntry(PEER_2, "Sở Khoa học và Công nghệ tỉnh Thử Nghiệm", "H99.12"),
    DirectoryEntry(PEER_3, "Trung tâm Công nghệ thông tin và Truyền thông tỉnh Thử Nghiệm", "H99.12.01"),
    DirectoryEntry("000.00.31.H99", "Ủy ban nhân dân xã A", "H99.31"),
    DirectoryEntry("000.00.00.G22", "Văn phòng Chính phủ", "G22"),
    DirectoryEntry("000.00.00.G09", "Bộ Nội vụ", "G09"),
    DirectoryEntry("000.00.00.G06", "Bộ Khoa học và Công nghệ", "G06"),
    DirectoryEntry("000.00.00.H41", "Ủy ban nhân dân tỉnh Nghệ An", "H41"),
    DirectoryEntry("000.00.00.H14", "Ủy ban nhân dân tỉnh Cao Bằng", "H14"),
)
