"""file.signature_view through a real Chromium on the reference's file page: the table of signatures
read as records, and a PDF without signatures (no table) read as no rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conformance.drivers.ui_flow import flow_problems
from conformance.inputs import gen_file
from conformance.target import Target
from tests.ui.conftest import perform

COLUMNS = {"signer": "Người ký", "status": "Trạng thái"}


@pytest.mark.browser
def test_the_file_page_is_read_signature_by_signature(
    ui_target: Target, clean_reference: Any, tmp_path: Path
) -> None:
    doc = {"type_name": "Công văn", "code_notation": "UBND-VP", "subject": "Văn bản ký số", "page_amount": 1}
    (reg,) = perform(
        ui_target, tmp_path, "SR-993", [("document.register_outgoing", doc)], [clean_reference.password]
    ).records
    files = [
        gen_file({"fixture": f"pdf/{n}.pdf"}) for n in ("valid-two-signatures", "unsigned", "expired-cert")
    ]
    attach = [("document.attach_file", {"document_id": reg["outputs"]["id"], "file": f}) for f in files]
    ids = [
        r["outputs"]["file_id"]
        for r in perform(ui_target, tmp_path, "SR-993", attach, [clean_reference.password]).records
    ]
    views = perform(
        ui_target, tmp_path, "SR-993", [("file.signature_view", {"file_id": i}) for i in ids],
        [clean_reference.password],
    ).records  # fmt: skip
    valid, unsigned, expired = (v["outputs"] for v in views)
    assert all(v["error"] is None for v in views), [v["error"] for v in views]
    assert valid["status"] == "Hợp lệ" and valid["reason"] is None
    assert valid["signatures"] == [
        {"signer": "Nguyễn Văn An", "kind": "cá nhân", "signed_at": "14/03/2026 09:30:15",
         "status": "Hợp lệ", "reason": ""},
        {"signer": "Ủy ban nhân dân tỉnh Quảng Ninh", "kind": "cơ quan, tổ chức",
         "signed_at": "14/03/2026 10:05:42", "status": "Hợp lệ", "reason": ""},
    ]  # fmt: skip
    assert unsigned == {"status": "Không có chữ ký số", "reason": None, "signatures": []}
    table_step = views[1]["ui"]["steps"][-1]
    assert table_step["action"] == "read_table" and "không có bảng" in table_step["skipped"]
    assert expired["status"] == "Không hợp lệ" and "chứng thư số đã hết hạn" in expired["reason"]
    assert [s["status"] for s in expired["signatures"]] == ["Không hợp lệ", "Hợp lệ"]


def test_read_table_may_be_optional_and_says_so_as_a_boolean() -> None:
    def flow(optional: Any) -> dict[str, Any]:
        step = {"output": "rows", "role": "table", "columns": COLUMNS, "optional": optional}
        return {"as": "van_thu", "steps": [{"goto": "/tep/1"}, {"read_table": step}]}

    assert flow_problems(flow(True), inputs=(), outputs=("rows",), roles={"van_thu"}) == []
    problems = flow_problems(flow("có"), inputs=(), outputs=("rows",), roles={"van_thu"})
    assert [m for _, m in problems] == ["optional phải là true hoặc false"]
