"""A small agency directory, so that a recipient's organ_id (field 13.1) fills itself in.

NĐ 30 PL VI III.1.g lists 13.1 among the fields the system fills automatically; a real
system would use the national directory, the reference ships the fixture agencies.
"""

from __future__ import annotations

import unicodedata

# Synthetic "tỉnh Thử Nghiệm" codes plus a few public ones used by the fixtures.
FIXTURE_AGENCIES: dict[str, str] = {
    "000.00.00.H99": "Ủy ban nhân dân tỉnh Thử Nghiệm",
    "000.00.12.H99": "Sở Khoa học và Công nghệ tỉnh Thử Nghiệm",
    "000.01.12.H99": "Trung tâm Công nghệ thông tin và Truyền thông tỉnh Thử Nghiệm",
    "000.00.31.H99": "Ủy ban nhân dân xã A",
    "000.00.00.G22": "Văn phòng Chính phủ",
    "000.00.00.G09": "Bộ Nội vụ",
    "000.00.00.G06": "Bộ Khoa học và Công nghệ",
    "000.00.00.H41": "Ủy ban nhân dân tỉnh Nghệ An",
    "000.00.00.H14": "Ủy ban nhân dân tỉnh Cao Bằng",
    "000.00.00.H49": "Ủy ban nhân dân tỉnh Quảng Ninh",
}


def _key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


class AgencyDirectory:
    """Look agencies up by code or by (case- and space-insensitive) name."""

    def __init__(self, own_id: str, own_name: str) -> None:
        self._by_id = dict(FIXTURE_AGENCIES)
        self._by_id[own_id] = own_name
        self._by_name = {_key(name): code for code, name in self._by_id.items()}

    def id_for(self, name: str) -> str | None:
        """The code of the agency called `name`."""
        return self._by_name.get(_key(name))

    def name_for(self, organ_id: str) -> str | None:
        """The name of the agency with code `organ_id`."""
        return self._by_id.get(organ_id)
