"""The reference's axis connector: receive văn bản đến, answer with status packages, send văn bản đi.

Receiving (NĐ 30 Điều 21–22; QĐ 28 Điều 9; the SDK receive cycle, edxml.md §13.1):
list pending ``edoc`` and ``status`` packages → fetch each → status 01 (đã đến) → check it
(recipient, structure, agency codes, attachments, signatures) → reject with 02 and a reason, or
register it in the sổ đến with the next số đến and send 03 → acknowledge the transport (``done``;
``fail`` for a package that cannot be read at all). Recalls (BussinessDocType 1, status 13) are
answered 15 or 16, updates and replacements applied to the document they name. A package is never
registered twice: handled deliveries are remembered, and a repeated mã định danh is a warning.

Sending (NĐ 30 Điều 18; QĐ 28 Điều 6): an outgoing document becomes a package with its signed PDF
(personal signature, then the agency's), sent with retries; secret documents never go on the axis.

The loop long-polls the axis (``wait``), so a new package is handled within milliseconds; every
fault switch of ``refoffice/faults/gui_nhan.py`` that concerns the exchange is read here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from refoffice import edxml
from refoffice.axis_client import AxisClient, AxisRefused, AxisUnavailable
from refoffice.clock import iso
from refoffice.context import AppContext
from refoffice.models_exchange import AxisDelivery, IncomingDocument, SentPackage
from refoffice.pdf_signatures import PdfSignatures, make_pdf

log = logging.getLogger("refoffice.connector")

STAFF = {
    "Department": "Văn thư",
    "Staff": "Nguyễn Thị Bình",
    "Mobile": "84912000001",
    "Email": "vanthu@qlvb-thu-nghiem.invalid",
}
STATUS_TEXT = {
    "01": "Đã đến: văn bản đã được phần mềm nhận, văn thư chưa xử lý",
    "03": "Đã tiếp nhận, vào sổ văn bản đến",
    "04": "Lãnh đạo đã phân công xử lý",
    "05": "Đang xử lý",
    "06": "Hoàn thành xử lý",
    "15": "Đồng ý yêu cầu cập nhật/lấy lại văn bản",
}
KNOWN_HEADER = {
    "From",
    "To",
    "Code",
    "PromulgationInfo",
    "DocumentType",
    "Subject",
    "Content",
    "SignerInfo",
    "DueDate",
    "ToPlaces",
    "OtherInfo",
    "ResponseFor",
    "SteeringType",
    "DocumentId",
}


@dataclass
class Original:
    """The document a status package answers (its ResponseFor)."""

    organ_id: str
    so_ky_hieu: str
    date: dt.date
    document_id: str


class Connector:
    """One connector per app; ``start`` runs the receive loop in a daemon thread."""

    def __init__(self, ctx: AppContext) -> None:
        cfg = ctx.config
        assert cfg.axis_url and cfg.axis_secret
        self.ctx = ctx
        self.client = AxisClient(
            cfg.axis_url, cfg.axis_system_id or cfg.organ_id, cfg.axis_secret, cfg.organ_id
        )
        self.pdf = PdfSignatures(cfg.pki_dir)
        self.directory: dict[str, dict[str, Any]] = {}
        self.own_codes = {cfg.organ_id}
        self.state: dict[str, Any] = {"connected": None, "last_error": None, "last_ok": None}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._retry_after: dict[str, float] = {}
        self._dir_lock = threading.Lock()
        self._last_sync = float("-inf")  # the first loop synchronises the directory

    def on(self, fault: str) -> bool:
        return self.ctx.faults.on(fault)

    # ----------------------------------------------------------------------------------- lifecycle
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="axis-connector", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                if time.monotonic() - self._last_sync > 300:
                    self.sync_directory()
                worked = self.poll_once()
                self._ok()
                if not worked:
                    self._idle()
            except AxisRefused as exc:
                self._error(f"trục từ chối kết nối: {exc.code} {exc.desc}")
                self._stop.wait(self.ctx.config.axis_poll_s)
            except AxisUnavailable as exc:
                self._error(f"không kết nối được trục: {exc}")
                self._stop.wait(self.ctx.config.axis_poll_s)
            except Exception:  # the loop must survive anything a package can do
                log.exception("axis connector loop")
                self._stop.wait(self.ctx.config.axis_poll_s)

    def _idle(self) -> None:
        """Wait for the next package: a long poll, unless a package is waiting for its retry time."""
        now = time.monotonic()
        pending = [t for t in self._retry_after.values() if t > now]
        if pending:
            self._stop.wait(max(0.05, min(min(pending) - now, self.ctx.config.axis_poll_s)))
        elif self.ctx.config.axis_wait_s > 0:
            self.client.received("edoc", wait=self.ctx.config.axis_wait_s)
        else:
            self._stop.wait(self.ctx.config.axis_poll_s)

    def _ok(self) -> None:
        self.state.update(connected=True, last_ok=iso(self.ctx.clock.now()))
        if not self.on("auth_error_not_surfaced"):
            self.state["last_error"] = None

    def _error(self, message: str) -> None:
        if self.on("auth_error_not_surfaced"):
            return
        self.state.update(connected=False, last_error=message)

    def status(self) -> dict[str, Any]:
        """What the văn thư sees of the connection (SR-110: a refused connection is shown)."""
        return {"axis_url": self.ctx.config.axis_url, "organ_id": self.ctx.config.organ_id, **self.state}

    # ----------------------------------------------------------------------------------- directory
    def sync_directory(self) -> None:
        """getAgenciesListQD20: both code forms of every agency (SR-005)."""
        if self.on("agency_directory_not_synced"):
            self._last_sync = time.monotonic()
            return
        rows = self.client.agencies()  # a failure leaves the sync due: the next loop tries again
        self._last_sync = time.monotonic()
        with self._dir_lock:
            self.directory = {}
            for r in rows:
                for code in (r.get("code102"), r.get("codeQD20"), r.get("code")):
                    if code:
                        self.directory[str(code)] = r
            me = self.directory.get(self.ctx.config.organ_id)
            self.own_codes = {self.ctx.config.organ_id} | (
                {str(me.get("codeQD20")), str(me.get("code102"))} if me else set()
            )

    def agency(self, code: str) -> dict[str, Any] | None:
        if self.on("agency_directory_not_synced"):
            return None
        with self._dir_lock:
            return self.directory.get(code)

    def my_codes(self) -> set[str]:
        """The agency's own codes: configured, and its other form learnt from the directory."""
        if self.on("agency_directory_not_synced"):
            return {self.ctx.config.organ_id}
        with self._dir_lock:
            return set(self.own_codes)

    # ----------------------------------------------------------------------------------- receiving
    def poll_once(self) -> bool:
        items = [("edoc", it) for it in self.client.received("edoc")]
        if not self.on("status_messages_not_polled"):
            items += [("status", it) for it in self.client.received("status")]
        worked = False
        now = time.monotonic()
        for kind, item in items:
            did = str(item.get("docId") or item.get("id"))
            if self._retry_after.get(did, 0) > now:
                continue
            try:
                handled = self.handle(kind, did)
            except AxisUnavailable:
                self._retry_after[did] = time.monotonic() + 0.3
                continue
            except Exception:
                log.exception("handling %s", did)
                self._retry_after[did] = time.monotonic() + 2.0
                continue
            if handled:
                worked = True
                self._retry_after.pop(did, None)
            else:  # nothing to do until the axis changes its mind (e.g. never acknowledged on purpose)
                self._retry_after[did] = time.monotonic() + 1.0
        return worked

    def _handled(self, did: str) -> AxisDelivery | None:
        with self.ctx.sessions() as s:
            return s.get(AxisDelivery, did)

    def _remember(
        self, did: str, kind: str, outcome: str, reason: str | None, incoming_id: int | None
    ) -> None:
        with self.ctx.sessions() as s:
            row = s.get(AxisDelivery, did) or AxisDelivery(delivery_id=did, messagetype=kind)
            row.outcome, row.reason, row.incoming_id = outcome, reason, incoming_id
            row.handled_at = iso(self.ctx.clock.now())
            s.add(row)
            s.commit()

    def _ack(self, did: str, status: str, description: str = "") -> bool:
        if self.on("transport_status_not_updated"):
            return False
        if status == "fail" and self.on("unreadable_acknowledged_done"):
            status = "done"
        self.client.ack(did, status, description)
        return True

    def handle(self, kind: str, did: str) -> bool:
        """Handle one pending delivery; False when it stays pending on purpose."""
        done = self._handled(did)
        if done is not None and not self.on("duplicate_on_relisting"):
            return self._ack(did, "fail" if done.outcome == "failed" else "done", done.reason or "")
        data = self.client.get(did)
        try:
            pkg = edxml.read_package(
                data,
                hardened=not self.on("xml_parser_not_hardened"),
                prefix_only=self.on("prefix_dependent_parser"),
                check_organ_ids=not self.on("organ_id_not_validated"),
                check_content_ids=not self.on("content_id_mismatch_ignored"),
            )
        except edxml.Unreadable as exc:
            self._remember(did, kind, "failed", str(exc), None)
            return self._ack(did, "fail", str(exc))
        if pkg.kind == "status":
            self._on_status(pkg)
            self._remember(did, kind, "status", pkg.status_code, None)
            return self._ack(did, "done")
        self._on_document(did, kind, pkg, data)
        return self._ack(did, "done")

    def _original(self, pkg: edxml.Package) -> Original:
        return Original(
            pkg.from_organ_id,
            pkg.so_ky_hieu,
            pkg.promulgation_date or self.ctx.clock.today(),
            pkg.document_id,
        )

    def _checks(self, pkg: edxml.Package, data: bytes) -> list[str]:
        """Why a document cannot be accepted (NĐ 30 Điều 21.2.a–b), in the words the sender gets."""
        problems = list(pkg.problems)
        if pkg.to and not self.on("wrong_recipient_accepted") and not (set(pkg.to) & self.my_codes()):
            problems.insert(
                0, f"gửi sai nơi nhận: văn bản gửi {', '.join(pkg.to)}, không phải {self.ctx.config.organ_id}"
            )
        if self.on("unknown_elements_rejected"):
            root = edxml.parse_xml(data)
            mh = root.find(f".//{{{edxml.NS}}}MessageHeader")
            extra = [
                c.tag.split("}")[-1]
                for c in (mh if mh is not None else [])
                if c.tag.split("}")[-1] not in KNOWN_HEADER
            ]
            if extra:
                problems.append(f"gói tin có phần tử không được hỗ trợ: {', '.join(extra)}")
        if self.on("trace_headers_strict"):
            root = edxml.parse_xml(data)
            for th in root.iter(f"{{{edxml.NS}}}TraceHeader"):
                organ = (th.findtext(f"{{{edxml.NS}}}OrganId") or "").strip()
                if not edxml.ORGAN_RE.match(organ):
                    problems.append(f"vết chuyển có mã cơ quan không hợp lệ: {organ!r}")
        if pkg.has_signature:
            ok, why = edxml.verify_xmldsig(data)
            if self.on("xmldsig_valid_rejected"):
                ok, why = False, "không hỗ trợ gói tin có chữ ký XML"
            if not ok:
                problems.append(f"chữ ký số của gói tin không hợp lệ: {why}")
        if pkg.business in (0, 3) and not problems:
            problems += self._attachment_checks(pkg)
        return problems

    def _attachment_checks(self, pkg: edxml.Package) -> list[str]:
        """A legally valid e-document needs a signed main PDF (NĐ 30 Điều 5.1), verified (Điều 21.2.a)."""
        main = next(
            (a for a in pkg.attachments if a.content_type == "application/pdf" or a.data[:5] == b"%PDF-"),
            None,
        )
        if main is None:
            return (
                []
                if self.on("unsigned_document_accepted")
                else ["gói tin không có văn bản chính định dạng PDF đã ký số"]
            )
        verdict = self.pdf.verify(main.data)
        if not verdict.signed:
            return [] if self.on("unsigned_document_accepted") else [verdict.reason]
        if not verdict.valid and not self.on("pdf_signature_not_checked"):
            return [verdict.reason]
        return []

    def _on_document(self, did: str, kind: str, pkg: edxml.Package, data: bytes) -> None:
        original = self._original(pkg)
        if not self.on("status_01_not_sent"):
            self.send_status(original, "01", STATUS_TEXT["01"])
        problems = self._checks(pkg, data)
        if problems:
            reason = "; ".join(problems)
            text = "" if self.on("reject_without_reason") else f"Từ chối tiếp nhận: {reason}"
            self.send_status(original, "02", text)
            self._remember(did, kind, "rejected", reason, None)
            return
        if pkg.business == 1 and not self.on("recall_ignored"):
            self._revoke(did, kind, pkg)
            return
        if pkg.business == 2 and not self.on("update_creates_new_record"):
            self._update(did, kind, pkg)
            return
        self._register(did, kind, pkg, data)

    def _find(
        self, s: Session, document_id: str, from_organ_id: str | None = None
    ) -> IncomingDocument | None:
        q = select(IncomingDocument).where(IncomingDocument.document_id == document_id)
        if from_organ_id:
            q = q.where(IncomingDocument.from_organ_id == from_organ_id)
        return s.scalars(q.order_by(IncomingDocument.id)).first()

    def _register(self, did: str, kind: str, pkg: edxml.Package, data: bytes) -> None:
        """Vào sổ văn bản đến (NĐ 30 Điều 22): the next số đến of the year, then status 03."""
        ctx = self.ctx
        now = ctx.clock.now()
        with ctx.write_lock, ctx.sessions() as s:
            twin = (
                None
                if self.on("duplicate_document_id_registered")
                else (
                    self._find(s, pkg.document_id)
                    or s.scalars(
                        select(IncomingDocument).where(
                            IncomingDocument.from_organ_id == pkg.from_organ_id,
                            IncomingDocument.code_number == pkg.code_number,
                            IncomingDocument.code_notation == pkg.code_notation,
                        )
                    ).first()
                )
            )
            if twin is not None:  # NĐ 30 PL VI III.1.h: warn, never a silent duplicate
                twin.warnings = [
                    *twin.warnings,
                    f"Nhận trùng văn bản {pkg.so_ky_hieu} của {pkg.from_organ_id} "
                    f"(mã định danh {pkg.document_id}) lúc {iso(now)}; không vào sổ lần nữa",
                ]
                s.commit()
                self._remember(did, kind, "duplicate", "trùng mã định danh hoặc số, ký hiệu", twin.id)
                return
            year = now.year
            last = s.scalar(
                select(func.max(IncomingDocument.arrival_number)).where(IncomingDocument.arrival_year == year)
            )
            number = (last or 0) + (2 if self.on("arrival_number_gaps") and last else 1)
            replaced = None
            if pkg.business == 3 and not self.on("replace_not_linked"):
                for rid in pkg.replaced_ids:
                    replaced = self._find(s, rid, pkg.from_organ_id)
                    if replaced is not None:
                        break
            doc = IncomingDocument(
                arrival_year=year,
                arrival_number=number,
                arrival_date=iso(now),
                document_id=pkg.document_id,
                from_organ_id=pkg.from_organ_id,
                from_organ_name=pkg.from_organ_name or pkg.from_organ_id,
                code_number=pkg.code_number,
                code_notation=pkg.code_notation,
                so_ky_hieu=pkg.so_ky_hieu,
                type_name=pkg.type_name,
                subject=pkg.subject,
                promulgation_date=pkg.promulgation_date or now.date(),
                due_date=pkg.due_date,
                priority=pkg.priority,
                paper_expected=bool(pkg.paper),
                page_amount=pkg.page_amount,
                signer=pkg.signer,
                status="da_vao_so",
                warnings=[],
                attachments=[
                    {
                        "content_id": a.content_id,
                        "name": a.name,
                        "content_type": a.content_type,
                        "zipped": a.zipped,
                        "size": len(a.data),
                        "sha256": hashlib.sha256(a.data).hexdigest(),
                    }
                    for a in pkg.attachments
                ],
                signatures=[],
                history=[{"action": "vao_so", "at": iso(now), "by": "van_thu"}],
                replaces_id=replaced.id if replaced else None,
                axis_delivery_id=did,
                package_sha256=hashlib.sha256(data).hexdigest(),
                package=data,
            )
            s.add(doc)
            s.flush()
            if replaced is not None:
                replaced.status = "thay_the"
                replaced.replaced_by_id = doc.id
                replaced.history = [
                    *replaced.history,
                    {"action": "bi_thay_the", "at": iso(now), "by_id": doc.id},
                ]
            s.commit()
            doc_id = doc.id
        self._remember(did, kind, "registered", None, doc_id)
        if not self.on("status_03_never_sent"):
            self.send_status(self._original(pkg), "03", f"{STATUS_TEXT['03']}, số đến {number}")

    def _revoke(self, did: str, kind: str, pkg: edxml.Package) -> None:
        """Thu hồi (NĐ 30 Điều 18.4.b): cancel the named document and tell the sender (15)."""
        target_id = pkg.business_document_id or pkg.document_id
        now = self.ctx.clock.now()
        with self.ctx.write_lock, self.ctx.sessions() as s:
            doc = self._find(s, target_id, pkg.from_organ_id)
            if doc is not None:
                doc.status = "thu_hoi"
                doc.history = [
                    *doc.history,
                    {"action": "thu_hoi", "at": iso(now), "reason": pkg.business_reason},
                ]
                s.commit()
                original = Original(doc.from_organ_id, doc.so_ky_hieu, doc.promulgation_date, doc.document_id)
        self._remember(did, kind, "revoke", target_id, doc.id if doc else None)
        if doc is None:
            self.send_status(
                self._original(pkg), "16", f"Từ chối yêu cầu thu hồi: không có văn bản {target_id}"
            )
            return
        self.send_status(original, "15", f"{STATUS_TEXT['15']}: văn bản đã được hủy trên hệ thống")

    def _update(self, did: str, kind: str, pkg: edxml.Package) -> None:
        """Cập nhật: change the named document's metadata in place (no new record), then 15."""
        target_id = pkg.business_document_id or pkg.document_id
        now = self.ctx.clock.now()
        with self.ctx.write_lock, self.ctx.sessions() as s:
            doc = self._find(s, target_id, pkg.from_organ_id)
            if doc is not None:
                if pkg.document_info_changed:
                    doc.subject, doc.type_name = pkg.subject, pkg.type_name
                    doc.due_date, doc.priority = pkg.due_date, pkg.priority
                doc.history = [
                    *doc.history,
                    {"action": "cap_nhat", "at": iso(now), "reason": pkg.business_reason},
                ]
                s.commit()
                original = Original(doc.from_organ_id, doc.so_ky_hieu, doc.promulgation_date, doc.document_id)
        self._remember(did, kind, "update", target_id, doc.id if doc else None)
        if doc is None:
            self.send_status(
                self._original(pkg), "16", f"Từ chối yêu cầu cập nhật: không có văn bản {target_id}"
            )
            return
        self.send_status(original, "15", f"{STATUS_TEXT['15']}: đã cập nhật thông tin văn bản")

    def _on_status(self, pkg: edxml.Package) -> None:
        if pkg.status_code == "13":
            self._retrieval(pkg)
            return
        if self.on("outgoing_status_not_tracked"):
            return
        with self.ctx.write_lock, self.ctx.sessions() as s:
            sent = s.scalars(
                select(SentPackage)
                .where(SentPackage.document_id == pkg.response_for_document_id, SentPackage.business == 0)
                .order_by(SentPackage.id.desc())
            ).first()
            if sent is None:
                return
            entry = {"code": pkg.status_code, "description": pkg.description, "at": iso(self.ctx.clock.now())}
            recipients = [dict(r) for r in sent.recipients]
            for r in recipients:
                if pkg.from_organ_id in (r.get("organ_id"), r.get("code_qd20")):
                    r["statuses"] = [*r.get("statuses", []), entry]
            sent.recipients = recipients
            s.commit()

    def _retrieval(self, pkg: edxml.Package) -> None:
        """Yêu cầu lấy lại (13): agree (15) while nobody handles the document yet, else refuse (16)."""
        if self.on("retrieval_request_unanswered"):
            return
        now = self.ctx.clock.now()
        with self.ctx.write_lock, self.ctx.sessions() as s:
            doc = self._find(s, pkg.response_for_document_id, pkg.from_organ_id)
            if doc is None:
                original = Original(
                    pkg.response_for_organ_id, pkg.response_for_code, now.date(), pkg.response_for_document_id
                )
                code, text = "16", "Từ chối yêu cầu lấy lại: không có văn bản này trên hệ thống"
            else:
                original = Original(doc.from_organ_id, doc.so_ky_hieu, doc.promulgation_date, doc.document_id)
                if doc.status == "da_vao_so":
                    doc.status = "thu_hoi"
                    doc.history = [
                        *doc.history,
                        {"action": "lay_lai", "at": iso(now), "reason": pkg.description},
                    ]
                    code, text = "15", f"{STATUS_TEXT['15']}: văn bản đã được hủy trên hệ thống"
                else:
                    code, text = "16", "Từ chối yêu cầu lấy lại: văn bản đã được phân công xử lý"
                s.commit()
        self.send_status(original, code, text)

    # ----------------------------------------------------------------------------------- sending
    def send_document(
        self, doc: Any, recipients: list[dict[str, Any]], business: int = 0, reason: str = ""
    ) -> SentPackage:
        """Send an outgoing document (văn bản đi) to its recipients over the axis, retrying on failure.

        ``business`` 1 sends a recall (thu hồi) of a document sent before (NĐ 30 Điều 18.4.b).
        The package and its outcome are kept (the original stays on the issuer's system, Điều 19.2).
        """
        cfg, now = self.ctx.config, self.ctx.clock.now()
        to: list[tuple[str, str]] = []
        for r in recipients:
            code = str(r.get("organ_id") or "")
            row = self.agency(code)
            if row is None and not self.on("agency_directory_not_synced"):
                self.sync_directory()
                row = self.agency(code)
            name = str(r.get("organ_name") or (row or {}).get("name") or "")
            if not name:
                raise LookupError(f"cơ quan {code} không có trong danh bạ trục liên thông")
            to.append((code, name))
        number = str(doc.code_number or "")
        pdf = self._main_pdf(doc, number)
        attachments = [("cid:1", f"{number}-{doc.code_notation}.pdf", "application/pdf", pdf)]
        if self.on("outbound_manifest_mismatch"):
            attachments.append(("cid:2", "Phụ lục.pdf", "application/pdf", pdf))
        from_id = cfg.organ_id
        if self.on("outbound_agency_code_form"):
            me = self.agency(cfg.organ_id)
            from_id = str((me or {}).get("codeQD20") or cfg.organ_id)
        document_id = doc.doc_code
        if self.on("outbound_document_id_uuid"):
            import uuid

            document_id = str(uuid.uuid5(uuid.NAMESPACE_URL, doc.doc_code))
        type_code, detail = _document_type(doc.type_name)
        package = edxml.build_document(
            edxml.Outgoing(
                from_organ_id=from_id,
                from_organ_name=cfg.organ_name,
                to=to,
                code_number=number,
                code_notation=doc.code_notation,
                place=cfg.place,
                promulgation_date=doc.issued_date,
                type_code=type_code,
                type_detail=detail,
                type_name=doc.type_name,
                subject=doc.subject,
                signer_competence="TM. ỦY BAN NHÂN DÂN",
                signer_position=doc.signer_position or "CHỦ TỊCH",
                signer_name=doc.signer_full_name or "Nguyễn Văn An",
                due_date=doc.due_date,
                priority=doc.priority,
                issued_amount=doc.issued_amount or len(to) + 1,
                page_amount=doc.page_amount,
                document_id=document_id,
                trace_organ_id=from_id,
                timestamp=now.replace(tzinfo=None),
                business=business,
                business_reason=reason
                or ("Văn bản điện tử mới" if business == 0 else "Thu hồi văn bản điện tử"),
                business_document_id=(
                    None if business == 1 and self.on("recall_package_without_target") else document_id
                )
                if business
                else None,
                staff=STAFF,
                attachments=attachments,
            )
        )
        if self.on("outbound_manifest_mismatch"):  # the appendix travels under a ContentId the manifest lacks
            package = package.replace(b"<ContentId>cid:2</ContentId>", b"<ContentId>cid:9</ContentId>")
        attempts = 1 if self.on("send_no_retry") else 4
        sent = SentPackage(
            outgoing_id=doc.id,
            business=business,
            document_id=document_id,  # as written in the package: statuses name the document by it
            state="loi",
            recipients=[{"organ_id": c, "organ_name": n, "statuses": []} for c, n in to],
            sent_at=iso(now),
            package_sha256=hashlib.sha256(package).hexdigest(),
            package=package,
        )
        try:
            out, used = self._send_with_retry(package, "edoc", attempts)
            sent.state, sent.attempts, sent.axis_doc_id = "da_gui", used, str(out.get("DocId"))
            by_code = {x.get("to"): x.get("docId") for x in out.get("receivers") or []}
            sent.recipients = [{**r, "delivery_id": by_code.get(r["organ_id"])} for r in sent.recipients]
        except (AxisUnavailable, AxisRefused) as exc:
            sent.attempts, sent.error = attempts, f"Gửi văn bản qua trục thất bại: {exc}"
        with self.ctx.write_lock, self.ctx.sessions() as s:
            s.add(sent)
            s.commit()
        return sent

    def _main_pdf(self, doc: Any, number: str) -> bytes:
        """The main document as PDF, signed by the competent person, then by the agency (NĐ 30 Điều 13.7)."""
        cfg = self.ctx.config
        lines = [
            cfg.organ_name.upper(),
            f"Số: {number}/{doc.code_notation}",
            f"{cfg.place}, ngày {doc.issued_date:%d} tháng {doc.issued_date:%m} năm {doc.issued_date:%Y}",
            doc.type_name.upper(),
            doc.subject[:90],
            "",
            doc.signer_position or "CHỦ TỊCH",
            doc.signer_full_name or "Nguyễn Văn An",
        ]
        pdf = make_pdf(lines)
        if not self.pdf.available:
            return pdf
        order = (
            ("organisation", "personal")
            if self.on("outbound_signature_order")
            else ("personal", "organisation")
        )
        return self.pdf.sign(pdf, order)

    # ----------------------------------------------------------------------------------- statuses
    def send_status(self, original: Original, code: str, description: str) -> None:
        """A status package to the issuer of ``original`` (edxml.md §9.2), retried on transport trouble."""
        now = self.ctx.clock.now()
        if self.on("status_timestamp_utc"):
            now = now.astimezone(dt.UTC)
        data = edxml.build_status(
            from_organ_id=self.ctx.config.organ_id,
            from_organ_name=self.ctx.config.organ_name,
            original_organ_id=original.organ_id,
            original_code=original.so_ky_hieu.split("/", 1)[-1]
            if self.on("status_response_for_code_wrong")
            else original.so_ky_hieu,
            original_date=original.date,
            original_document_id=original.document_id,
            code=code,
            description=description,
            timestamp=now.replace(tzinfo=None),
            staff=None if self.on("status_staff_info_missing") else STAFF,
        )
        try:
            self._send_with_retry(data, "status", attempts=3)
        except AxisRefused as exc:  # the axis will not carry it: note it, never block the package
            log.warning("status %s refused by the axis: %s", code, exc)
            self.state["last_status_error"] = f"{code}: {exc}"

    def _send_with_retry(self, data: bytes, messagetype: str, attempts: int) -> tuple[dict[str, Any], int]:
        last: Exception | None = None
        for i in range(attempts):
            try:
                return self.client.send(data, messagetype), i + 1
            except AxisUnavailable as exc:
                last = exc
                if i + 1 < attempts:
                    time.sleep(0.05 * 2**i)
        assert last is not None
        raise last


# NĐ 30 Điều 7 names → edXML Type/TypeDetail (edxml.md §10.5 list B; OQ-16: Type 2 for administrative)
_LIST_B = {
    "nghị quyết": 1,
    "quyết định": 2,
    "chỉ thị": 3,
    "quy chế": 4,
    "quy định": 5,
    "thông cáo": 6,
    "thông báo": 7,
    "hướng dẫn": 8,
    "chương trình": 9,
    "kế hoạch": 10,
    "phương án": 11,
    "đề án": 12,
    "dự án": 13,
    "báo cáo": 14,
    "biên bản": 15,
    "tờ trình": 16,
    "hợp đồng": 17,
    "công văn": 18,
    "công điện": 19,
    "bản ghi nhớ": 20,
    "bản thỏa thuận": 22,
    "giấy ủy quyền": 24,
    "giấy mời": 25,
    "giấy giới thiệu": 26,
    "giấy nghỉ phép": 27,
    "phiếu gửi": 28,
    "phiếu chuyển": 29,
    "phiếu báo": 30,
    "thư công": 31,
}
_LIST_A = {
    "hiến pháp": 1,
    "luật": 2,
    "pháp lệnh": 3,
    "lệnh": 4,
    "nghị định": 7,
    "thông tư": 9,
    "thông tư liên tịch": 10,
}


def _document_type(name: str) -> tuple[int, int | None]:
    key = " ".join(name.casefold().split())
    if key in _LIST_A:
        return 1, _LIST_A[key]
    return 2, _LIST_B.get(key)
