"""The .pdf export of a dossier: every document's PDF, oldest first, in one file with a bookmark each.

NĐ 30 PL VI III.4.g asks for the whole dossier as .pdf in the chronological order of formation. The
pages of each document's stored PDF are imported as they are (form XObjects, so their text stays
extractable) and each document gets a bookmark "số thứ tự. số, ký hiệu — trích yếu", which is the
dossier's mục lục inside the file.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

A4 = (0, 0, 595, 842)


class PdfPartError(ValueError):
    """A stored file that cannot be read as a PDF."""


def _media_box(reader: PdfFileReader, index: int) -> tuple[float, ...]:
    page_ref, _ = reader.find_page_for_modification(index)
    box = page_ref.get_object().get("/MediaBox")
    return tuple(float(v) for v in box) if box is not None else A4


def merge(parts: Sequence[tuple[str, bytes]], title: str) -> bytes:
    """One PDF from ``(bookmark title, pdf bytes)`` parts, in the order given."""
    w = PdfFileWriter(stream_xrefs=False)
    marks: list[tuple[str, generic.IndirectObject]] = []
    for label, data in parts:
        try:
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            count = int(reader.root["/Pages"]["/Count"])
        except Exception as exc:
            raise PdfPartError(f"{label}: {type(exc).__name__}") from None
        first = None
        for index in range(count):
            form = w.import_page_as_xobject(reader, page_ix=index)
            content = w.add_object(generic.StreamObject(stream_data=b"q /P0 Do Q"))
            resources = generic.DictionaryObject(
                {generic.pdf_name("/XObject"): generic.DictionaryObject({generic.pdf_name("/P0"): form})}
            )
            ref = w.insert_page(
                PageObject(contents=content, media_box=_media_box(reader, index), resources=resources)
            )
            first = first or ref
        if first is not None:
            marks.append((label, first))
    if marks:
        _outline(w, marks)
    w.set_info(generic.DictionaryObject({generic.pdf_name("/Title"): generic.pdf_string(title)}))
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _outline(w: PdfFileWriter, marks: list[tuple[str, generic.IndirectObject]]) -> None:
    root = w.add_object(generic.DictionaryObject({generic.pdf_name("/Type"): generic.pdf_name("/Outlines")}))
    items = [w.add_object(generic.DictionaryObject()) for _ in marks]
    for i, ((label, page), item) in enumerate(zip(marks, items, strict=True)):
        entry = item.get_object()
        entry[generic.pdf_name("/Title")] = generic.pdf_string(label)
        entry[generic.pdf_name("/Parent")] = root
        entry[generic.pdf_name("/Dest")] = generic.ArrayObject([page, generic.pdf_name("/Fit")])
        if i:
            entry[generic.pdf_name("/Prev")] = items[i - 1]
        if i + 1 < len(items):
            entry[generic.pdf_name("/Next")] = items[i + 1]
    head = root.get_object()
    head[generic.pdf_name("/First")] = items[0]
    head[generic.pdf_name("/Last")] = items[-1]
    head[generic.pdf_name("/Count")] = generic.NumberObject(len(items))
    w.root[generic.pdf_name("/Outlines")] = root
    w.root[generic.pdf_name("/PageMode")] = generic.pdf_name("/UseOutlines")
