"""Judges of the UI channel over recorded outputs only (no browser): labels, keyboard, registers, outcomes."""

from __future__ import annotations

from typing import Any

from conformance.judges.registry import get_judge
from conformance.standards import display


def run(name: str, rec: Any, **params: Any) -> tuple[bool, str]:
    spec = get_judge(name)
    assert spec is not None
    f = spec.fn(rec, **params)
    return f.ok, f.message


def control(label: str, source: str = "label", **kw: Any) -> dict[str, Any]:
    base = {"tag": "input", "type": "text", "name": label, "label": label, "label_source": source,
            "visible": True, "disabled": False, "reached_by_tab": True}  # fmt: skip
    return {**base, **kw}


def form(*controls: dict[str, Any]) -> dict[str, Any]:
    return {"operation": "document.outgoing_form", "save": "man_hinh", "channel": "ui",
            "outputs": {"fields": list(controls)}, "ui": {"outcome": "done"}}  # fmt: skip


def test_form_fields_labelled() -> None:
    good = form(
        control("Trích yếu nội dung"),
        control("Ký hiệu văn bản"),
        control("Đăng ký", "content", type="submit"),
    )
    assert run("form_fields_labelled", good, table="van_ban_di", fields=["8", "5"])[0]
    placeholder_only = form(control("Trích yếu nội dung", "placeholder"), control("Ký hiệu"))
    ok, msg = run("form_fields_labelled", placeholder_only, table="van_ban_di", fields=["8", "5"])
    assert not ok and "«Trích yếu nội dung» (chỉ có placeholder" in msg and "(1/2)" in msg
    hidden = form(control("Trích yếu nội dung", visible=False))
    assert not run("form_fields_labelled", hidden, table="van_ban_di", fields=["8"])[0]
    wrong = form(control("Lưu trữ"))
    ok, msg = run("form_fields_labelled", wrong, table="ho_so", fields=["Maintenance"])
    assert not ok and "«Thời hạn bảo quản»" in msg
    broken = {"operation": "x", "outputs": {}, "error": "bước 1 (goto): trang trả về HTTP 500"}
    ok, msg = run("form_fields_labelled", broken, table="ho_so", fields=["2"])
    assert not ok and "HTTP 500" in msg


def test_controls_labelled_and_keyboard() -> None:
    good = form(control("A"), control("Gửi", "content", type="submit"), control("x", "none", visible=False))
    assert run("form_controls_labelled", good)[0]
    assert run("form_controls_keyboard", good)[0]
    bad = form(control("A"), control("Tìm", "title"), control("Ngày", "placeholder"))
    ok, msg = run("form_controls_labelled", bad)
    assert not ok and "2 ô nhập không có nhãn" in msg and "(title)" in msg
    no_tab = form(control("A"), control("Ghi chú", reached_by_tab=False), control("B", reached_by_tab=None))
    ok, msg = run("form_controls_keyboard", no_tab)
    assert not ok and "1 ô không tới được bằng phím Tab" in msg and "trong khung" in msg


def test_register_columns_and_cover() -> None:
    cols = list(display.register("so_di").column_names())
    rec = {"operation": "register.outgoing_print", "outputs": {"columns": cols, "rows": ["01/UBND-VP\tx"],
           "year": "2025", "volume": "01", "from_number": ""}}  # fmt: skip
    assert run("register_columns", rec, register="so_di")[0]
    ok, msg = run(
        "register_columns", {**rec, "outputs": {"columns": [*cols[:-2], "Ghi chú"]}}, register="so_di"
    )
    assert not ok and "thiếu cột «Ký nhận»" in msg and "Phụ lục IV" in msg
    assert not run("register_columns", {"operation": "x", "outputs": {"columns": []}}, register="so_di")[0]
    assert run("outputs_present", rec, outputs=["year", "volume"])[0]
    ok, msg = run("outputs_present", rec, outputs=["year", "from_number", "to_number"])
    assert not ok and "from_number, to_number" in msg
    assert run("output_includes", rec, output="rows", expect=["01/UBND-VP"])[0]
    assert not run("output_includes", rec, output="rows", expect=["01/UBND-VP"], match="equals")[0]
    assert not run("output_includes", rec, output="rows", expect=["02/UBND-VP"])[0]


def test_accepted_and_rejected_read_the_ui_outcome() -> None:
    def ui(outcome: str, message: str = "", error: str | None = None) -> dict[str, Any]:
        return {"operation": "dossier.open", "save": "hs", "channel": "ui", "response": None, "error": error,
                "outputs": {}, "ui": {"outcome": outcome, "message": message}}  # fmt: skip

    assert run("accepted", ui("accepted"))[0]
    assert run("accepted", ui("done"))[0]
    ok, msg = run("accepted", ui("rejected", "Tiêu đề hồ sơ: Không được để trống"))
    assert not ok and "Không được để trống" in msg and "lẽ ra phải được chấp nhận" in msg
    ok, msg = run("rejected", ui("rejected", "biểu mẫu chặn gửi: Tiêu đề hồ sơ"))
    assert ok and "bị từ chối trên giao diện" in msg
    assert not run("rejected", ui("accepted"))[0]
    ok, msg = run("rejected", ui("error", error="bước 3 (fill nhãn «X»): hết thời gian chờ 5s"))
    assert not ok and "hết thời gian chờ" in msg
    assert not run("status_in", ui("accepted"), statuses=[201])[0]  # no page status recorded
    hidden = ui("error", error="bước 1 (goto /tep/7): trang /tep/7 trả về HTTP 404")
    hidden["ui"]["status"] = 404
    assert run("status_in", hidden, statuses=[403, 404])[0]
    assert not run("status_in", hidden, statuses=[200])[0]
    assert run("refused_or_ignored", ui("rejected", "không nhận"), output="code_number", value="987")[0]
    typed = ui("accepted") | {"outputs": {"code_number": "987"}}
    assert not run("refused_or_ignored", typed, output="code_number", value="987")[0]
    ignored = ui("accepted") | {"outputs": {"code_number": "05"}}
    assert run("refused_or_ignored", ignored, output="code_number", value="987")[0]


def test_rejected_or_within_reads_the_ui_outcome() -> None:
    """An over-long value refused on the page (by its maxlength or the error summary) is a refusal;
    accepted, the value read back must fit; an error is never a pass."""

    def ui(outcome: str, creator: str | None = None, error: str | None = None) -> dict[str, Any]:
        return {"operation": "dossier.open", "save": "qua_dai", "channel": "ui", "error": error,
                "outputs": {} if creator is None else {"creator": creator},
                "ui": {"outcome": outcome, "message": "trường Người lập hồ sơ không nhận đủ"}}  # fmt: skip

    ok, msg = run("rejected_or_within", ui("rejected"), output="creator", max=30)
    assert ok and "bị từ chối trên giao diện" in msg
    assert run("rejected_or_within", ui("accepted", "x" * 30), output="creator", max=30)[0]
    assert not run("rejected_or_within", ui("accepted", "x" * 31), output="creator", max=30)[0]
    ok, msg = run(
        "rejected_or_within", ui("error", error="bước 3: hết thời gian chờ"), output="creator", max=30
    )
    assert not ok and "lỗi" in msg
