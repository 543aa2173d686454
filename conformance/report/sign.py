"""Sign report.pdf as the evaluator (PAdES) and embed the machine-readable results in it.

The signed PDF alone is then a complete record: the Vietnamese report, the results it was printed
from (``results.json`` as a PDF attachment), and the evaluator's signature over both. Any change
to a byte afterwards breaks the signature. The key and certificate come from a PKCS#12 file named
in the run configuration; its password only from an environment variable.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils import embed
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.stamp import TextStampStyle

FIELD_NAME = "ChuKyNguoiDanhGia"
# Fonts with Vietnamese glyphs (Debian fonts-noto-core); the stamp falls back to pyHanko's default
# font, which lacks them, only when none is installed.
FONTS = (
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
)


class SigningError(Exception):
    """The report could not be signed (bad PKCS#12, wrong password, missing file)."""


@dataclass(frozen=True)
class SigningSpec:
    pkcs12: Path
    password_env: str
    reason: str = "Xác nhận kết quả kiểm tra phần mềm quản lý văn bản và điều hành"
    location: str = "Việt Nam"


def _stamp_style() -> TextStampStyle:
    font = next((f for f in FONTS if Path(f).is_file()), None)
    text = "Người đánh giá ký số\n%(signer)s\nThời gian ký: %(thoi_gian)s"
    if font is None:
        return TextStampStyle(stamp_text=text)
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

    return TextStampStyle(stamp_text=text, text_box_style=_text_box(GlyphAccumulatorFactory(font)))


def _text_box(factory: object) -> object:
    from pyhanko.pdf_utils.text import TextBoxStyle

    return TextBoxStyle(font=factory, font_size=9)


def sign_report(pdf_path: Path, spec: SigningSpec, *, results_json: bytes) -> None:
    """Embed results.json, add a visible signature field on the last page, sign (PAdES, SHA-256)."""
    password = os.environ.get(spec.password_env)
    if not password:
        raise SigningError(f"biến môi trường {spec.password_env} (mật khẩu tệp PKCS#12) chưa được đặt")
    try:
        signer = signers.SimpleSigner.load_pkcs12(str(spec.pkcs12), passphrase=password.encode("utf-8"))
    except (OSError, ValueError) as exc:
        raise SigningError(f"không mở được tệp PKCS#12 {spec.pkcs12}: {type(exc).__name__}") from None
    if signer is None:
        raise SigningError(f"không mở được tệp PKCS#12 {spec.pkcs12} (sai mật khẩu?)")
    data = pdf_path.read_bytes()
    writer = IncrementalPdfFileWriter(BytesIO(data))
    embed.embed_file(
        writer,
        embed.FileSpec(
            file_spec_string="results.json",
            embedded_data=embed.EmbeddedFileObject.from_file_data(
                writer, data=results_json, mime_type="application/json"
            ),
            description="Kết quả kiểm tra dạng máy đọc (results.json)",
        ),
    )
    fields.append_signature_field(
        writer, fields.SigFieldSpec(FIELD_NAME, on_page=-1, box=(330, 50, 565, 120))
    )
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=spec.reason,
        location=spec.location,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = BytesIO()
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=7)))  # NĐ 30 PL I: Vietnam time, to the second
    signers.PdfSigner(meta, signer, stamp_style=_stamp_style()).sign_pdf(
        writer, output=out, appearance_text_params={"thoi_gian": now.strftime("%d/%m/%Y %H:%M:%S +07:00")}
    )
    tmp = pdf_path.with_name(pdf_path.name + ".signed.tmp")
    tmp.write_bytes(out.getvalue())
    tmp.replace(pdf_path)
