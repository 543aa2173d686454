"""The exchange driver: ``exchange.*`` operations performed on the simulated axis, recorded as evidence.

Why a driver of its own: the exchange criteria act on the axis, not on the vendor's API — a peer
delivers a document, the harness waits for the vendor's status packages, reads what the vendor
sent, injects a transport fault — so they need only the target's ``exchange:`` block, no operation
bindings. Like the HTTP driver it only acts and records: each record holds what was done, the axis
facts observed (delivery, transport status, journal calls) and every package the vendor sent, in
full, so judges decide from records alone and ``rejudge`` needs nothing else. Packages the harness
itself delivered are recorded by SHA-256 and header (the axis journal keeps their bytes).

Waiting is bounded by the target's ``exchange.timeouts`` and is event-driven (the axis holds the
owner request until something arrives), so a fast system costs milliseconds, not poll intervals.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import secrets
import time
from collections.abc import Callable
from typing import Any

from conformance.axis import corpus, harness, mutants, peers
from conformance.axis.client import OwnerClient, OwnerError
from conformance.axis.directory import PEER
from conformance.evidence.redact import Redactor
from conformance.standards.edxml import model as m
from conformance.standards.edxml import read_package
from conformance.target import Target
from conformance.target_exchange import ExchangeConfig

__all__ = ["OPERATIONS", "ExchangeDriver", "is_exchange", "needs_exclusive"]

VN = dt.timezone(dt.timedelta(hours=7))
HEAD_LIMIT = 20_000  # characters of a delivered package's header kept in the record
TEXT_LIMIT = 2_000_000  # characters of a package the vendor sent kept in full (beyond: hash only)


def is_exchange(op: str) -> bool:
    """Operations performed on the axis rather than through a target binding."""
    return op.startswith("exchange.")


def needs_exclusive(op: str) -> bool:
    """Operations that change the axis for everyone (faults, credentials), or that ask for the system to
    themselves (``exchange.exclusive``: e.g. consecutive numbers): their criterion runs alone."""
    return op in ("exchange.inject", "exchange.credentials", "exchange.relist", "exchange.exclusive")


def _text(data: bytes, limit: int) -> dict[str, Any]:
    """A package for a record: SHA-256, size and its text (UTF-8) or base64 when not text."""
    import hashlib

    out: dict[str, Any] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    if len(data) > limit:
        out["truncated"] = True
        return out
    try:
        out["text"] = data.decode("utf-8")
    except UnicodeDecodeError:
        out["base64"] = base64.b64encode(data).decode("ascii")
    return out


def _head(data: bytes) -> str:
    """The package up to its attachments (what identifies it), for the record."""
    cut = data.find(b"<AttachmentEncoded")
    head = data[: cut if cut > 0 else HEAD_LIMIT][:HEAD_LIMIT]
    return head.decode("utf-8", "replace")


def _status_view(view: dict[str, Any], data: bytes) -> dict[str, Any]:
    """What a judge needs of one status package the vendor sent (the package itself included)."""
    out: dict[str, Any] = {
        "seq": view.get("seq"),
        "doc_id": view.get("doc_id"),
        "sent_time": view.get("sent_time"),
        "code": view.get("status_code"),
        "document_id": view.get("document_id"),
        "package": _text(data, TEXT_LIMIT),
    }
    try:
        pkg = read_package(data, load_attachments=False)
    except Exception as exc:  # the vendor's package is hostile until proven otherwise
        out["read_error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
        return out
    if isinstance(pkg, m.StatusPackage):
        rf = pkg.response_for
        out.update(
            code=pkg.status_code,
            description=pkg.description,
            timestamp=pkg.timestamp.isoformat(),
            from_organ_id=pkg.from_.organ_id,
            response_for={
                "organ_id": rf.organ_id,
                "code": rf.code,
                "promulgation_date": rf.promulgation_date.isoformat() if rf.promulgation_date else None,
                "document_id": rf.document_id,
            },
            staff={
                "department": pkg.staff_info.department,
                "staff": pkg.staff_info.staff,
                "mobile": pkg.staff_info.mobile,
                "email": pkg.staff_info.email,
            },
        )
    return out


class _Failed(Exception):
    """An exchange operation could not be performed (recorded as the step's error)."""


class ExchangeDriver:
    """Performs ``exchange.*`` operations for one target; one instance per process."""

    def __init__(self, target: Target, redactor: Redactor) -> None:
        if target.exchange is None:
            raise ValueError("target has no exchange block")
        self.config: ExchangeConfig = target.exchange
        self.redactor = redactor
        self._owner: OwnerClient | None = None
        self._salt = secrets.randbelow(900) + 100  # numbers differ between runs on one axis
        # what this driver delivered: a status that names its document badly is still found by
        # số/ký hiệu and issuer, so the judge (not the wait) decides whether ResponseFor is right
        self._delivered: dict[str, tuple[str, str]] = {}
        self._directory: list[dict[str, Any]] | None = None  # the axis directory, read once

    # -- plumbing ------------------------------------------------------------------------------------
    def owner(self) -> OwnerClient:
        if self._owner is None:
            url, token = self.config.url, self.config.owner_token
            if not url or not token:
                running = harness.current()
                if running is not None:
                    url, token = running.url, running.owner_token
            if not url or not token:
                raise _Failed("trục liên thông mô phỏng chưa chạy (không có địa chỉ của trục)")
            self.redactor.add(token)
            self._owner = OwnerClient(url, token, timeout=10)
        return self._owner

    def perform(
        self, op: str, inputs: dict[str, Any], role: str | None, run: dict[str, Any]
    ) -> dict[str, Any]:
        """Perform one operation; the record says what was done and what the axis saw."""
        fn: Callable[[dict[str, Any], dict[str, Any], dict[str, Any]], dict[str, Any]] | None = getattr(
            self, "_op_" + op.removeprefix("exchange."), None
        )
        rec: dict[str, Any] = {
            "operation": op,
            "inputs": inputs,
            "channel": "exchange",
            "vendor": {
                "organ_id": self.config.organ_id,
                "organ_name": self.config.organ_name,
                "system_id": self.config.system_id,
            },
            "outputs": {},
            "error": None,
        }
        t0 = time.perf_counter()
        if fn is None:
            rec["error"] = f"thao tác trục không tồn tại: {op}"
            return rec
        try:
            fn(inputs, run, rec)
        except (_Failed, OwnerError) as exc:
            rec["error"] = str(exc)
        except (ValueError, KeyError, TypeError, FileNotFoundError) as exc:
            rec["error"] = f"không thực hiện được {op}: {type(exc).__name__}: {exc}"
        rec["elapsed_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        return rec

    def _number(self, run: dict[str, Any]) -> str:
        """A document number unique in this run and between runs on one axis (≤ 11 digits)."""
        self._counter = getattr(self, "_counter", 0) + 1
        unique = int(str(run.get("unique") or "0")) % 10**5
        return f"{self._salt}{unique:05d}{self._counter % 100:02d}"

    def _timeout(self, inputs: dict[str, Any], default: float) -> float:
        v = inputs.get("timeout")
        return float(v) if isinstance(v, int | float) and v > 0 else default

    def _vendor_org(self) -> m.Organization:
        return m.Organization(self.config.organ_id, self.config.organ_name)

    def _agency(self, code: str) -> dict[str, Any]:
        for fresh in (False, True):
            if fresh or self._directory is None:
                self._directory = self.owner().request("GET", "agencies")["agencies"]
            for a in self._directory:
                if code in (a["code102"], a["codeQD20"]):
                    return a
        raise _Failed(f"cơ quan {code} không có trong danh bạ của trục")

    # -- peers deliver ---------------------------------------------------------------------------------
    def _op_deliver(self, inputs: dict[str, Any], run: dict[str, Any], rec: dict[str, Any]) -> None:
        owner = self.owner()
        if inputs.get("same_as"):  # the very same bytes again, as a new axis message (a duplicate)
            view = owner.request("POST", "redeliver", json_body={"doc_id": str(inputs["same_as"])})
            rec["axis"] = view
            rec["outputs"] = {
                "delivery_id": view["deliveries"][0]["id"],
                "doc_id": view["doc_id"],
                "seq": view["seq"],
                "document_id": view.get("document_id"),
                "so_ky_hieu": view.get("notation"),
                "sha256": view["sha256"],
                "delivered_at": view["sent_time"],
            }
            return
        peer_code = str(inputs.get("peer") or PEER)
        peer = self._agency(peer_code)
        sender_id = str(inputs.get("from_organ_id") or peer["code102"])
        sender = m.Organization(sender_id, peer["name"])
        vendor = self._vendor_org()
        if inputs.get("to_form") == "qd20":
            vendor = m.Organization(self._agency(self.config.organ_id)["codeQD20"], vendor.organ_name)
        to = [vendor]
        if inputs.get("to"):
            other = self._agency(str(inputs["to"]))
            to = [m.Organization(other["code102"], other["name"])]
        number = str(inputs.get("number") or self._number(run))
        business = str(inputs.get("business") or "new")
        doc_type = {
            "new": m.BussinessDocType.NEW,
            "revoke": m.BussinessDocType.REVOKE,
            "update": m.BussinessDocType.UPDATE,
            "replace": m.BussinessDocType.REPLACE,
        }.get(business)
        if doc_type is None:
            raise _Failed(f"loại nghiệp vụ không biết: {business}")
        today = dt.datetime.now(VN).date()
        due = inputs.get("due_in_days")
        kind = str(inputs.get("attachment") or "signed_pdf")
        document_info = None
        if doc_type == m.BussinessDocType.UPDATE:
            document_info = m.BussinessDocumentInfo(document_info=1, document_receiver=0)
        document_id = None
        if inputs.get("document_id_form") == "uuid":
            import uuid

            document_id = str(uuid.uuid4())
        if inputs.get("same_document_id"):
            document_id = str(inputs["same_document_id"])
        xml = peers.build_edoc(
            sender,
            to,
            number=number,
            notation=str(inputs.get("notation") or "UBND-VP"),
            subject=str(inputs.get("subject") or f"V/v phối hợp thử nghiệm liên thông văn bản số {number}"),
            date=today,
            doc_type=doc_type,
            reason=inputs.get("reason"),
            attachments=mutants.attachment(kind, inputs.get("attachment_name")),
            due_date=today + dt.timedelta(days=int(due)) if isinstance(due, int) else None,
            priority=int(inputs.get("priority") or 0),
            paper=int(inputs.get("paper") or 0),
            target_document_id=inputs.get("target_document_id"),
            document_info=document_info,
            document_id=document_id,
        )
        data = mutants.variant(str(inputs.get("variant") or "valid"), xml)
        if inputs.get("mutation"):  # one entry of the recorded malformed-package corpus
            data = corpus.apply(data, dict(inputs["mutation"]))
        view = owner.deliver(data, self.config.organ_id, sender=peer["code102"], messagetype="edoc")
        try:
            pkg = read_package(xml, load_attachments=False)
            assert isinstance(pkg, m.DocumentPackage)
            document_id_out, so_ky_hieu = pkg.message_header.document_id, pkg.message_header.code.so_ky_hieu
            subject = pkg.message_header.subject
        except Exception:
            document_id_out = so_ky_hieu = subject = None
        rec["package"] = {**_text(data, 0), "head": _head(data)}
        rec["axis"] = view
        if document_id_out and so_ky_hieu:
            self._delivered[document_id_out] = (so_ky_hieu, sender.organ_id)
        rec["outputs"] = {
            "delivery_id": view["deliveries"][0]["id"],
            "doc_id": view["doc_id"],
            "seq": view["seq"],
            "document_id": document_id_out,
            "so_ky_hieu": so_ky_hieu,
            "code_number": number,
            "subject": subject,
            "peer": peer["code102"],
            "sha256": view["sha256"],
            "delivered_at": view["sent_time"],
            "due_date": (today + dt.timedelta(days=int(due))).isoformat() if isinstance(due, int) else None,
        }

    def _op_deliver_corpus(self, inputs: dict[str, Any], run: dict[str, Any], rec: dict[str, Any]) -> None:
        """Every package of the recorded malformed corpus (``corpus.json``), then the answer to each."""
        entries = []
        for i, mut in enumerate(corpus.load()):
            d: dict[str, Any] = {"outputs": {}}
            self._op_deliver({"mutation": {k: mut[k] for k in ("op", "path", "value") if k in mut}}, run, d)
            entries.append(
                {"index": i, "mutation": mut, "delivered": d["outputs"], "sha256": d["package"]["sha256"]}
            )
        for e in entries:
            o = e["delivered"]
            w: dict[str, Any] = {"outputs": {}}
            self._op_await_status(
                {
                    "document_id": o["document_id"],
                    "after": o["seq"],
                    "delivery_id": o["delivery_id"],
                    "codes": ["02"],
                    "stop_on": ["02", "03"],
                },
                run,
                w,
            )
            d = self.owner().delivery(str(o["delivery_id"]))
            e.update(codes=w["outputs"]["codes"], transport=d["transport"], statuses=w.get("statuses"))
        rec["entries"] = entries
        refused = [
            e for e in entries if e["transport"] == "fail" or ("02" in e["codes"] and "03" not in e["codes"])
        ]
        rec["outputs"] = {"count": len(entries), "refused": len(refused)}

    def _op_recall(self, inputs: dict[str, Any], run: dict[str, Any], rec: dict[str, Any]) -> None:
        """The peer asks for a delivered document back with status 13 (a retrieval request)."""
        view = self.owner().recall(str(inputs["delivery_id"]), reason=inputs.get("reason"))
        rec["axis"] = {k: v for k, v in view.items() if k != "data"}
        rec["outputs"] = {
            "doc_id": view["doc_id"],
            "seq": view["seq"],
            "delivery_id": view["deliveries"][0]["id"],
        }

    def _op_peer_status(self, inputs: dict[str, Any], run: dict[str, Any], rec: dict[str, Any]) -> None:
        """The peer answers a document the vendor sent it with a business status."""
        view = self.owner().peer_status(
            str(inputs["doc_id"]),
            str(inputs["code"]),
            peer=inputs.get("peer"),
            description=inputs.get("description"),
        )
        rec["axis"] = {k: v for k, v in view.items() if k != "data"}
        rec["outputs"] = {
            "doc_id": view["doc_id"],
            "seq": view["seq"],
            "code": view["status_code"],
            "delivery_id": view["deliveries"][0]["id"],
        }

    # -- observe the vendor ---------------------------------------------------------------------------
    def _op_exclusive(self, inputs: dict[str, Any], run: dict[str, Any], rec: dict[str, Any]) -> None:
        """Nothing on the axis: the engine runs a criterion with this step alone (no delivery beside it)."""
        rec["outputs"] = {"exclusive": True}

    def _op_mark(self, inputs: dict[str, Any], run: dict[str, Any], rec: dict[str, Any]) -> None:
        rec["outputs"] = {
            "seq": self.owner().mark(),
            "at": dt.datetime.now(VN).isoformat(timespec="milliseconds"),
        }

    def _op_await_status(self, inputs: dict[str, Any], run: dict[str, Any], rec: dict[str, Any]) -> None:
        """Status packages the vendor sent about one document, until the wanted codes are in.

        Matched on ``ResponseFor/DocumentId`` (or, failing that, on ``ResponseFor/Code`` with the
        issuing peer), among status packages the vendor sent after ``after``. Waits until every
        code of ``codes`` arrived, or one of ``stop_on`` (default 02), then ``settle`` seconds more
        to catch duplicates; never longer than ``timeout``.
        """
        owner = self.owner()
        document_id = inputs.get("document_id")
        known = self._delivered.get(str(document_id), (None, None))
        so_ky_hieu, peer = inputs.get("so_ky_hieu") or known[0], inputs.get("peer") or known[1]
        after = int(inputs.get("after") or 0)
        wanted = [str(c) for c in inputs.get("codes") or []]
        stop_on = [str(c) for c in inputs.get("stop_on") or ["02"]]
        timeout = self._timeout(inputs, self.config.status_timeout_s)
        quiet = float(inputs["settle"]) if "settle" in inputs else self.config.settle_s
        settle = quiet if inputs.get("quiet") else 0.0
        delivery_id = inputs.get("delivery_id")
        t0 = time.monotonic()
        deadline = t0 + timeout
        found: list[dict[str, Any]] = []
        last = after
        done_at: float | None = None
        while True:
            now = time.monotonic()
            end = min(deadline, done_at + settle) if done_at is not None else deadline
            left = end - now
            if left <= 0:
                break
            if done_at is None and delivery_id:
                # the vendor acknowledged the package: what it had to say is said, bar a quiet time
                d = owner.delivery(str(delivery_id))
                if d["transport"] in ("done", "fail"):
                    done_at = time.monotonic()
                    settle = max(settle, quiet)
                    rec["acknowledged"] = d["transport"]
                    continue
            msgs = owner.messages(
                sender=self.config.organ_id,
                messagetype="status",
                after=last,
                count=1,
                wait=min(left, 0.25 if delivery_id and done_at is None else 5.0),
            )
            for v in msgs:
                last = max(last, int(v["seq"]))
                try:
                    data = base64.b64decode(v["data"], validate=True)
                except (KeyError, binascii.Error):
                    continue
                sv = _status_view(v, data)
                rf = sv.get("response_for") or {}
                if (document_id and rf.get("document_id") == document_id) or (
                    so_ky_hieu and rf.get("code") == so_ky_hieu and (not peer or rf.get("organ_id") == peer)
                ):
                    found.append(sv)
            codes = [s.get("code") for s in found]
            if done_at is None and (
                (wanted and all(c in codes for c in wanted)) or any(c in codes for c in stop_on)
            ):
                done_at = time.monotonic()
        codes = [s.get("code") for s in found]
        rec["statuses"] = found
        rec["expect"] = {"document_id": document_id, "so_ky_hieu": so_ky_hieu, "peer": peer, "after": after}
        rec["timed_out"] = (
            bool(wanted) and not all(c in codes for c in wanted) and not any(c in codes for c in stop_on)
        )
        rec["outputs"] = {
            "codes": codes,
            "count": len(found),
            "first_code": codes[0] if codes else None,
            "waited_s": round(time.monotonic() - t0, 3),
        }

    def _op_await_transport(self, inputs: dict[str, Any], run: dict[str, Any], rec: dict[str, Any]) -> None:
        """The vendor's transport acknowledgement of a delivery (``updateStatus`` done or fail)."""
        states = [str(s) for s in inputs.get("states") or ["done", "fail"]]
        timeout = self._timeout(inputs, self.config.transport_timeout_s)
        d = self.owner().delivery(str(inputs["delivery_id"]), states=states, wait=timeout)
        rec["delivery"] = d
        rec["outputs"] = {
            "transport": d["transport"],
            "fetched": d["fetched"],
            "listed": d["listed"],
            "acknowledged": d["transport"] in ("done", "fail"),
        }

    def _op_sent(self, inputs: dict[str, Any], run: dict[str, Any], rec: dict[str, Any]) -> None:
        """Document packages the vendor sent after ``after`` (waiting for ``count`` of them)."""
        owner = self.owner()
        after = int(inputs.get("after") or 0)
        count = int(inputs["count"]) if inputs.get("count") is not None else 1
        document_id, so_ky_hieu = inputs.get("document_id"), inputs.get("so_ky_hieu")
        business = inputs.get("business")
        # expecting nothing: watch for the quiet time only (a fast system would have sent by then)
        timeout = (
            self.config.settle_s * 3 if count == 0 else self._timeout(inputs, self.config.status_timeout_s)
        )
        deadline = time.monotonic() + timeout
        kept: list[dict[str, Any]] = []
        last = after
        settle_until: float | None = None
        while True:
            now = time.monotonic()
            end = min(deadline, settle_until) if settle_until is not None else deadline
            if now >= end:
                break
            msgs = owner.messages(
                sender=self.config.organ_id, messagetype="edoc", after=last, count=1, wait=min(end - now, 5.0)
            )
            for v in msgs:
                last = max(last, int(v["seq"]))
                data = base64.b64decode(v.get("data") or "")
                entry = {
                    "seq": v["seq"],
                    "doc_id": v["doc_id"],
                    "sent_time": v["sent_time"],
                    "document_id": v.get("document_id"),
                    "to": [d["to"] for d in v.get("deliveries") or []],
                    "delivery_ids": [d["id"] for d in v.get("deliveries") or []],
                    "package": _text(data, TEXT_LIMIT),
                }
                try:
                    pkg = read_package(data, load_attachments=False)
                    bdt = (
                        int(pkg.trace_header_list.bussiness.bussiness_doc_type)
                        if isinstance(pkg, m.DocumentPackage)
                        else None
                    )
                except Exception:
                    bdt = None
                entry["business"] = bdt
                named = (document_id and v.get("document_id") == document_id) or (
                    so_ky_hieu and v.get("notation") == so_ky_hieu
                )
                if (document_id or so_ky_hieu) and not named and business is None:
                    continue
                if business is not None and bdt != {"new": 0, "revoke": 1, "update": 2, "replace": 3}.get(
                    str(business)
                ):
                    continue
                kept.append(entry)
            if settle_until is None and len(kept) >= count and count > 0:
                settle_until = time.monotonic() + (self.config.settle_s if inputs.get("quiet") else 0.0)
        rec["packages"] = kept
        rec["outputs"] = {
            "count": len(kept),
            "doc_id": kept[0]["doc_id"] if kept else None,
            "delivery_id": kept[0]["delivery_ids"][0] if kept and kept[0]["delivery_ids"] else None,
            "document_id": kept[0]["document_id"] if kept else None,
            "document_ids": [k["document_id"] for k in kept],
            "to": sorted({t for k in kept for t in k["to"]}),
        }

    def _op_journal(self, inputs: dict[str, Any], run: dict[str, Any], rec: dict[str, Any]) -> None:
        """The vendor's calls to the axis after ``after`` (authenticated or refused)."""
        after = int(inputs.get("after") or 0)
        wait = float(inputs.get("wait") or 0)
        if wait:
            time.sleep(min(wait, 30.0))
        entries = [
            e
            for e in self.owner().journal(after=after, kind="call")
            if e.get("agency") == self.config.organ_id or e.get("system_id") == self.config.system_id
        ]
        rec["entries"] = entries
        ops = [e["op"] for e in entries]
        rec["outputs"] = {
            "count": len(entries),
            "ops": sorted(set(ops)),
            "refused": sum(1 for e in entries if e.get("http", 200) == 401),
            "failed": sum(1 for e in entries if e.get("http", 200) >= 400),
        }

    # -- steer the axis --------------------------------------------------------------------------------
    def _op_inject(self, inputs: dict[str, Any], run: dict[str, Any], rec: dict[str, Any]) -> None:
        """Transport faults: FAIL the vendor's next calls of an operation, hold replies, or clear."""
        spec: dict[str, Any] = {}
        if inputs.get("clear"):
            spec["clear"] = True
        if inputs.get("fail_op"):
            spec["fail"] = {
                "op": inputs["fail_op"],
                "times": int(inputs.get("times") or 1),
                "agency": self.config.organ_id,
                "status": inputs.get("status"),
            }
        if inputs.get("delay_s"):
            spec["delay"] = {
                "seconds": float(inputs["delay_s"]),
                "ops": inputs.get("delay_ops"),
                "count": inputs.get("times"),
                "before": bool(inputs.get("before")),
            }
        if not spec:
            raise _Failed("exchange.inject: không có lỗi nào được chỉ định")
        self.owner().faults(**spec)
        rec["outputs"] = {"injected": spec}

    def _op_relist(self, inputs: dict[str, Any], run: dict[str, Any], rec: dict[str, Any]) -> None:
        """List a delivery the vendor already fetched (or acknowledged) again, under the same id."""
        self.owner().relist(str(inputs["delivery_id"]))
        rec["outputs"] = {"delivery_id": inputs["delivery_id"]}

    def _op_credentials(self, inputs: dict[str, Any], run: dict[str, Any], rec: dict[str, Any]) -> None:
        """Make the vendor's secret wrong at the axis (``valid: false``) or right again."""
        secret = self.config.secret()
        if not secret:
            raise _Failed(f"biến môi trường {self.config.secret_env} chưa được đặt")
        valid = inputs.get("valid", True) is not False
        use = secret if valid else secrets.token_urlsafe(18)
        self.redactor.add(use)
        self.owner().credentials(self.config.organ_id, use, system_id=self.config.system_id)
        rec["outputs"] = {"valid": valid}

    def _op_add_agency(self, inputs: dict[str, Any], run: dict[str, Any], rec: dict[str, Any]) -> None:
        """A new agency appears in the axis directory (both code forms)."""
        a = self.owner().add_agency(
            str(inputs["code102"]), str(inputs["name"]), code_qd20=inputs.get("code_qd20")
        )
        rec["outputs"] = {"code102": a["code102"], "code_qd20": a["codeQD20"], "name": a["name"]}


OPERATIONS = tuple(n.removeprefix("_op_") for n in dir(ExchangeDriver) if n.startswith("_op_"))
