"""Faults of area 1, gửi nhận văn bản điện tử: numbering, registration, edXML exchange over the axis."""

from __future__ import annotations

from refoffice.faults.model import N30, Fault

Q28 = "QĐ 28/2018/QĐ-TTg"
QCVN = "QCVN 102:2016/BTTTT"
SDK = "bộ phát triển kết nối Trục liên thông văn bản quốc gia của VPCP"
FMT = f"{Q28} Điều 6, định dạng theo quy định của Bộ TT&TT"

FAULTS: list[Fault] = [
    Fault(
        "numbering_no_year_restart",
        f"Số văn bản đi bắt đầu từ 01 vào ngày 01 tháng 01 và kết thúc vào ngày 31 tháng 12 hằng "
        f"năm ({N30} Điều 15.1)",
        "Outgoing numbers continue across years instead of restarting at 1 on 1 January.",
        ["SR-061"],
    ),
    Fault(
        "code_number_not_padded",
        f"Số của văn bản ghi bằng chữ số Ả Rập, số nhỏ hơn 10 phải ghi thêm số 0 phía trước ({N30} "
        f"Phụ lục I Phần I mục II.3)",
        'code_number and so_ky_hieu carry "5" instead of "05"; doc_code keeps the padded form. The '
        "package sent over the axis then carries the unpadded CodeNumber too.",
        ["SR-063", "SR-010a"],
    ),
    Fault(
        "manual_number_required",
        f"Hệ thống tự động cấp số văn bản đi ({N30} Phụ lục VI Phần III mục 1.đ)",
        "No number is assigned (code_number and so_ky_hieu null) unless the client supplies code_number; "
        "doc_code is still built from a padded internal counter. Every criterion that reads the "
        "assigned number fails with it (SR-066: the printed register has no 'Từ số … đến số'), and the "
        "package sent over the axis has an empty CodeNumber.",
        ["SR-061", "SR-063", "SR-066", "SR-069", "SR-010a"],
    ),
    Fault(
        "manual_number_accepted",
        f"Số văn bản đi do Hệ thống cấp, người dùng không tự đặt ({N30} Phụ lục VI Phần III mục "
        f"1.đ; Điều 15.1)",
        "A code_number typed by the client is taken over instead of being refused; numbers are still "
        "assigned automatically when none is given.",
        ["SR-069"],
    ),
    Fault(
        "subject_length_unchecked",
        f"Trích yếu nội dung văn bản đi dài tối đa 500 ký tự ({N30} Phụ lục VI Phần II.I trường 8)",
        "Outgoing subject is accepted up to 2000 characters.",
        ["SR-070"],
    ),
    Fault(
        "organ_id_not_autofilled",
        f"Hệ thống tự động điền mã định danh cơ quan (trường 1.1) của văn bản đi ({N30} Phụ lục VI "
        f"Phần III mục 1.g)",
        "The outgoing document's organ_id is left null (doc_code still uses the configured code).",
        ["SR-071"],
    ),
    # ------------------------------------------------------------------ receiving over the axis
    Fault(
        "transport_status_not_updated",
        f"Nhận gói tin từ trục: lấy danh sách, tải từng gói tin và xác nhận trạng thái vận chuyển "
        f"(updateStatus done/fail) ({Q28} Điều 9; {SDK})",
        "The connector never acknowledges a package (no updateStatus): the axis keeps listing it. Every "
        "criterion that waits for an acknowledgement fails with it.",
        ["SR-090", "SR-011", "SR-059", "SR-103", "SR-111"],
    ),
    Fault(
        "status_messages_not_polled",
        f"Hệ thống lấy cả gói tin văn bản (edoc) và gói tin trạng thái (status) từ trục ({N30} "
        f"Điều 4.2.d; {SDK})",
        "The connector lists only messagetype=edoc: status packages (13 included) are never fetched.",
        ["SR-111", "SR-090", "SR-100", "SR-084", "SR-084b"],
    ),
    Fault(
        "status_01_not_sent",
        f"Phần mềm gửi trạng thái 01 (đã đến) ngay khi nhận gói tin, trước khi văn thư xử lý "
        f"({N30} Điều 21.2.c; {SDK})",
        "No status 01 is sent; status 03 still follows registration.",
        ["SR-093"],
    ),
    Fault(
        "status_03_never_sent",
        f"Văn bản được tiếp nhận, vào sổ văn bản đến thì gửi trạng thái 03 cho nơi gửi ({N30} Điều "
        f"22; {SDK})",
        "Documents are registered but status 03 is never sent.",
        ["SR-094"],
    ),
    Fault(
        "status_timestamp_utc",
        f"Thông báo đã nhận văn bản trong ngày, thời gian theo giờ Việt Nam ({N30} Điều 21.2.c; "
        f"{QCVN} định dạng yyyy/MM/dd HH:mm:ss giờ Việt Nam)",
        "Status packages carry their Timestamp in UTC (7 hours behind Vietnam time).",
        ["SR-092"],
    ),
    Fault(
        "status_response_for_code_wrong",
        f"Gói tin trạng thái ghi ResponseFor đúng văn bản được trả lời: mã cơ quan, số và ký hiệu, "
        f"ngày ban hành, mã định danh ({Q28} Điều 9; {QCVN}; {SDK})",
        "Status packages write only the ký hiệu in ResponseFor/Code, without the số.",
        ["SR-099"],
    ),
    Fault(
        "status_staff_info_missing",
        f"Gói tin trạng thái có thông tin người xử lý StaffInfo ({Q28} Điều 9; {QCVN}; {SDK})",
        "Status packages carry no StaffInfo (which also makes them invalid edXML status packages).",
        ["SR-048", "SR-099"],
    ),
    Fault(
        "wrong_recipient_accepted",
        f"Văn bản gửi sai nơi nhận phải được trả lại nơi gửi ({N30} Điều 21.2.b)",
        "A package addressed to another agency is registered instead of being returned with status 02.",
        ["SR-091"],
    ),
    Fault(
        "reject_without_reason",
        f"Trả lại văn bản phải nêu lý do ({N30} Điều 21.2.b; {Q28} Điều 9)",
        "Status 02 is sent with an empty Description.",
        ["SR-098"],
    ),
    Fault(
        "pdf_signature_not_checked",
        f"Kiểm tra tính xác thực, toàn vẹn (chữ ký số) của văn bản trước khi tiếp nhận ({N30} Điều 21.2.a)",
        "A signed main PDF is accepted without verifying its signatures (tampered, revoked, untrusted).",
        ["SR-057"],
    ),
    Fault(
        "unsigned_document_accepted",
        f"Văn bản điện tử có giá trị pháp lý phải có chữ ký số ({N30} Điều 5.1)",
        "A package without a signed main PDF (unsigned PDF, no attachment) is registered.",
        ["SR-017"],
    ),
    Fault(
        "xmldsig_valid_rejected",
        f"Chữ ký XML-DSig của gói tin (nếu có) được kiểm tra, gói tin ký đúng được tiếp nhận "
        f"({N30} Điều 21.2.a; {QCVN}; {SDK})",
        "Every package that carries an XML-DSig Signature is returned with 02, valid signatures included.",
        ["SR-059"],
    ),
    Fault(
        "prefix_dependent_parser",
        f"Gói tin đúng QCVN 102 với tiền tố hay không gian tên mặc định đều được nhận ({FMT}; {QCVN}; {SDK})",
        "Elements are found by the edXML: prefix: a default-namespace package is returned as malformed.",
        ["SR-012"],
    ),
    Fault(
        "trace_headers_strict",
        f"Chấp nhận vết chuyển do trục bổ sung trong TraceHeaderList ({FMT}; {QCVN}; {SDK})",
        "A package with TraceHeaders whose OrganId fits no grammar (added by the axis) is returned.",
        ["SR-040b"],
    ),
    Fault(
        "unknown_elements_rejected",
        f"Chịu được các trường mở rộng của thư viện edXML ({FMT}; {QCVN}; {SDK})",
        "A package with unknown MessageHeader elements (ResponseForTask, ApplicationType…) is returned.",
        ["SR-034"],
    ),
    Fault(
        "content_id_mismatch_ignored",
        f"Danh mục tệp và tệp đính kèm khớp mã ContentId; không bỏ qua tệp lệch ({N30} Điều 21.2.a; {QCVN})",
        "A package whose attachment ContentId is not in the manifest is registered without the file.",
        ["SR-015"],
    ),
    Fault(
        "xml_parser_not_hardened",
        f"Gói tin độc hại (thực thể XML, tham chiếu tệp ngoài) bị từ chối, không được vào sổ "
        f"({N30} Điều 21.2.a; {QCVN})",
        "Packages are parsed with DTDs and entities resolved: an XXE package is registered.",
        ["SR-011"],
    ),
    Fault(
        "organ_id_not_validated",
        f"Mã định danh cơ quan theo QCVN 102:2016 hoặc QĐ 20/2020/QĐ-TTg (≤35 ký tự, chữ in hoa, "
        f"số, dấu chấm) (QĐ 20/2020/QĐ-TTg Điều 4; {QCVN} Sửa đổi 1:2022)",
        "Sender agency codes are not checked: 36 characters, lower case or '_' are registered (the "
        "malformed-package corpus has such a code too).",
        ["SR-003", "SR-010b"],
    ),
    Fault(
        "agency_directory_not_synced",
        f"Danh mục đơn vị liên thông đồng bộ từ trục, ánh xạ mã QĐ 20 và mã QCVN 102 "
        f"(QĐ 20/2020/QĐ-TTg Điều 4 qua {QCVN} Sửa đổi 1:2022; {SDK})",
        "The directory is never read from the axis: a document addressed by the QĐ 20 code is returned.",
        ["SR-005"],
    ),
    Fault(
        "duplicate_on_relisting",
        f"Không nhận trùng khi trục liệt kê lại cùng gói tin ({N30} Phụ lục VI Phần III mục 1.h; {SDK})",
        "A package listed again under the same docId is handled again (status 01 sent twice).",
        ["SR-103"],
    ),
    Fault(
        "duplicate_document_id_registered",
        f"Cảnh báo trùng mã định danh văn bản hoặc trùng số, ký hiệu, cơ quan ban hành ({N30} Phụ "
        f"lục VI Phần III mục 1.h)",
        "A second package with the same DocumentId is registered again, without a warning.",
        ["SR-072"],
    ),
    Fault(
        "arrival_number_gaps",
        f"Số đến liên tiếp trong năm ({N30} Điều 22.2)",
        "Arrival numbers skip one after the first registration of the year.",
        ["SR-068"],
    ),
    Fault(
        "recall_ignored",
        f"Văn bản bị thu hồi phải được hủy trên hệ thống nơi nhận và thông báo cho nơi gửi ({N30} "
        f"Điều 18.4.b; {Q28} Điều 9)",
        "A recall package (BussinessDocType 1) is registered as a new document; no status 15.",
        ["SR-043"],
    ),
    Fault(
        "retrieval_request_unanswered",
        f"Yêu cầu lấy lại văn bản (13) được trả lời đồng ý (15) hoặc từ chối (16) ({Q28} Điều 9; {SDK})",
        "Status 13 is fetched and acknowledged but never answered.",
        ["SR-100"],
    ),
    Fault(
        "update_creates_new_record",
        f"Gói tin cập nhật (BussinessDocType 2) cập nhật văn bản đã nhận, không tạo bản mới ({N30} "
        f"Điều 18.3; {QCVN}; {SDK})",
        "An update package is registered as a new document; the original keeps its old data.",
        ["SR-044"],
    ),
    Fault(
        "replace_not_linked",
        f"Văn bản thay thế được liên kết với văn bản bị thay thế ({N30} Điều 18.3; {QCVN})",
        "A replacement is registered as a new document; the replaced one is not marked.",
        ["SR-045"],
    ),
    Fault(
        "status_05_not_sent",
        f"Trạng thái xử lý 05 (đang xử lý) rồi 06 (hoàn thành) được gửi theo thứ tự ({Q28} Điều 9; {SDK})",
        "Processing sends no status 05 (completion still sends 06).",
        ["SR-097"],
    ),
    # ------------------------------------------------------------------ sending over the axis
    Fault(
        "outbound_agency_code_form",
        f"Gói tin gửi đi ghi mã định danh cơ quan đúng như đã đăng ký, nguyên dạng ({N30} Phụ lục "
        f"VI OrganId String 13; {QCVN})",
        "Outgoing packages carry the agency's QĐ 20 code (H49) instead of the configured 000.00.00.H49; "
        "their DocumentId (built on the configured code) then disagrees with From, an edXML error.",
        ["SR-002", "SR-010a"],
    ),
    Fault(
        "outbound_document_id_uuid",
        f"Mã định danh văn bản đi gồm mã cơ quan ban hành, ngày ban hành và số, ký hiệu ({N30} Phụ "
        f"lục VI Phần III mục 1.c; {QCVN})",
        "Outgoing packages carry a UUID as DocumentId instead of the business key.",
        ["SR-032"],
    ),
    Fault(
        "outbound_manifest_mismatch",
        f"Danh mục tệp (edXMLManifest) liệt kê đúng các tệp đính kèm ({FMT}; {QCVN})",
        "A second attachment is listed in the manifest but not sent (or sent without its listing).",
        ["SR-010a"],
    ),
    Fault(
        "outbound_signature_order",
        f"Văn bản điện tử ký số bởi người có thẩm quyền rồi đến chữ ký số của cơ quan ({N30} Điều 5.1, 13.7)",
        "The main PDF is signed by the agency first, then by the competent person.",
        ["SR-050"],
    ),
    Fault(
        "secret_sent_over_axis",
        f"Văn bản mật không gửi qua hệ thống liên thông ({Q28} phạm vi; {N30} Điều 16.3)",
        "A document of the 'mat' series is sent over the axis like any other.",
        ["SR-081"],
    ),
    Fault(
        "send_no_retry",
        f"Gửi lại khi trục báo lỗi, không để mất văn bản ({Q28} Điều 6; {SDK}: số lần thử lại 2–5)",
        "A send the axis answers with FAIL is given up at once.",
        ["SR-087"],
    ),
    Fault(
        "outgoing_status_not_tracked",
        f"Theo dõi tự động trạng thái xử lý của từng nơi nhận ({Q28} Điều 6; {N30} Phụ lục VI Phần "
        f"III mục 1.k)",
        "Status packages from recipients are acknowledged but not recorded on the sent document.",
        ["SR-084", "SR-084b"],
    ),
    Fault(
        "recall_package_without_target",
        f"Gói tin thu hồi chỉ rõ văn bản bị thu hồi ({N30} Điều 18.4.b; Phụ lục VI Phần III mục 8)",
        "The recall package leaves out Bussiness/DocumentId of the recalled document.",
        ["SR-047"],
    ),
    Fault(
        "auth_error_not_surfaced",
        f"Lỗi xác thực với trục được báo cho người dùng ({Q28} Điều 6; {SDK})",
        "The connection page keeps saying 'connected' while the axis refuses every call.",
        ["SR-110"],
    ),
    Fault(
        "unreadable_acknowledged_done",
        f"Gói tin không đọc được được xác nhận thất bại (fail) với trục, không im lặng bỏ qua "
        f"({Q28} Điều 9; {SDK})",
        "A package that cannot be read is acknowledged 'done' as if it had been received.",
        ["SR-011"],
    ),
]
