"""Judges of the archive area: refusals, lists, ordering, inventories, backups, metadata and XML."""

from __future__ import annotations

import unicodedata
from typing import Any

from lxml import etree

from conformance.judges.registry import Finding, Record, judge

_OUTPUT = {"output": {"type": "string", "minLength": 1}}


def _status(rec: Record) -> int | None:
    return (rec.get("response") or {}).get("status")


def _out(rec: Record, name: str) -> Any:
    return (rec.get("outputs") or {}).get(name)


def _label(rec: Record) -> str:
    return f"«{rec.get('save') or rec.get('operation')}»"


def _key(v: Any) -> str:
    return unicodedata.normalize("NFC", str(v))


@judge("all_refused", {"properties": {"statuses": {"type": "array", "items": {"type": "integer"}}}})
def all_refused(rec: Record, statuses: list[int] | None = None) -> Finding:
    """Every operation of an unauthenticated sweep was refused (by default 401 or 403)."""
    allowed = statuses or [401, 403]
    subs = rec.get("sweep")
    if not isinstance(subs, list) or not subs:
        return Finding(False, f"{_label(rec)}: không có thao tác nào được gọi (tệp đích không ràng buộc gì?)")
    bad = [
        f"{s.get('operation')} → {_status(s) if _status(s) is not None else s.get('error')}"
        for s in subs
        if _status(s) not in allowed
    ]
    if bad:
        return Finding(
            False, f"{len(bad)}/{len(subs)} thao tác không từ chối truy cập chưa xác thực: " + "; ".join(bad)
        )
    return Finding(True, f"{len(subs)}/{len(subs)} thao tác từ chối truy cập chưa xác thực (HTTP {allowed})")


_VALUES = {**_OUTPUT, "values": {"type": "array", "minItems": 1}}


@judge("output_contains", {"required": ["output", "values"], "properties": _VALUES})
def output_contains(rec: Record, output: str, values: list[Any]) -> Finding:
    """A list output (ids) contains every value given."""
    got = _out(rec, output)
    if _status(rec) is None or not isinstance(got, list):
        return Finding(False, f"{_label(rec)}: không có danh sách {output} (HTTP {_status(rec)})")
    have = {_key(v) for v in got}
    lost = [v for v in values if _key(v) not in have]
    if lost:
        return Finding(False, f"{_label(rec)}: {output} thiếu {lost} (có {got[:20]})")
    return Finding(True, f"{_label(rec)}: {output} có đủ {values}")


@judge("output_excludes", {"required": ["output", "values"], "properties": _VALUES})
def output_excludes(rec: Record, output: str, values: list[Any]) -> Finding:
    """A list output (ids) contains none of the values given (what the user may not see)."""
    got = _out(rec, output)
    if _status(rec) is None:
        return Finding(False, f"{_label(rec)}: hệ thống không trả lời ({rec.get('error')})")
    if not isinstance(got, list):
        if 400 <= (_status(rec) or 0) < 500:
            return Finding(True, f"{_label(rec)}: bị từ chối (HTTP {_status(rec)}), không lộ gì")
        return Finding(False, f"{_label(rec)}: không đọc được danh sách {output} (HTTP {_status(rec)})")
    have = {_key(v) for v in got}
    leaked = [v for v in values if _key(v) in have]
    if leaked:
        return Finding(False, f"{_label(rec)}: {output} lộ {leaked} cho người không có quyền")
    return Finding(True, f"{_label(rec)}: {output} không chứa {values}")


@judge("same_reply", on="many")
def same_reply(recs: list[Record]) -> Finding:
    """Two replies are indistinguishable (status and body): no existence oracle between them."""
    a, b = recs[0], recs[-1]
    sa, sb = _status(a), _status(b)
    ra, rb = a.get("response") or {}, b.get("response") or {}
    body_a, body_b = ra.get("json", ra.get("text")), rb.get("json", rb.get("text"))
    if sa is None or sb is None:
        return Finding(False, "một trong hai yêu cầu không có trả lời")
    if sa != sb or body_a != body_b:
        return Finding(
            False,
            f"{_label(a)} (HTTP {sa}) và {_label(b)} (HTTP {sb}) trả lời khác nhau: người dùng đoán được "
            "đối tượng có tồn tại hay không",
        )
    return Finding(True, f"{_label(a)} và {_label(b)} trả lời như nhau (HTTP {sa})")


@judge(
    "rows_ordered",
    {
        "required": ["by", "order"],
        "properties": {
            "output": {"type": "string", "minLength": 1},
            "by": {"type": "string", "minLength": 1},
            "order": {"enum": ["asc", "desc"]},
            "numeric": {"type": "boolean"},
            "min_rows": {"type": "integer", "minimum": 2},
        },
    },
)
def rows_ordered(
    rec: Record, by: str, order: str, output: str = "rows", numeric: bool = False, min_rows: int = 2
) -> Finding:
    """The rows of a result list are sorted by one column in the requested direction."""
    rows = _out(rec, output)
    if not isinstance(rows, list) or len(rows) < min_rows:
        return Finding(False, f"{_label(rec)}: cần ít nhất {min_rows} dòng kết quả, có {rows!r:.200}")
    raw = [r.get(by) if isinstance(r, dict) else None for r in rows]
    try:
        vals = [int(str(v)) if numeric else _key(v).casefold() for v in raw]
    except ValueError:
        return Finding(False, f"{_label(rec)}: cột {by} không phải số: {raw}")
    want = sorted(vals, reverse=order == "desc")
    ok = vals == want
    return Finding(ok, f"{_label(rec)}: {by} theo thứ tự {raw}" + ("" if ok else f", mong đợi {order}"))


@judge(
    "rows_have_columns",
    {
        "required": ["columns"],
        "properties": {
            "output": {"type": "string", "minLength": 1},
            "columns": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "also": {"type": "array", "items": {"type": "string"}},
        },
    },
)
def rows_have_columns(
    rec: Record, columns: list[str], output: str = "rows", also: list[str] | None = None
) -> Finding:
    """Every result row shows exactly the chosen columns (plus the identifiers listed in ``also``)."""
    rows = _out(rec, output)
    if not isinstance(rows, list) or not rows:
        return Finding(False, f"{_label(rec)}: không có dòng kết quả để kiểm tra")
    want = set(columns) | set(also or [])
    bad = [sorted(set(r)) for r in rows if not isinstance(r, dict) or set(r) != want]
    if bad:
        return Finding(False, f"{_label(rec)}: cột hiển thị {bad[0]}, mong đợi đúng {sorted(want)}")
    return Finding(True, f"{_label(rec)}: {len(rows)} dòng, mỗi dòng đúng các cột {sorted(want)}")


@judge("outputs_same", {"required": ["output"], "properties": _OUTPUT}, on="many")
def outputs_same(recs: list[Record], output: str) -> Finding:
    """Several calls returned the same output (e.g. a saved search run again)."""
    got = [_out(r, output) for r in recs]
    if any(_status(r) is None or not 200 <= (_status(r) or 0) < 300 for r in recs):
        return Finding(False, f"{output}: có lần gọi thất bại ({[_status(r) for r in recs]})")
    ok = all(g == got[0] for g in got) and got[0] is not None
    return Finding(ok, f"{output}: {got}" + ("" if ok else " — kết quả phải giống nhau"))


def _flat(d: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(d, dict):
        out: dict[str, Any] = {}
        for k, v in d.items():
            out.update(_flat(v, f"{prefix}{k}/"))
        return out
    return {prefix.rstrip("/"): d}


@judge(
    "inventories_match",
    {"properties": {"require_files": {"type": "integer", "minimum": 0}}},
    on="many",
)
def inventories_match(recs: list[Record], require_files: int = 0) -> Finding:
    """A restored instance (last record) holds every object of the live system (first record) with the
    same metadata, and every file with the same SHA-256."""
    live, restored = recs[0], recs[-1]
    lo, ro = _out(live, "objects"), _out(restored, "objects")
    if not isinstance(lo, list) or not isinstance(ro, list) or not lo:
        return Finding(False, f"không có kiểm kê để so sánh (HTTP {_status(live)}, {_status(restored)})")
    have = {(o.get("type"), str(o.get("id"))): o for o in ro if isinstance(o, dict)}
    problems = []
    for o in lo:
        key = (o.get("type"), str(o.get("id")))
        other = have.get(key)
        if other is None:
            problems.append(f"{key[0]}#{key[1]} không được phục hồi")
            continue
        a, b = _flat(o.get("metadata")), _flat(other.get("metadata"))
        diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        if diff:
            problems.append(f"{key[0]}#{key[1]} khác dữ liệu đặc tả ở {', '.join(diff)}")
    lf = [f for f in _out(live, "files") or [] if isinstance(f, dict)]
    rf = {
        (str(f.get("document_id")), f.get("sha256"))
        for f in _out(restored, "files") or []
        if isinstance(f, dict)
    }
    for f in lf:
        if (str(f.get("document_id")), f.get("sha256")) not in rf:
            problems.append(
                f"tệp {f.get('name')!r} của văn bản #{f.get('document_id')} (SHA-256 {f.get('sha256')}) "
                "không được phục hồi nguyên vẹn"
            )
    if len(lf) < require_files:
        problems.append(f"hệ thống chỉ có {len(lf)} tệp, cần ít nhất {require_files} để kiểm tra")
    if problems:
        return Finding(False, "phục hồi không đầy đủ: " + "; ".join(problems[:20]))
    return Finding(
        True, f"{len(lo)} đối tượng và {len(lf)} tệp được phục hồi giống hệt (dữ liệu đặc tả, SHA-256)"
    )


@judge(
    "inventory_consistent",
    {"properties": {"documents": {"type": "array", "description": "check dangling records of these only"}}},
)
def inventory_consistent(rec: Record, documents: list[Any] | None = None) -> Finding:
    """Every record of an instance (of the given documents) points to an existing, unchanged file, and
    no file is without its document."""
    orphans, dangling = _out(rec, "orphans"), _out(rec, "dangling")
    if not isinstance(orphans, list) or not isinstance(dangling, list):
        return Finding(False, f"{_label(rec)}: kiểm kê không nêu tệp mồ côi và bản ghi thiếu tệp")
    if documents is not None:
        wanted = {str(d) for d in documents}
        dangling = [d for d in dangling if isinstance(d, dict) and str(d.get("document_id")) in wanted]
        files = [
            f for f in _out(rec, "files") or [] if isinstance(f, dict) and str(f.get("document_id")) in wanted
        ]
        if not files and not dangling:
            return Finding(False, f"{_label(rec)}: kiểm kê không có tệp nào của văn bản {sorted(wanted)}")
    problems = [f"tệp không thuộc bản ghi nào: {o}" for o in orphans] + [
        f"bản ghi thiếu tệp: {d}" for d in dangling
    ]
    if problems:
        return Finding(False, f"{_label(rec)}: " + "; ".join(problems[:20]))
    return Finding(True, f"{_label(rec)}: mọi bản ghi có tệp, mọi tệp có bản ghi")


@judge("copies_independent", {"properties": {"min": {"type": "integer", "minimum": 1}}})
def copies_independent(rec: Record, min: int = 2) -> Finding:
    """A backup exists in at least ``min`` copies on distinct media, all with the same checksum."""
    copies = _out(rec, "copies")
    if not isinstance(copies, list):
        return Finding(False, f"{_label(rec)}: không có danh sách bản sao (HTTP {_status(rec)})")
    media = {str(c.get("medium")) for c in copies if isinstance(c, dict)}
    sums = {c.get("sha256") for c in copies if isinstance(c, dict)}
    if len(media) < min:
        return Finding(False, f"{_label(rec)}: {len(media)} phương tiện ({sorted(media)}), cần ít nhất {min}")
    if len(sums) != 1 or None in sums:
        return Finding(
            False, f"{_label(rec)}: các bản sao có mã kiểm tra khác nhau: {sorted(map(str, sums))}"
        )
    return Finding(True, f"{_label(rec)}: {len(media)} bản sao trên {sorted(media)}, cùng SHA-256")


@judge(
    "output_delta_at_least",
    {"required": ["output", "delta"], "properties": {**_OUTPUT, "delta": {"type": "integer"}}},
    on="many",
)
def output_delta_at_least(recs: list[Record], output: str, delta: int) -> Finding:
    """A counter grew by at least ``delta`` between the first and the last reading."""
    a, b = _out(recs[0], output), _out(recs[-1], output)
    try:
        grew = int(b) - int(a)
    except (TypeError, ValueError):
        return Finding(False, f"{output}: không đọc được số ({a!r} → {b!r})")
    ok = grew >= delta
    return Finding(ok, f"{output}: {a} → {b} (tăng {grew})" + ("" if ok else f", phải tăng ít nhất {delta}"))


@judge(
    "fields_present",
    {
        "required": ["output", "fields"],
        "properties": {**_OUTPUT, "fields": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
    },
)
def fields_present(rec: Record, output: str, fields: list[str]) -> Finding:
    """A metadata output names every listed field ("SignerInfo/FullName" for nested ones)."""
    data = _out(rec, output)
    if not isinstance(data, dict):
        return Finding(False, f"{_label(rec)}: không có dữ liệu đặc tả (HTTP {_status(rec)})")
    flat = _flat(data)
    lists = {k for k, v in data.items() if isinstance(v, list)}
    lost = [f for f in fields if f not in flat and f not in data and f.split("/")[0] not in lists]
    if lost:
        return Finding(False, f"{_label(rec)}: thiếu trường {', '.join(lost)}")
    return Finding(True, f"{_label(rec)}: đủ {len(fields)} trường")


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, dtd_validation=False, load_dtd=False, huge_tree=False
)


@judge(
    "xml_has_text",
    {
        "required": ["xpath", "text"],
        "properties": {"xpath": {"type": "string", "minLength": 1}, "text": {"type": "string"}},
    },
)
def xml_has_text(rec: Record, xpath: str, text: str) -> Finding:
    """The reply is well-formed XML (no DTD, no entities) and an element at ``xpath`` holds ``text``."""
    body = (rec.get("response") or {}).get("text")
    if not isinstance(body, str) or _status(rec) != 200:
        return Finding(False, f"{_label(rec)}: không có nội dung XML (HTTP {_status(rec)})")
    try:
        root = etree.fromstring(body.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as exc:
        return Finding(False, f"{_label(rec)}: XML không hợp lệ: {exc}")
    found = [unicodedata.normalize("NFC", "".join(n.itertext())) for n in root.xpath(xpath)]
    ok = unicodedata.normalize("NFC", text) in found
    return Finding(ok, f"{_label(rec)}: {xpath} = {found[:5]}" + ("" if ok else f", mong đợi có {text!r}"))


# -- files the system produced (exports, print copies, backups) ------------------------------------------

MAX_EXTRACT = 50 * 1024 * 1024


def _blob(rec: Record) -> tuple[Any, str | None]:
    """(path of the downloaded file, why not)."""
    from conformance.judges.files import received
    from conformance.judges.registry import blob_path

    body = received(rec)
    if body is None:
        resp = rec.get("response") or {}
        return None, rec.get("error") or f"HTTP {resp.get('status')}"
    path = blob_path(body.get("blob"))
    if path is None:
        return None, "tệp tải về không còn trong bằng chứng"
    if path.stat().st_size > MAX_EXTRACT:
        return None, f"tệp quá lớn để đọc ({path.stat().st_size} byte)"
    return path, None


def pdf_text(path: Any) -> str:
    """The text of a PDF by poppler's pdftotext, run with a time limit (the file may be hostile)."""
    import shutil
    import subprocess

    exe = shutil.which("pdftotext")
    if exe is None:
        raise RuntimeError("thiếu pdftotext (gói poppler-utils) để đọc tệp PDF")
    done = subprocess.run(
        [exe, "-q", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=30, check=False
    )
    if done.returncode != 0:
        return ""
    return unicodedata.normalize("NFC", done.stdout.decode("utf-8", "replace"))


def _squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


_TEXTS = {"type": "array", "items": {"type": "string"}}


@judge("pdf_has_text", {"properties": {"texts": _TEXTS, "absent": _TEXTS}})
def pdf_has_text(rec: Record, texts: list[str] | None = None, absent: list[str] | None = None) -> Finding:
    """The downloaded file is a PDF (magic bytes) whose text holds every ``texts`` and no ``absent``."""
    path, why = _blob(rec)
    if path is None:
        return Finding(False, f"{_label(rec)}: không có tệp ({why})")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        return Finding(False, f"{_label(rec)}: tệp không phải PDF (bắt đầu bằng {head[:16]!r})")
    text = _squash(pdf_text(path))
    lost = [t for t in texts or [] if _squash(t) not in text]
    leaked = [t for t in absent or [] if _squash(t) in text]
    if lost or leaked:
        return Finding(False, f"{_label(rec)}: PDF thiếu {lost}" + (f", lộ {leaked}" if leaked else ""))
    return Finding(True, f"{_label(rec)}: PDF có đủ {len(texts or [])} nội dung cần có")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_rows(path: Any) -> list[list[str]]:
    """Every table row of a .docx (cell texts), read from word/document.xml with a hardened parser."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("word/document.xml")
        if info.file_size > MAX_EXTRACT:
            raise ValueError("word/document.xml quá lớn")
        root = etree.fromstring(zf.read(info), _PARSER)
    rows = []
    for tr in root.iter(f"{_W}tr"):
        rows.append([_squash("".join(t.text or "" for t in tc.iter(f"{_W}t"))) for tc in tr.iter(f"{_W}tc")])
    return rows


@judge(
    "docx_table",
    {
        "properties": {
            "rows": {"type": "integer", "minimum": 0, "description": "data rows expected (header excluded)"},
            "texts": _TEXTS,
            "absent": _TEXTS,
        }
    },
)
def docx_table(
    rec: Record, rows: int | None = None, texts: list[str] | None = None, absent: list[str] | None = None
) -> Finding:
    """The downloaded file is a .docx whose table has a header and ``rows`` data rows holding ``texts``."""
    import zipfile

    path, why = _blob(rec)
    if path is None:
        return Finding(False, f"{_label(rec)}: không có tệp ({why})")
    try:
        table = docx_rows(path)
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        return Finding(False, f"{_label(rec)}: không phải tệp .docx đọc được ({type(exc).__name__}: {exc})")
    data = table[1:]
    flat = " ".join(" ".join(r) for r in table)
    problems = []
    if rows is not None and len(data) != rows:
        problems.append(f"{len(data)} dòng dữ liệu, mong đợi {rows}")
    lost = [t for t in texts or [] if _squash(t) not in flat]
    leaked = [t for t in absent or [] if _squash(t) in flat]
    if lost:
        problems.append(f"thiếu {lost}")
    if leaked:
        problems.append(f"lộ {leaked}")
    if problems:
        return Finding(False, f"{_label(rec)}: bảng .docx " + "; ".join(problems))
    return Finding(True, f"{_label(rec)}: bảng .docx có {len(data)} dòng dữ liệu đúng nội dung")


@judge(
    "pdf_marked",
    {"required": ["mentions"], "properties": {"mentions": {**_TEXTS, "minItems": 1}}},
    on="many",
)
def pdf_marked(recs: list[Record], mentions: list[str]) -> Finding:
    """A print copy (last record) carries text the original (first record) does not, and that added
    marking names at least one of ``mentions`` (who printed it, the system)."""
    orig, copy = recs[0], recs[-1]
    po, why_o = _blob(orig)
    pc, why_c = _blob(copy)
    if po is None or pc is None:
        return Finding(False, f"không có bản gốc ({why_o}) hoặc bản in ({why_c})")
    a, b = pdf_text(po), pdf_text(pc)
    if not b.strip():
        return Finding(False, f"{_label(copy)}: bản in không phải PDF đọc được")
    added = _squash(b)
    for line in a.splitlines():
        if line.strip():
            added = added.replace(_squash(line), " ", 1)
    added = _squash(added)
    if not added:
        return Finding(False, f"{_label(copy)}: bản in không có dấu hiệu nào khác bản gốc")
    hit = [m for m in mentions if _squash(m) in added]
    if not hit:
        return Finding(False, f"{_label(copy)}: phần đánh dấu «{added[:200]}» không nêu {mentions}")
    return Finding(True, f"{_label(copy)}: bản in được đánh dấu «{added[:200]}»")


@judge(
    "zip_has_xml",
    {
        "required": ["texts"],
        "properties": {"prefix": {"type": "string"}, "texts": {**_TEXTS, "minItems": 1}},
    },
)
def zip_has_xml(rec: Record, texts: list[str], prefix: str = "") -> Finding:
    """A downloaded archive (a backup) holds well-formed XML files, and their text holds each of
    ``texts`` (the metadata of the objects that must be in it)."""
    import zipfile

    path, why = _blob(rec)
    if path is None:
        return Finding(False, f"{_label(rec)}: không có tệp ({why})")
    found, bad, xml_count = [], [], 0
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not info.filename.lower().endswith(".xml") or not info.filename.startswith(prefix):
                    continue
                if info.file_size > MAX_EXTRACT or ".." in info.filename:
                    bad.append(info.filename)
                    continue
                xml_count += 1
                try:
                    root = etree.fromstring(zf.read(info), _PARSER)
                except etree.XMLSyntaxError:
                    bad.append(info.filename)
                    continue
                found.append(_squash(" ".join(root.itertext())))
    except zipfile.BadZipFile:
        return Finding(False, f"{_label(rec)}: bản sao lưu không phải tệp ZIP")
    if not xml_count:
        return Finding(False, f"{_label(rec)}: bản sao lưu không có tệp XML dữ liệu đặc tả")
    blob = " ".join(found)
    lost = [t for t in texts if _squash(t) not in blob]
    if bad or lost:
        return Finding(False, f"{_label(rec)}: XML hỏng {bad[:5]}; thiếu dữ liệu đặc tả {lost}")
    return Finding(
        True, f"{_label(rec)}: {xml_count} tệp XML dữ liệu đặc tả hợp lệ, có đủ {len(texts)} nội dung"
    )
