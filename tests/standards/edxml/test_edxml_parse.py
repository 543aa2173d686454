"""Hardened reading: DTDs refused, limits enforced, zip checks, and the attachment tap at any chunking."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from conformance.standards.edxml import model as m
from conformance.standards.edxml.build import build_package, zip_package
from conformance.standards.edxml.names import NS
from conformance.standards.edxml.parse import Limits, Refused, Source, open_source, parse, read_package
from conformance.standards.edxml.validate import validate_package

PASSWD = Path("/etc/passwd")


class Trickle(io.RawIOBase):
    """A stream that returns at most ``step`` bytes per read (exercises every chunk boundary)."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step, self.pos = data, step, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:  # type: ignore[override]
        k = self.step if n is None or n < 0 else min(n, self.step)
        out = self.data[self.pos : self.pos + k]
        self.pos += len(out)
        return out


def trickle_source(data: bytes, step: int) -> Source:
    return Source("trickle", lambda: Trickle(data, step), [])  # type: ignore[arg-type,return-value]


def refused(data: bytes, **limits: Any) -> str:
    with pytest.raises(Refused) as info:
        parse(data, limits=Limits(**limits))
    return info.value.code


# --- DTDs, entities, XXE -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc",
    [
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
        b'<!DOCTYPE a SYSTEM "http://127.0.0.1:9/x.dtd"><a/>',
        b'<?xml version="1.0"?>\n<!-- c --><?pi x?>\n'
        b'<!DOCTYPE a [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><a/>',
        b"\xef\xbb\xbf<!DOCTYPE a><a/>",
        b"<a><!DOCTYPE b></a>",
        b'<a><!ENTITY x "y"></a>',
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><a>&lol2;</a>',
    ],
)
def test_dtd_and_entity_declarations_are_refused(doc: bytes) -> None:
    assert refused(doc) == "xml.doctype"
    report = validate_package(doc)
    assert not report.readable and report.codes == ("xml.doctype",)
    assert report.problems[0].xpath == "/"


def test_billion_laughs_is_refused_before_any_expansion() -> None:
    doc = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "' + b"x" * 10 + b'">'
    doc += b"".join(b'<!ENTITY a%d "%s">' % (i, b"&a;" * 10) for i in range(1, 40))
    doc += b"]><l>&a39;</l>"
    assert refused(doc) == "xml.doctype"


def test_external_entities_never_reach_the_report() -> None:
    secret = (
        PASSWD.read_text(encoding="utf-8", errors="replace").splitlines()[0] if PASSWD.exists() else "root:x"
    )
    doc = f'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file://{PASSWD}">]><a>&e;</a>'.encode()
    report = validate_package(doc)
    assert secret not in report.to_json()
    xinclude = (
        f'<edXML xmlns="{NS}"><x:include xmlns:x="http://www.w3.org/2001/XInclude" '
        f'href="file://{PASSWD}" parse="text"/></edXML>'
    ).encode()
    assert secret not in validate_package(xinclude).to_json()


def test_doctype_text_inside_comments_and_cdata_is_not_a_declaration(edoc: m.DocumentPackage) -> None:
    data = (
        build_package(edoc)
        .replace(b"\n<edXML ", b"\n<!-- <!DOCTYPE x [<!ENTITY y 'z'>]> -->\n<edXML ", 1)
        .replace(b"<edXML:Content>", b"<edXML:Content><![CDATA[<!DOCTYPE q>]]>", 1)
    )
    report = validate_package(data)
    assert report.readable and not report.has("xml.doctype")


# --- prolog, encoding, well-formedness ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "code"),
    [
        (b"1212<?xml version='1.0'?><a/>", "xml.prolog"),
        (b"  <?xml version='1.0'?><a/>", "xml.prolog"),
        (b"junk<a/>", "xml.prolog"),
        (b"", "xml.malformed"),
        (b"   ", "xml.malformed"),
        (b"<?xml version='1.0' encoding='ISO-8859-1'?><a/>", "xml.encoding"),
        ("<?xml version='1.0' encoding='UTF-16'?><a/>".encode("utf-16"), "xml.encoding"),
        ("<a/>".encode("utf-16-le"), "xml.encoding"),
        (b"<a><b></a>", "xml.malformed"),
        (b"<a>" + b"<!--" * 3, "xml.malformed"),
        (b"<?xml version='1.0'?>" + b" " * 70000 + b"<a/>", "xml.prolog"),
    ],
)
def test_prolog_and_encoding(doc: bytes, code: str) -> None:
    assert refused(doc) == code


def test_bom_and_missing_declaration_are_warnings() -> None:
    assert parse(b"\xef\xbb\xbf<?xml version='1.0'?><a/>").warnings[0][0] == "xml.bom"
    assert parse(b"<a/>").warnings[0][0] == "xml.declaration"


# --- limits --------------------------------------------------------------------------------------------


def test_depth_limit() -> None:
    doc = b"<a>" * 30 + b"</a>" * 30
    assert parse(doc, limits=Limits(max_depth=30)).root is not None
    assert refused(doc, max_depth=29) == "xml.too_deep"


def test_size_limits() -> None:
    doc = b"<a>" + b"<b>x</b>" * 1000 + b"</a>"
    assert refused(doc, max_bytes=1000) == "xml.too_large"
    assert refused(doc, max_structure_bytes=1000) == "xml.too_large"
    assert refused(doc, max_file_bytes=1000) == "xml.too_large"


def test_attachment_content_does_not_count_as_structure(edoc: m.DocumentPackage) -> None:
    edoc.attachments[0].data = b"%PDF-" + bytes(range(256)) * 4000  # ~1 MB
    data = build_package(edoc)
    parsed = parse(data, limits=Limits(max_structure_bytes=64 * 1024))
    assert parsed.records[0].size == len(edoc.attachments[0].data)
    assert refused(data, max_bytes=64 * 1024) == "xml.too_large"


def test_huge_text_outside_attachments_is_refused() -> None:
    doc = b"<a>" + b"x" * (11 << 20) + b"</a>"
    assert refused(doc, max_structure_bytes=64 << 20) == "xml.malformed"  # libxml2 without huge_tree


# --- zip -----------------------------------------------------------------------------------------------


def _zip(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "name",
    ["../x.edxml", "a/../../x.edxml", "/etc/x.edxml", "C:/x.edxml", "a\\..\\x.edxml", "a/b/../../../x.edxml"],
)
def test_zip_traversal(name: str, edoc: m.DocumentPackage) -> None:
    assert refused(_zip([(name, build_package(edoc))])) == "zip.traversal"


def test_zip_bomb_ratio_and_total() -> None:
    bomb = _zip([("a.edxml", b"<a>" + b" " * (4 << 20) + b"</a>")])
    assert len(bomb) < 64 * 1024
    assert refused(bomb) == "zip.bomb"
    stored = _zip([("a.edxml", b"<a>" + b" " * (2 << 20) + b"</a>")], zipfile.ZIP_STORED)
    assert refused(stored, max_zip_total=1 << 20) == "zip.bomb"
    assert refused(stored, max_bytes=1 << 20) == "xml.too_large"


def test_zip_entry_selection(edoc: m.DocumentPackage) -> None:
    data = build_package(edoc)
    assert read_package(_zip([("readme.txt", b"hi"), ("goi/edoc.EDXML", data)])) == edoc
    assert read_package(_zip([("payload", data)])) == edoc  # a single entry of any name
    assert refused(_zip([("a.edxml", data), ("b.xml", data)])) == "zip.entries"
    assert refused(_zip([("a.txt", b"x"), ("b.txt", b"y")])) == "zip.entries"
    assert refused(_zip([(f"{i}.txt", b"") for i in range(70)])) == "zip.entries"
    assert refused(zip_package(data)[:100]) == "zip.invalid"


def test_zip_lying_about_its_size_is_stopped(edoc: m.DocumentPackage) -> None:
    data = bytearray(_zip([("a.edxml", build_package(edoc))], zipfile.ZIP_STORED))
    # shrink the declared uncompressed size in the central directory: reading must not go past it
    cd = data.rfind(b"PK\x01\x02")
    declared = int.from_bytes(data[cd + 24 : cd + 28], "little")
    data[cd + 24 : cd + 28] = (declared // 2).to_bytes(4, "little")
    assert refused(bytes(data)) == "zip.invalid"  # CRC mismatch on the truncated entry
    assert validate_package(bytes(data)).codes == ("zip.invalid",)
    deflated = bytearray(zip_package(build_package(edoc)))
    deflated[60:70] = b"0123456789"  # corrupt the deflate stream
    assert validate_package(bytes(deflated)).codes == ("zip.invalid",)


def test_sources_bytes_path_and_streams(tmp_path: Path, edoc: m.DocumentPackage) -> None:
    data = build_package(edoc)
    path = tmp_path / "p.edxml"
    path.write_bytes(data)
    zpath = tmp_path / "p.zip"
    zpath.write_bytes(zip_package(data))
    for source in (data, path, str(path), zpath, io.BytesIO(data), io.BytesIO(zip_package(data))):
        assert read_package(source) == edoc
    unseekable = Trickle(zip_package(data), 1000)
    unseekable.seekable = lambda: False  # type: ignore[method-assign]
    assert read_package(unseekable) == edoc  # spooled
    with pytest.raises(OSError):
        open_source(tmp_path / "missing.edxml")
    assert validate_package(tmp_path / "missing.edxml").codes == ("io.unreadable",)


# --- the tap -------------------------------------------------------------------------------------------

PAYLOAD = b"%PDF-1.4\n" + bytes(range(256)) * 3 + "Văn bản điện tử".encode()


def _package_with_content(content: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="{NS}"><AttachmentEncoded><Attachment>'
        f'<edXML:ContentTransferEncoded xmlns:edXML="{NS}">{content}</edXML:ContentTransferEncoded>'
        "</Attachment></AttachmentEncoded>"
        "<!-- <ContentTransferEncoded>not content</ContentTransferEncoded> -->"
        "<x a='&gt;ContentTransferEncoded&lt;'>&amp;</x></edXML>\n"
    ).encode()


def _encodings() -> dict[str, str]:
    b64 = base64.b64encode(PAYLOAD).decode()
    lines = [b64[i : i + 76] for i in range(0, len(b64), 76)]
    return {
        "plain": b64,
        "lf": "\n".join(lines),
        "crlf": "\r\n".join(lines) + "\r\n",
        "char_refs": "&#13;&#10;".join(lines) + "&#xD;",
        "cdata": "<![CDATA[" + "\n".join(lines) + "]]>",
        "mixed": "  "
        + lines[0]
        + "<![CDATA[\r\n"
        + "".join(lines[1:3])
        + "]]>&#x20;"
        + "\t".join(lines[3:])
        + "\n  ",
    }


@pytest.mark.parametrize("encoding", sorted(_encodings()))
@pytest.mark.parametrize("step", [1, 2, 3, 5, 7, 11, 64, 1 << 20])
def test_tap_decodes_content_at_any_chunking(encoding: str, step: int) -> None:
    data = _package_with_content(_encodings()[encoding])
    parsed = parse(trickle_source(data, step))
    assert len(parsed.records) == 1
    rec = parsed.records[0]
    assert rec.error is None and rec.size == len(PAYLOAD)
    assert rec.sha256 == hashlib.sha256(PAYLOAD).hexdigest()
    assert rec.head == PAYLOAD[:16]
    # the streamed canonical form equals lxml's own canonicalisation of the whole document
    reference = etree.tostring(
        etree.fromstring(data, etree.XMLParser(resolve_entities=False)).getroottree(),
        method="c14n",
        with_comments=False,
    )
    assert b"".join(parsed.canonical()) == reference


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("QUJD*", "non-base64"),
        ("QUJD&#65;", "reference"),
        ("QUJDR", "multiple of 4"),
        ("QQ==QQ==", "padding"),
        ("QQ=", "padding"),
        ("QUJD<b/>", "markup"),
        ("<![CDATA[QU&JD]]>", "non-base64"),
        ("QUJD<!-- x -->", "markup"),
    ],
)
def test_tap_reports_malformed_base64(content: str, reason: str) -> None:
    for step in (1, 4, 1 << 20):
        parsed = parse(trickle_source(_package_with_content(content), step))
        rec = parsed.records[0]
        assert rec.error is not None and reason in rec.error, rec.error


def test_tap_keeps_data_only_when_asked() -> None:
    data = _package_with_content(base64.b64encode(PAYLOAD).decode())
    assert parse(data).records[0].data is None
    assert bytes(parse(data, keep_data=True).records[0].data or b"") == PAYLOAD
