"""Files the archive area produces: marked print copies and search-result exports (.docx, .pdf).

- A print copy (NĐ 30/2020 PL VI III.6.i, k) is the stored PDF with a marking added on every page
  as an *incremental update*: the original bytes stay untouched at the start of the file (its
  signature still verifies), and the marking says which system printed it, for whom and when.
- Search results export (III.6.h) to .docx (WordprocessingML written directly: a document, one
  table, one row per result) and to .pdf (one line per result).

PDFs are written with pyHanko in a Vietnamese font (Noto Serif from fonts-noto-core), cut down
once to the Vietnamese repertoire without layout tables so that subsetting it per file is cheap.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

FONT_CANDIDATES = [
    Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),
]
# Basic Latin, Latin-1, Latin Extended-A/B, combining marks, Latin Extended Additional (ạ…ỹ), dashes, ₫
_UNICODES = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x300, 0x370),
    *range(0x1E00, 0x1F00),
    *range(0x2010, 0x2030),
    0x20AB,
]
A4 = (595, 842)


class RenditionError(Exception):
    """A file the system cannot produce (no font, unreadable PDF)."""


@functools.cache
def font_path() -> Path:
    """The Vietnamese font, cut down once per machine (see the module docstring)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = next((p for p in FONT_CANDIDATES if p.exists()), None)
    if source is None:
        raise RenditionError("không có phông chữ tiếng Việt (gói fonts-noto-core)")
    st = source.stat()
    key = hashlib.sha256(f"refoffice:{source}:{st.st_size}:{st.st_mtime_ns}".encode()).hexdigest()[:16]
    cached = Path(tempfile.gettempdir()) / f"refoffice-font-vi-{key}.ttf"
    if not cached.exists():
        font = TTFont(str(source))
        opts = subset.Options()
        opts.layout_features = []
        opts.drop_tables += ["GSUB", "GPOS", "GDEF"]
        opts.hinting = False
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=_UNICODES)
        sub.subset(font)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(tmp))
        tmp.replace(cached)
    return cached


def _font_factory(size: int = 9):  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    return GlyphAccumulatorFactory(str(font_path()), font_size=size)


def mark_pdf(content: bytes, marking: str) -> bytes:
    """The PDF with ``marking`` stamped at the foot of every page, added as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStamp, TextStampStyle

    marking = unicodedata.normalize("NFC", marking)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
        pages = int(writer.root["/Pages"]["/Count"])
    except Exception as exc:  # a stored file that is not a readable PDF
        raise RenditionError(f"không đọc được tệp PDF: {type(exc).__name__}") from None
    style = TextStampStyle(
        stamp_text=marking,
        border_width=0,
        text_box_style=TextBoxStyle(font=_font_factory(8), font_size=8),
    )
    for page in range(pages):
        TextStamp(writer, style).apply(page, 40, 12)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_pdf(title: str, lines: list[str]) -> bytes:
    """A PDF of A4 pages with a title and one line of text per entry."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

    w = PdfFileWriter(stream_xrefs=False)
    engine = _font_factory(10).create_font_engine(w)
    per_page = 48
    rows = [unicodedata.normalize("NFC", title), "", *(unicodedata.normalize("NFC", x) for x in lines)]
    chunks = [rows[i : i + per_page] for i in range(0, len(rows), per_page)] or [[title]]
    streams = []
    for chunk in chunks:
        ops = [
            b"BT /F1 10 Tf 1 0 0 1 40 %d Tm %s ET" % (800 - i * 15, engine.shape(line[:110]).graphics_ops)
            for i, line in enumerate(chunk)
            if line
        ]
        streams.append(w.add_object(generic.StreamObject(stream_data=b"\n".join(ops))))
    resources = generic.DictionaryObject(
        {generic.pdf_name("/Font"): generic.DictionaryObject({generic.pdf_name("/F1"): engine.as_resource()})}
    )
    box = generic.ArrayObject(
        [generic.NumberObject(0), generic.NumberObject(0), *map(generic.NumberObject, A4)]
    )
    for ref in streams:
        w.insert_page(PageObject(contents=ref, media_box=box, resources=resources))
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def _cell(text: str) -> str:
    return f'<w:tc><w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'


def table_docx(title: str, header: list[str], rows: list[list[str]]) -> bytes:
    """A .docx holding a title paragraph and one table: a header row, then one row per result."""
    body = [f'<w:p><w:r><w:t xml:space="preserve">{escape(title)}</w:t></w:r></w:p>', "<w:tbl>"]
    body.append("<w:tr>" + "".join(_cell(h) for h in header) + "</w:tr>")
    body += ["<w:tr>" + "".join(_cell(c) for c in row) + "</w:tr>" for row in rows]
    body.append("</w:tbl><w:sectPr/>")
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>'
        + unicodedata.normalize("NFC", "".join(body))
        + "</w:body></w:document>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", document)
    return buf.getvalue()
