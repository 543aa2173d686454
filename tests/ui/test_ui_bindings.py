"""UI bindings in target files are checked before anything runs: one file:line:field message per problem.

Each case edits one line of targets/reference-ui.yaml (a realistic vendor file) and expects the
problem to be reported on that line, on the right field, with words that say what to fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.errors import ConfigError
from conformance.target import load_target
from tests.conftest import ROOT, run_cli

UI_TARGET = ROOT / "targets" / "reference-ui.yaml"


HTTP_TARGET = ROOT / "targets" / "reference.yaml"  # it holds the UI login flow reference-ui.yaml extends


def broken(tmp_path: Path, old: str, new: str, source: Path = UI_TARGET) -> tuple[Path, int]:
    """A copy of a shipped target with one line edited; returns its path and the edited line number.

    The copy names its base (``extends:``) by an absolute path, on the same line as the original.
    """
    text = source.read_text("utf-8").replace(
        "\nextends: reference.yaml\n", f"\nextends: {source.parent / 'reference.yaml'}\n"
    )
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1 + old[: len(old) - len(old.lstrip("\n"))].count("\n")
    path = tmp_path / "target.yaml"
    path.write_text(text.replace(old, new), "utf-8")
    return path, line


CASES = [
    (
        "unknown action",
        "        - click: {role: button, name: Mở hồ sơ}",
        "        - tap: {role: button, name: Mở hồ sơ}",
        "operations.dossier.open.ui.steps[10]",
        "'tap' không hợp lệ",
    ),
    (
        "two semantic locators",
        '        - fill: {label: Tiêu đề hồ sơ, value: "${in.title}"}',
        '        - fill: {label: Tiêu đề hồ sơ, placeholder: Tiêu đề, value: "${in.title}"}',
        "operations.dossier.open.ui.steps[3].fill",
        "chỉ dùng một cách tìm theo ngữ nghĩa",
    ),
    (
        "unknown input",
        '        - fill: {label: Người lập hồ sơ, value: "${in.creator}"}',
        '        - fill: {label: Người lập hồ sơ, value: "${in.nguoi_lap}"}',
        "operations.dossier.open.ui.steps[5].fill",
        "không có đầu vào 'nguoi_lap'",
    ),
    (
        "unknown output",
        '        - read: {output: doc_ordinal, role: status, pattern: "số thứ tự ([0-9]+)", as: integer}',
        '        - read: {output: ordinal, role: status, pattern: "số thứ tự ([0-9]+)", as: integer}',
        "operations.dossier.attach_document.ui.steps[5].read.output",
        "không có đầu ra 'ordinal'",
    ),
    (
        "bad regular expression",
        '        - outcome: {accepted: {url: "[?]da_them=[0-9]+"}, rejected: {role: alert}}',
        '        - outcome: {accepted: {url: "[?da_them="}, rejected: {role: alert}}',
        "operations.dossier.attach_document.ui.steps[3].outcome.accepted.url",
        "biểu thức chính quy sai",
    ),
    (
        "unknown ARIA role",
        "        - click: {role: button, name: Đưa vào hồ sơ}",
        "        - click: {role: nut, name: Đưa vào hồ sơ}",
        "operations.dossier.attach_document.ui.steps[2].click.role",
        "vai trò ARIA không hỗ trợ: nut",
    ),
    (
        "table column read as an unknown type",
        "              page_amount: {heading: Số trang, as: integer}",
        "              page_amount: {heading: Số trang, as: so_nguyen}",
        "operations.dossier.get.ui.steps[14].read_table.columns.page_amount.as",
        "as là một trong text, integer, number, date",
    ),
    (
        "record field read as an unknown type",
        "              doc_total: {term: Tổng số văn bản trong hồ sơ, as: integer}",
        "              doc_total: {term: Tổng số văn bản trong hồ sơ, as: so_nguyen}",
        "operations.dossier.open.ui.steps[27].read_record.fields.doc_total.as",
        "as là một trong text, integer, number, date",
    ),
    (
        "undeclared role",
        "  dossier.get:\n    ui:\n      as: chuyen_vien",
        "  dossier.get:\n    ui:\n      as: thu_ky",
        "operations.dossier.get.ui.as",
        "vai trò thu_ky chưa khai báo",
    ),
    (
        "login credentials outside the login flow",
        '        - select: {label: Văn bản, value: "${in.document_id}"}',
        '        - select: {label: Văn bản, value: "${cred.password}"}',
        "operations.dossier.attach_document.ui.steps[1].select",
        "chỉ dùng trong luồng đăng nhập",
    ),
    (
        "negative time-out",
        "        - goto: /ho-so/${in.id}",
        '        - goto: {path: "/ho-so/${in.id}", timeout: -1}',
        "operations.dossier.get.ui.steps[0].goto.timeout",
        "0 < timeout",
    ),
]


@pytest.mark.parametrize(("what", "old", "new", "field", "words"), CASES, ids=[c[0] for c in CASES])
def test_broken_ui_binding_names_line_and_field(
    tmp_path: Path, what: str, old: str, new: str, field: str, words: str
) -> None:
    path, line = broken(tmp_path, old, new)
    with pytest.raises(ConfigError) as err:
        load_target(path)
    found = [p for p in err.value.problems if words in p.message]
    assert found, f"{what}: {err.value}"
    p = found[0]
    assert p.field == field, (what, str(p))
    last_line = line + new.count("\n")
    assert line <= (p.line or 0) <= last_line, (what, str(p), line)


def test_submit_without_outcome_and_both_channels(tmp_path: Path) -> None:
    path, _ = broken(
        tmp_path,
        '        - outcome: {accepted: {url: "/ho-so/[0-9]+[?]"}, rejected: {role: alert}}\n',
        "",
    )
    with pytest.raises(ConfigError) as err:
        load_target(path)
    assert any("cần bước outcome" in p.message for p in err.value.problems), err.value
    both, _ = broken(
        tmp_path,
        "  dossier.get:\n    ui:\n",
        '  dossier.get:\n    http: {method: GET, path: "/api/dossiers/${in.id}"}\n    ui:\n',
    )
    with pytest.raises(ConfigError) as err:
        load_target(both)
    assert any("http hoặc ui, không cả hai" in p.message for p in err.value.problems), err.value


def test_login_flow_needs_a_success_sign(tmp_path: Path) -> None:
    path, _ = broken(tmp_path, '    success: {url: "/van-ban-di"}\n', "", HTTP_TARGET)
    with pytest.raises(ConfigError) as err:
        load_target(path)
    (p,) = err.value.problems
    assert p.field == "ui.login" and "success" in p.message
    text = HTTP_TARGET.read_text("utf-8")
    assert p.line == text[: text.index("\nui:\n  login:\n")].count("\n") + 4  # the login mapping


def test_role_bound_ui_needs_a_login_flow(tmp_path: Path) -> None:
    text = HTTP_TARGET.read_text("utf-8")
    head, _, _ = text.partition("\nui:\n")
    path = tmp_path / "target.yaml"
    path.write_text(head + "\n", "utf-8")
    with pytest.raises(ConfigError) as err:
        load_target(path)
    assert [p.field for p in err.value.problems] == ["ui"]
    assert "thiếu ui.login" in err.value.problems[0].message


def test_the_shipped_targets_are_valid_and_the_cli_says_where(tmp_path: Path) -> None:
    assert load_target(UI_TARGET).ui["login"]["success"] == {"url": "/van-ban-di"}
    path, line = broken(tmp_path, "        - click: {role: button, name: Mở hồ sơ}", "        - tap: {}")
    out = run_cli("validate", str(path))
    assert out.returncode == 2 and "Traceback" not in out.stdout + out.stderr
    assert f"{path}:{line}: operations.dossier.open.ui.steps" in out.stdout + out.stderr
