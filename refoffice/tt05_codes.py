"""TT 05/2025/TT-BNV code lists and code forms the reference needs to describe a dossier for transfer.

The reference keeps NĐ 30 values in its database (free text "Vĩnh viễn", "20 năm", "Tiếng Việt", the
document type name) and turns them into TT05 codes only when it packages a dossier. It keeps its own
copy of the lists (metadata-and-packages.md §7.1, §7.2 and §7.5) instead of reading the harness's, so a
mistake in one list cannot make the harness and the reference agree.
"""

from __future__ import annotations

import re
import unicodedata


def _key(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


# §7.2: Vĩnh viễn → 01; 70/50/30/20/10 năm → 02…06; any other number of years → 07 Khác [I].
_YEARS_CODE = {70: "02", 50: "03", 30: "04", 20: "05", 10: "06"}
_YEARS_RE = re.compile(r"^([1-9]\d{0,2}) năm$")

# §7.1 mode (chế độ sử dụng / mức độ tiếp cận).
_MODES = {"công khai": "01", "sử dụng có điều kiện": "02", "có điều kiện": "02", "hạn chế": "02", "mật": "03"}

# §7.1 language.
_LANGUAGES = {
    "tiếng việt": "01",
    "tiếng anh": "02",
    "tiếng pháp": "03",
    "tiếng nga": "04",
    "tiếng trung": "05",
    "việt - anh": "06",
    "việt - nga": "07",
    "việt - pháp": "08",
    "hán nôm": "09",
    "việt - trung": "10",
}

# §7.5: NĐ 30 Điều 7 type names → TT05 typeName.
_TYPES = {
    "nghị quyết": "01",
    "quyết định": "02",
    "chỉ thị": "03",
    "quy chế": "04",
    "quy định": "05",
    "thông cáo": "06",
    "thông báo": "07",
    "hướng dẫn": "08",
    "chương trình": "09",
    "kế hoạch": "10",
    "phương án": "11",
    "đề án": "12",
    "dự án": "13",
    "báo cáo": "14",
    "tờ trình": "15",
    "giấy ủy quyền": "16",
    "phiếu gửi": "17",
    "phiếu chuyển": "18",
    "phiếu báo": "19",
    "biên bản": "20",
    "hợp đồng": "21",
    "công văn": "22",
    "công điện": "23",
    "bản ghi nhớ": "24",
    "bản thỏa thuận": "25",
    "giấy mời": "26",
    "giấy giới thiệu": "27",
    "giấy nghỉ phép": "28",
    "thư công": "29",
    "bản đồ": "30",
    "bản vẽ kỹ thuật": "31",
}


def retention_years(maintenance: str | None) -> int | None:
    """Years of a NĐ 30 retention period; None for "Vĩnh viễn" (permanent) or an unreadable value."""
    m = _YEARS_RE.match(_key(maintenance))
    return int(m.group(1)) if m else None


def is_permanent(maintenance: str | None) -> bool:
    """Whether the dossier is kept permanently (the only material that goes on to a historical archive)."""
    return _key(maintenance) == "vĩnh viễn"


def maintenance_code(maintenance: str | None) -> str:
    """TT05 ``maintenance`` code of a NĐ 30 retention period."""
    if is_permanent(maintenance):
        return "01"
    years = retention_years(maintenance)
    return _YEARS_CODE.get(years or -1, "07")


def mode_code(rights: str | None) -> str:
    """TT05 ``mode`` of the NĐ 30 ``Rights`` text; no value means public use (01)."""
    return _MODES.get(_key(rights), "01")


def language_code(language: str | None) -> str:
    """TT05 ``language`` code; Vietnamese when not given, 11 (Khác) when unknown."""
    if not _key(language):
        return "01"
    return _LANGUAGES.get(_key(language).replace("–", "-"), "11")


def type_code(type_name: str | None) -> str:
    """TT05 ``typeName`` code of an NĐ 30 document type name; 32 (Khác) when unknown."""
    return _TYPES.get(_key(type_name), "32")


def qd20_organ_code(organ_id: str) -> str:
    """The QĐ 20/2020/QĐ-TTg form of an agency code, used in TT05 codes (``fileCode``, ``docId``).

    QCVN 102:2016 writes level 1 right-most (``000.00.12.H99``); QĐ 20 writes it left-most and has no
    zero groups for levels that do not exist (``H99.12``). The conversion reverses the groups and drops
    the trailing all-zero ones [I: metadata-and-packages.md §8.2, OQ-10]. A code already in QĐ 20 form is
    returned unchanged. TT05 ``docId`` is String(25): with the 13-character QCVN 102 form most document
    identifiers would not fit, which is why packages use this form.
    """
    parts = organ_id.split(".")
    if len(parts) == 4 and re.fullmatch(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}", organ_id):
        groups = list(reversed(parts))
        while groups and set(groups[-1]) == {"0"}:
            groups.pop()
        return ".".join(groups)
    return organ_id
