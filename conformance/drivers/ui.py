"""The UI driver: abstract operations performed through the vendor's web pages, as a person would.

Where a target binds an operation with ``ui:`` (see ``conformance.drivers.ui_flow`` for the step
language), the engine hands the call here instead of to the HTTP driver. What it guarantees:

- **One browser per process** (per xdist worker): the system Chromium with the harness's flags
  (``conformance.report.browser.launch_chromium``), driven from a thread of its own. Playwright's
  sync API runs an event loop in the thread that starts it, and there ``asyncio.run`` then fails —
  which pyHanko (PDF signature judges, report signing) uses; the main thread stays free for them.
- **A fresh browser context per criterion**, so nothing leaks between criteria; its Playwright
  **trace** (DOM snapshots and network of every step) is stored as the criterion's evidence and
  hashed into the manifest, with every secret masked inside it.
- **Login once per role** through the target's ``ui.login`` flow; the session (cookies, local
  storage) is kept in memory only and injected into each criterion's context; its values are secrets
  for redaction. Changing role within a criterion swaps the session, like logging out and in.
- **A time-out on every step** (the target's ``ui.timeouts.step``, or ``timeout:`` on the step).
- **A screenshot per step** (JPEG; steps that only read point at the screenshot of the state they
  read), attached to the criterion's evidence; the report shows the last one when the criterion fails.
- **Honest outcomes.** After a submit, ``outcome`` waits for the binding's accepted or rejected sign.
  A form that refuses input by itself (a ``maxlength`` that cuts the text, a list without the value,
  browser validation that blocks the submit) counts as a refusal, with the reason in the record: a
  conforming UI may stop bad input before the server sees it.

The record of a call has the HTTP record's shape where it matters to judges (``operation``,
``inputs``, ``as``, ``outputs``, ``error``), ``channel: "ui"`` and a ``ui`` block with the outcome,
the final URL and every step with its screenshot.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import hashlib
import io
import mimetypes
import queue
import re
import tempfile
import threading
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from conformance.drivers.ui_flow import (
    FALLBACK,
    MUTATING,
    SEMANTIC,
    describe_locator,
    locator_of,
    step_action,
)
from conformance.evidence.redact import Redactor
from conformance.inputs import FileInput
from conformance.target import Target
from conformance.templating import ABSENT, REF, TemplateError, lookup, resolve

if TYPE_CHECKING:  # pragma: no cover - typing only
    from playwright.sync_api import BrowserContext, Locator, Page

DEFAULT_STEP_S = 10.0
DEFAULT_NAVIGATION_S = 20.0
VIEWPORT = {"width": 1280, "height": 800}
SCREENSHOT_QUALITY = 60
ENTRIES = frozenset({"fill", "select", "check", "upload"})  # entries in a form: they share a screenshot
MAX_TEXT = 100_000  # characters kept of one read value (hostile pages)
MAX_CONTROLS = 500  # controls described in one form
POLL_S = 0.03


class StepFailed(Exception):
    """A step could not be done (element missing, page error): the operation ends in ``error``."""


class Refused(Exception):
    """The form refused what was entered: the operation ends as ``rejected``, like a 4xx reply."""


class LoginFailed(Exception):
    """The role's UI login did not reach the target's success sign."""


class _BrowserThread:
    """The one thread per process that owns Playwright and Chromium; every browser call runs there."""

    def __init__(self) -> None:
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._playwright: Any = None
        self._browser: Any = None

    def call(self, fn: Any, *args: Any) -> Any:
        """Run ``fn(*args)`` in the browser thread and return (or raise) what it did."""
        if threading.current_thread() is self._thread:
            return fn(*args)
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="conformance-browser", daemon=True)
                self._thread.start()
                atexit.register(self.close)
        done: Future[Any] = Future()
        self._queue.put((fn, args, done))
        return done.result()

    def _loop(self) -> None:
        while (item := self._queue.get()) is not None:
            fn, args, done = item
            try:
                done.set_result(fn(*args))
            except BaseException as exc:  # handed to the caller, who raises it in its own thread
                done.set_exception(exc)

    def browser(self) -> Any:
        """Chromium (started on first use, and again if it died); only from the browser thread."""
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        from playwright.sync_api import sync_playwright

        from conformance.report.browser import launch_chromium

        if self._playwright is None:
            self._playwright = sync_playwright().start()
        self._browser = launch_chromium(self._playwright)
        return self._browser

    def _shut(self) -> None:
        browser, pw, self._browser, self._playwright = self._browser, self._playwright, None, None
        for closer in (browser.close if browser else None, pw.stop if pw else None):
            if closer is not None:
                with contextlib.suppress(Exception):  # already gone (killed, crashed)
                    closer()

    def close(self) -> None:
        """Close Chromium and stop the thread (at exit, or by tests); a later call starts them again."""
        thread = self._thread
        if thread is None or not thread.is_alive():
            return
        with contextlib.suppress(Exception):
            self.call(self._shut)
        self._queue.put(None)
        thread.join(10)
        self._thread = None


BROWSER = _BrowserThread()

# Logins are kept per process, keyed by (base URL, role, username, password digest): a fault matrix
# that builds many engines against one reference logs in once per role; a new password logs in again.
_SESSIONS: dict[tuple[str, str, str, str], dict[str, Any]] = {}


def forget_sessions() -> None:
    """Drop every cached UI login of this process (a new server, or tests)."""
    _SESSIONS.clear()


@dataclass
class _Flow:
    """The state of one operation while its steps run."""

    op: str
    sink: Any
    evidence: bool
    steps: list[dict[str, Any]] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    outcome: str | None = None
    message: str = ""
    error: str | None = None
    last_shot: str | None = None
    download: dict[str, Any] | None = None
    url_before_submit: str | None = None
    prefetched: dict[int, dict[str, Any]] = field(default_factory=dict)  # step n → term read result
    current: int = 0


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    line = text[0] if text else type(exc).__name__
    return re.sub(r"\s+", " ", line)[:300]


def _xpath_literal(s: str) -> str:
    if "'" not in s:
        return f"'{s}'"
    if '"' not in s:
        return f'"{s}"'
    return "concat(" + ', "\'", '.join(f"'{p}'" for p in s.split("'")) + ")"


def _term_xpath(term: str) -> str:
    """The value beside a heading: the ``<dd>`` after a ``<dt>``, or the ``<td>`` after a row's ``<th>``."""
    value = _nfc(term).strip()
    cond = f"[normalize-space(.)={_xpath_literal(value)} or normalize-space(.)={_xpath_literal(value + ':')}]"
    return f"//dt{cond}/following-sibling::dd[1] | //th{cond}/following-sibling::td[1]"


def _next_action(steps: list[Any], n: int) -> str | None:
    """The action of step ``n + 1`` (steps are numbered from 1), or None after the last."""
    parsed = step_action(steps[n]) if n < len(steps) else None
    return parsed[0] if parsed else None


def _term_read(args: dict[str, Any]) -> bool:
    """A read by ``term`` alone (no frame, fallback or template): it can be batched with its neighbours."""
    return (
        "term" in args
        and not ({"frame", "css", "xpath", "all", "url", "download"} & set(args))
        and "${" not in str(args["term"])
    )


def _name_pattern(text: str) -> re.Pattern[str]:
    """A label or name, allowing the usual required-field marks and a trailing colon after it."""
    return re.compile(r"^\s*" + re.escape(_nfc(text).strip()) + r"\s*(?:\(\s*\*\s*\)|\*)?\s*:?\s*\*?\s*$")


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() in ("1", "true", "yes", "có", "x", "on")
    return bool(value)


def _convert(raw: Any, kind: str) -> Any:
    """A read value as text (NFC, trimmed), or converted; a value that does not convert stays text."""
    if raw is None:
        return None
    s = _nfc(str(raw)).strip()[:MAX_TEXT]
    if kind == "integer" and re.fullmatch(r"[+-]?\d+", s):
        return int(s)
    if kind == "number":
        try:
            return float(s.replace(",", ".")) if s else s
        except ValueError:
            return s
    if kind == "date":
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s) or re.fullmatch(
            r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})", s, re.IGNORECASE
        )
        if m:
            d, mo, y = (int(g) for g in m.groups())
            with contextlib.suppress(ValueError):
                return dt.date(y, mo, d).isoformat()
        return s
    return s


# Accessible name and state of every form control in a scope, as a screen reader would name it:
# aria-labelledby, aria-label, <label> (for= or wrapping), then button text, title, placeholder.
_DESCRIBE_JS = """
(scope, max) => {
  const root = scope || document;
  const text = (n) => {
    if (!n) return '';
    const c = n.cloneNode(true);
    c.querySelectorAll('input, select, textarea, button, [aria-hidden="true"]').forEach((x) => x.remove());
    return (c.textContent || '').replace(/\\s+/g, ' ').trim();
  };
  const els = [...root.querySelectorAll('input, select, textarea, button')].slice(0, max);
  const out = [];
  els.forEach((el, i) => {
    const tag = el.tagName.toLowerCase();
    let type = (el.getAttribute('type') || '').toLowerCase();
    if (!type) type = tag === 'button' ? 'submit' : tag === 'input' ? 'text' : tag;
    if (tag === 'input' && type === 'hidden') return;
    el.setAttribute('data-conformance-idx', String(i));
    const rects = el.getClientRects();
    const style = getComputedStyle(el);
    const visible = rects.length > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    let label = '', source = 'none';
    const lb = el.getAttribute('aria-labelledby');
    if (lb) {
      label = lb.split(/\\s+/).map((id) => text(document.getElementById(id))).join(' ').trim();
      if (label) source = 'aria-labelledby';
    }
    if (!label && (el.getAttribute('aria-label') || '').trim()) {
      label = el.getAttribute('aria-label').trim(); source = 'aria-label';
    }
    if (!label && el.labels && el.labels.length) {
      label = [...el.labels].map(text).join(' ').trim();
      if (label) source = 'label';
    }
    if (!label && (tag === 'button' || ['submit', 'button', 'reset'].includes(type))) {
      label = tag === 'button' ? text(el) : (el.value || '').trim();
      if (label) source = 'content';
    }
    if (!label && (el.getAttribute('title') || '').trim()) {
      label = el.getAttribute('title').trim(); source = 'title';
    }
    if (!label && (el.getAttribute('placeholder') || '').trim()) {
      label = el.getAttribute('placeholder').trim(); source = 'placeholder';
    }
    out.push({
      idx: String(i), tag, type, id: el.id || null, name: el.getAttribute('name'),
      label, label_source: source,
      required: !!el.required || el.getAttribute('aria-required') === 'true',
      disabled: !!el.disabled, visible,
      tabindex: el.getAttribute('tabindex'),
    });
  });
  return out;
}
"""

# The first control that blocks a validating form from being submitted, with the browser's message.
_INVALID_JS = """
() => {
  for (const f of document.forms) {
    if (f.noValidate) continue;
    const el = [...f.elements].find((e) => e.willValidate && !e.checkValidity());
    if (el) {
      const lab = el.labels && el.labels.length
        ? el.labels[0].textContent.replace(/\\s+/g, ' ').trim() : (el.name || el.id);
      return `${lab}: ${el.validationMessage || 'giá trị không hợp lệ'}`;
    }
  }
  return null;
}
"""

# Start noting where keyboard focus lands (described controls by index, anything else by a new mark),
# put focus back at the top of the page, and count the tab stops the page seems to have.
_FOCUS_LOG_JS = """
() => {
  window.__conformanceFocus = [];
  if (!window.__conformanceListening) {
    window.__conformanceListening = true;
    let other = 0;
    document.addEventListener('focusin', (e) => {
      const a = e.target;
      let k = a.getAttribute && a.getAttribute('data-conformance-idx');
      if (!k && a.getAttribute) {
        k = a.getAttribute('data-conformance-other');
        if (!k) { other += 1; k = '~' + other; a.setAttribute('data-conformance-other', k); }
      }
      window.__conformanceFocus.push(k || null);
    }, true);
  }
  if (document.activeElement) document.activeElement.blur();
  window.scrollTo(0, 0);
  const sel = 'a[href], button, input, select, textarea, iframe, [tabindex], [contenteditable]';
  let n = 0;
  for (const el of document.querySelectorAll(sel)) {
    if (el.disabled || el.type === 'hidden' || el.getAttribute('tabindex') === '-1') continue;
    if (!el.getClientRects().length) continue;
    n += ['date', 'datetime-local', 'time', 'month', 'week'].includes(el.type) ? 3 : 1;
  }
  return n;
}
"""

_TERMS_JS = """
(queries) => queries.map(([xp, attr, nth]) => {
  const r = document.evaluate(xp, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
  const n = r.snapshotLength;
  if (!n) return {n: 0, value: null};
  const e = r.snapshotItem(nth == null ? 0 : nth);
  if (!e) return {n: 0, value: null};
  if (attr) return {n, value: e.getAttribute(attr)};
  const t = e.tagName.toLowerCase();
  let value = e.innerText;
  if (t === 'input' || t === 'textarea') value = e.value;
  return {n, value};
})
"""

# A table's body rows keyed by column heading: the text of each cell, or the href of its first link.
_TABLE_JS = """
(table, specs) => {
  const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim().replace(/[:*]$/, '').trim().toLowerCase();
  const rows = [...table.querySelectorAll('tr')];
  const head = rows.find((r) => r.querySelector('th') && !r.querySelector('td'));
  if (!head) return {error: 'bảng không có hàng tiêu đề', missing: [], rows: []};
  const heads = [...head.children].map((c) => norm(c.innerText));
  const idx = {};
  for (const [key, spec] of Object.entries(specs)) idx[key] = heads.indexOf(norm(spec.heading));
  const missing = Object.keys(specs).filter((k) => idx[k] < 0).map((k) => specs[k].heading);
  const out = [];
  for (const r of rows) {
    if (r.closest('thead') || (r.querySelector('th') && !r.querySelector('td'))) continue;
    const cells = [...r.children];
    if (cells.length !== heads.length) continue;  // a row spanning the table ("no documents yet")
    const rec = {};
    for (const [key, spec] of Object.entries(specs)) {
      const c = cells[idx[key]];
      if (!c) { rec[key] = null; continue; }
      if (spec.link) { const a = c.querySelector('a[href]'); rec[key] = a ? a.getAttribute('href') : null; }
      else rec[key] = c.innerText;
    }
    out.push(rec);
  }
  return {missing, rows: out};
}
"""

_TEXT_OF_JS = """
(e) => {
  const t = e.tagName.toLowerCase();
  if (t === 'select') {
    const o = e.selectedOptions.length ? e.selectedOptions[0] : null;
    return o ? (o.label || o.textContent) : '';
  }
  if (t === 'input' || t === 'textarea') return e.value;
  return e.innerText;
}
"""


class UiDriver:
    """Performs UI-bound operations for one engine; the browser and logins are per process."""

    def __init__(self, target: Target, redactor: Redactor) -> None:
        self.target = target
        self.redactor = redactor
        cfg = getattr(target, "ui", None) or {}
        timeouts = cfg.get("timeouts") or {}
        self.step_s = float(timeouts.get("step", DEFAULT_STEP_S))
        self.navigation_s = float(timeouts.get("navigation", DEFAULT_NAVIGATION_S))
        self.viewport = cfg.get("viewport") or VIEWPORT
        self.login_flow = cfg.get("login")
        self._ctx: BrowserContext | None = None
        self._page: Page | None = None
        self._role: str | None = "\0"  # no session chosen yet
        self._sink: Any = None
        self._criterion: str | None = None
        self._doc_status: int | None = None

    # -- engine hooks ---------------------------------------------------------------------------------
    def binds(self, op: str) -> bool:
        """Whether the target binds ``op`` through its web interface."""
        b = self.target.binding(op) or {}
        return "ui" in b and "http" not in b

    @contextlib.contextmanager
    def criterion(self, criterion_id: str, sink: Any) -> Iterator[UiDriver]:
        """The scope of one criterion: its browser context is created on first use, traced, then closed."""
        self._criterion, self._sink = criterion_id, sink
        try:
            yield self
        finally:
            if self._ctx is not None:
                BROWSER.call(self._close_context)
            self._criterion = self._sink = None

    # -- browser, context, sessions ----------------------------------------------------------------------
    def _context_options(self) -> dict[str, Any]:
        return {
            "viewport": self.viewport,
            "locale": "vi-VN",
            "timezone_id": "Asia/Ho_Chi_Minh",
            "ignore_https_errors": not self.target.verify_tls,
            "accept_downloads": True,
        }

    def _new_context(self) -> BrowserContext:
        ctx = BROWSER.browser().new_context(**self._context_options())
        ctx.set_default_timeout(self.step_s * 1000)
        ctx.set_default_navigation_timeout(self.navigation_s * 1000)
        return ctx

    def _page_for(self, role: str | None) -> Page:
        if self._ctx is None:
            self._ctx = self._new_context()
            self._ctx.tracing.start(
                title=self._criterion or "", snapshots=True, screenshots=False, sources=False
            )
            self._page = self._ctx.new_page()
            self._page.on("response", self._on_response)
            self._role = "\0"
        assert self._page is not None
        if role != self._role:
            self._switch_role(role)
        return self._page

    def _on_response(self, response: Any) -> None:
        """Remember the HTTP status of the page's own document (not of images, scripts, XHR)."""
        try:
            if response.request.is_navigation_request() and response.frame == self._page.main_frame:
                self._doc_status = response.status
        except Exception:  # a response of a page being closed
            pass

    def _switch_role(self, role: str | None) -> None:
        """Put the role's session in the criterion's context (cookies, then local storage)."""
        assert self._ctx is not None and self._page is not None
        self._ctx.clear_cookies()
        self._role = role
        if role in (None, "anonymous"):
            return
        state = self._session(role)
        if state.get("cookies"):
            self._ctx.add_cookies(state["cookies"])
        for origin in state.get("origins") or []:
            items = origin.get("localStorage") or []
            if items:
                self._page.goto(origin["origin"], wait_until="domcontentloaded")
                self._page.evaluate(
                    "(items) => { localStorage.clear();"
                    " for (const i of items) localStorage.setItem(i.name, i.value); }",
                    items,
                )

    def _session(self, role: str) -> dict[str, Any]:
        """The role's logged-in browser state, logging in through the UI the first time."""
        creds = self.target.credentials(role)
        self.redactor.add(creds.password)
        key = (
            self.target.base_url,
            role,
            creds.username,
            hashlib.sha256(creds.password.encode()).hexdigest(),
        )
        state = _SESSIONS.get(key)
        if state is None:
            state = self._login(role, creds.username, creds.password)
            _SESSIONS[key] = state
        self._learn_secrets(state)
        return state

    def check_login(self, role: str) -> str | None:
        """None when ``role`` logs in through the pages (the session is kept for the run), else why not."""
        return BROWSER.call(self._check_login, role)

    def _check_login(self, role: str) -> str | None:
        from conformance.report.browser import BrowserUnavailableError

        try:
            self._session(role)
        except LoginFailed as exc:
            return str(exc)
        except BrowserUnavailableError as exc:
            return f"không khởi động được trình duyệt: {exc}"
        except Exception as exc:  # a wrong password must say so; a Playwright failure is reported, not raised
            from conformance.errors import ConfigError

            if isinstance(exc, ConfigError):
                raise
            return f"trình duyệt lỗi khi đăng nhập vai trò {role}: {_first_line(exc)}"
        return None

    def _learn_secrets(self, state: dict[str, Any]) -> None:
        for c in state.get("cookies") or []:
            self.redactor.add(str(c.get("value") or ""))
        for origin in state.get("origins") or []:
            for item in origin.get("localStorage") or []:
                self.redactor.add(str(item.get("value") or ""))

    def _login(self, role: str, username: str, password: str) -> dict[str, Any]:
        if not self.login_flow:
            raise LoginFailed(f"tệp đích chưa khai báo ui.login nên không đăng nhập được vai trò {role}")
        ctx = self._new_context()
        try:
            page = ctx.new_page()
            flow = _Flow(op=f"login:{role}", sink=None, evidence=False)
            scope = {"cred": {"username": username, "password": password}, "run": {}, "in": {}}
            self._run_steps(page, self.login_flow["steps"], scope, flow)
            if flow.error:
                raise LoginFailed(f"đăng nhập vai trò {role} qua giao diện: {flow.error}")
            verdict, why = self._wait_outcome(
                page, {"accepted": self.login_flow["success"]}, self.step_s, flow
            )
            if verdict != "accepted":
                raise LoginFailed(f"đăng nhập vai trò {role} qua giao diện không thành công: {why}")
            return ctx.storage_state()
        finally:
            ctx.close()

    def _close_context(self) -> None:
        ctx, self._ctx, self._page = self._ctx, None, None
        if ctx is None:
            return
        try:
            if self._sink is not None:
                with tempfile.TemporaryDirectory(prefix="conformance-trace-") as tmp:
                    path = Path(tmp) / "trace.zip"
                    ctx.tracing.stop(path=str(path))
                    self._sink.attach(f"trace-{self._criterion}.zip", self._redact_zip(path.read_bytes()))
        except Exception as exc:  # a dead browser must not hide the criterion's records
            if self._sink is not None:
                self._sink.record(
                    "trace-error", {"kind": "trace", "error": f"không lưu được trace: {_first_line(exc)}"}
                )
        finally:
            with contextlib.suppress(Exception):
                ctx.close()

    def _redact_zip(self, data: bytes) -> bytes:
        """The trace with every secret masked in every member (cookies, tokens typed or echoed)."""
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                masked, _ = self.redactor.bytes(src.read(info))
                dst.writestr(info, masked)
        return out.getvalue()

    # -- operations -------------------------------------------------------------------------------------
    def perform(
        self, op: str, inputs: dict[str, Any], role: str | None, run: dict[str, Any], sink: Any = None
    ) -> dict[str, Any]:
        """Perform an operation through its UI flow; the record says what was done and seen."""
        return BROWSER.call(self._perform, op, inputs, role, run, sink)

    def _perform(
        self, op: str, inputs: dict[str, Any], role: str | None, run: dict[str, Any], sink: Any
    ) -> dict[str, Any]:
        binding = (self.target.binding(op) or {}).get("ui") or {}
        role = role or binding.get("as")
        inputs = {**(binding.get("defaults") or {}), **inputs}  # a value for what the criterion leaves out
        t0 = time.perf_counter()
        rec: dict[str, Any] = {
            "operation": op,
            "channel": "ui",
            "inputs": inputs,
            "as": role,
            "outputs": {},
            "response": None,
            "error": None,
            "ui": {"outcome": None, "message": "", "url": None, "steps": []},
        }
        flow = _Flow(op=op, sink=sink if sink is not None else self._sink, evidence=True)
        try:
            page = self._page_for(role)
            self._run_steps(page, binding.get("steps") or [], {"in": inputs, "run": run}, flow)
            rec["ui"]["url"] = self.redactor.text(page.url)
        except LoginFailed as exc:
            flow.error = str(exc)
        except Exception as exc:  # the browser died or Playwright broke: an error record, never a crash
            flow.error = f"trình duyệt lỗi: {_first_line(exc)}"
            self._close_context()
        rec["outputs"] = flow.outputs
        rec["error"] = flow.error
        rec["ui"]["status"] = self._doc_status  # HTTP status of the last page the browser was given
        rec["ui"].update(
            {
                "outcome": "error" if flow.error else (flow.outcome or "done"),
                "message": flow.message,
                "steps": flow.steps,
            }
        )
        if flow.download is not None:
            rec["response"] = {"channel": "ui", "body": flow.download}
        rec["elapsed_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        return rec

    # -- steps ----------------------------------------------------------------------------------------------
    def _run_steps(self, page: Page, steps: list[Any], scope: dict[str, Any], flow: _Flow) -> None:
        """Run a flow's steps in order, each with its time-out; stop at the first error or refusal.

        Screenshots: a step that changes the page gets the screenshot of the state it left. Some
        steps share one: opening a form and the entries made in it (goto, then fill, select, check,
        upload) share the screenshot of the form once filled, taken before the next action; a submit
        (click, press) shares the screenshot of the outcome it led to; a read shows the screen it
        read. A shared screenshot's record says after which step it was taken (``screenshot_after``);
        the trace keeps the DOM after every single action.
        """
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        pending: list[dict[str, Any]] = []  # steps whose screenshot is the next one taken
        for n, raw in enumerate(steps, 1):
            parsed = step_action(raw)
            assert parsed is not None  # validated when the target was loaded
            action, args = parsed
            srec: dict[str, Any] = {"n": n, "action": action, "target": describe_locator(locator_of(args))}
            if action == "goto":
                srec["target"] = str(args.get("path"))
            if flow.outcome == "rejected":
                srec["skipped"] = "không thực hiện: hệ thống đã từ chối ở bước trước"
                flow.steps.append(srec)
                continue
            entering = action in ENTRIES and bool(pending) and pending[-1]["action"] in (*ENTRIES, "goto")
            if pending and not entering and action != "outcome":
                self._capture(page, flow, pending)  # the form as filled, before the next action
            timeout = float(args.get("timeout") or self.step_s)
            t = time.perf_counter()
            flow.current = n
            try:
                if action == "read" and n not in flow.prefetched and _term_read(args):
                    self._prefetch_terms(page, steps, n, flow)
                self._step(page, action, args, scope, flow, srec, timeout)
            except Refused as exc:
                flow.outcome, flow.message = "rejected", str(exc)
                srec["refused"] = str(exc)
            except StepFailed as exc:
                srec["error"] = str(exc)
            except PlaywrightTimeout:
                srec["error"] = f"hết thời gian chờ {timeout:g}s ({srec['target']})"
            except (TemplateError, ValueError) as exc:
                srec["error"] = f"không dựng được giá trị: {exc}"
            except PlaywrightError as exc:
                srec["error"] = _first_line(exc)
            srec["ms"] = round((time.perf_counter() - t) * 1000, 1)
            flow.steps.append(srec)
            if flow.evidence and not srec.get("skipped"):
                if "error" in srec or "refused" in srec:
                    self._capture(page, flow, [*pending, srec])
                    pending.clear()
                elif action in ENTRIES or (action == "goto" and _next_action(steps, n) in ENTRIES):
                    pending.append(srec)
                elif action in ("click", "press") and _next_action(steps, n) == "outcome":
                    pending.append(srec)
                elif action in MUTATING or not flow.last_shot:
                    self._capture(page, flow, [*pending, srec])
                    pending.clear()
                else:
                    srec["screenshot"] = flow.last_shot  # reading does not change the page
            if "error" in srec:
                flow.error = f"bước {n} ({action} {srec['target']}): {srec['error']}"
                break
        if pending and flow.evidence:
            self._capture(page, flow, pending)

    def _capture(self, page: Page, flow: _Flow, srecs: list[dict[str, Any]]) -> None:
        """One screenshot of the page as it is now, for every step in ``srecs`` (the list is emptied)."""
        if not srecs:
            return
        last = srecs[-1]
        data = None
        for attempt in range(
            3 if flow.sink is not None else 0
        ):  # a navigating page has no frame for a moment
            try:
                data = page.screenshot(type="jpeg", quality=SCREENSHOT_QUALITY, timeout=self.step_s * 1000)
                break
            except Exception as exc:  # no page to capture (navigating, or the browser gone)
                last["screenshot_error"] = _first_line(exc)
                with contextlib.suppress(Exception):
                    page.wait_for_load_state("domcontentloaded", timeout=self.step_s * 1000)
                time.sleep(0.05 * (attempt + 1))
        if data is not None:
            last.pop("screenshot_error", None)
            flow.last_shot = flow.sink.attach(f"{flow.op}-{last['n']:02d}-{last['action']}.jpg", data)
            for srec in srecs:
                srec["screenshot"] = flow.last_shot
                if srec is not last:
                    srec["screenshot_after"] = last["n"]
        srecs.clear()

    def _step(
        self,
        page: Page,
        action: str,
        args: dict[str, Any],
        scope: dict[str, Any],
        flow: _Flow,
        srec: dict[str, Any],
        timeout: float,
    ) -> None:
        ms = timeout * 1000
        if action == "goto":
            path = self._path(str(args["path"]), scope)
            self._doc_status = None
            resp = page.goto(self.target.base_url + path, wait_until="domcontentloaded", timeout=ms)
            status = resp.status if resp is not None else None
            srec["status"] = status
            if status is not None and status >= 400:
                raise StepFailed(f"trang {path} trả về HTTP {status}")
            return
        if action == "pdf":
            page.emulate_media(media="print")
            try:
                data = page.pdf(format="A4", print_background=True)
            finally:
                page.emulate_media(media="screen")
            if flow.sink is not None:
                srec["file"] = flow.sink.attach(f"{flow.op}-{args.get('filename') or 'ban-in'}.pdf", data)
            return
        if action == "outcome":
            flow.outcome, flow.message = self._wait_outcome(page, args, timeout, flow)
            srec["outcome"] = flow.outcome
            if flow.message:
                srec["message"] = flow.message
            if flow.outcome == "error":
                raise StepFailed(flow.message)
            return
        if action in ("read", "wait_for") and ("url" in args or "download" in args):
            if action == "wait_for":
                page.wait_for_url(re.compile(str(args["url"])), timeout=ms)
            else:
                flow.outputs[args["output"]] = self._read(page, args, flow, srec)
            return
        values = {k: v for k, v in args.items() if k in ("value", "file")}
        resolved = resolve(values, scope)
        if action in ("fill", "select", "check") and "value" not in resolved:
            srec["skipped"] = "không có giá trị (tiêu chí không cho đầu vào này)"
            return
        if action == "upload" and "file" not in resolved:
            srec["skipped"] = "không có tệp (tiêu chí không cho đầu vào này)"
            return
        loc_args = resolve(locator_of(args), scope)
        if action == "read":
            flow.outputs[args["output"]] = self._read(page, {**args, **loc_args}, flow, srec)
            return
        if action == "describe_form":
            flow.outputs[args["output"]] = self._describe(page, loc_args, srec)
            return
        if action == "read_table":
            if args.get("optional") and self._locate(page, loc_args, srec).count() == 0:
                srec["skipped"] = "không có bảng này trên trang: không có hàng nào"
                flow.outputs[args["output"]] = []
                return
            flow.outputs[args["output"]] = self._read_table(page, loc_args, args["columns"], srec)
            return
        if action == "read_record":
            flow.outputs[args["output"]] = self._read_record(page, args["fields"], srec)
            return
        if action == "press" and not (set(loc_args) & (set(SEMANTIC) | set(FALLBACK))):
            flow.url_before_submit = page.url
            self._doc_status = None
            page.keyboard.press(str(args["key"]))
            return
        if args.get("optional") and self._locate(page, loc_args, srec).count() == 0:
            srec["skipped"] = "không có phần tử này trên trang"
            return
        loc = self._find(page, loc_args, srec, ms)
        if action == "fill":
            self._fill(loc, resolved["value"], srec["target"], ms)
        elif action == "select":
            self._select(loc, resolved["value"], srec["target"], ms)
        elif action == "check":
            loc.set_checked(_truthy(resolved["value"]), timeout=ms)
        elif action == "upload":
            loc.set_input_files(self._file_payload(resolved["file"]), timeout=ms)
        elif action == "click":
            flow.url_before_submit = page.url
            self._doc_status = None
            loc.click(timeout=ms)
        elif action == "press":
            flow.url_before_submit = page.url
            self._doc_status = None
            loc.press(str(args["key"]), timeout=ms)
        elif action == "wait_for":
            loc.wait_for(state=args.get("state", "visible"), timeout=ms)
        elif action == "download":
            flow.download = self._download(page, loc, flow, ms)
            srec["file"] = flow.download.get("blob")

    # -- locating ----------------------------------------------------------------------------------------
    def _locate(self, page: Page, loc: dict[str, Any], srec: dict[str, Any]) -> Locator:
        """The locator a spec describes (semantic first; a CSS/XPath fallback only if it finds nothing)."""
        base = self._frames(page, loc)
        semantic = next((k for k in SEMANTIC if k in loc), None)
        fallback = next((k for k in FALLBACK if k in loc), None)
        primary = self._build(base, semantic, loc) if semantic else None
        backup = self._build(base, fallback, loc) if fallback else None
        chosen = primary if primary is not None else backup
        if primary is not None and backup is not None and primary.count() == 0 and backup.count() > 0:
            chosen = backup
            srec["fallback"] = f"không tìm thấy theo {semantic}; dùng {fallback} dự phòng"
        assert chosen is not None
        if "nth" in loc:
            chosen = chosen.nth(int(loc["nth"]))
        return chosen

    def _find(self, page: Page, loc: dict[str, Any], srec: dict[str, Any], ms: float) -> Locator:
        """Like ``_locate``, but waits (up to the step's time-out) for the element to appear."""
        semantic = next((k for k in SEMANTIC if k in loc), None)
        fallback = next((k for k in FALLBACK if k in loc), None)
        if semantic and fallback:  # wait for either, then prefer the semantic one
            base = self._frames(page, loc)
            either = self._build(base, semantic, loc).or_(self._build(base, fallback, loc))
            either.first.wait_for(state="attached", timeout=ms)
        return self._locate(page, loc, srec)

    @staticmethod
    def _frames(page: Page, loc: dict[str, Any]) -> Any:
        base: Any = page
        frames = loc.get("frame")
        for sel in frames if isinstance(frames, list) else ([frames] if frames else []):
            base = base.frame_locator(sel)
        return base

    @staticmethod
    def _build(base: Any, key: str, loc: dict[str, Any]) -> Locator:
        value = _nfc(str(loc[key]))
        exact = loc.get("exact", True)
        if key == "label":
            return base.get_by_label(_name_pattern(value) if exact else value, exact=False)
        if key == "role":
            name = loc.get("name")
            if name is None:
                return base.get_by_role(value)
            return base.get_by_role(value, name=_name_pattern(str(name)) if exact else str(name), exact=False)
        if key == "text":
            return base.get_by_text(value, exact=exact)
        if key == "placeholder":
            return base.get_by_placeholder(value, exact=exact)
        if key == "title":
            return base.get_by_title(value, exact=exact)
        if key == "alt":
            return base.get_by_alt_text(value, exact=exact)
        if key == "testid":
            return base.get_by_test_id(value)
        if key == "term":
            return base.locator("xpath=" + _term_xpath(value))
        if key == "css":
            return base.locator(value)
        return base.locator("xpath=" + value)

    # -- acting -------------------------------------------------------------------------------------------
    def _fill(self, loc: Locator, value: Any, what: str, ms: float) -> None:
        """Type a value as a person would (a list or a checkbox is chosen instead); a cut value is refused."""
        from playwright.sync_api import Error as PlaywrightError

        if isinstance(value, FileInput):
            raise StepFailed(f"{what} là ô nhập chữ; tệp dùng bước upload")
        text = _nfc(value if isinstance(value, str) else str(value))
        try:
            loc.fill(text, timeout=ms)
        except PlaywrightError as exc:
            msg = str(exc)
            if "not an <input>" in msg or "cannot be filled" in msg:  # a list or a checkbox, not a text box
                tag, kind = loc.evaluate("(e) => [e.tagName.toLowerCase(), (e.type || '').toLowerCase()]")
                if tag == "select":
                    self._select(loc, value, what, ms)
                    return
                if kind in ("checkbox", "radio"):
                    loc.set_checked(_truthy(value), timeout=ms)
                    return
            if "Cannot type text into input" in msg or "Malformed value" in msg:
                raise Refused(f"trường {what} không nhận giá trị «{text[:60]}»") from None
            raise
        got = _nfc(loc.input_value(timeout=ms))
        if got != text:
            raise Refused(
                f"trường {what} không nhận đủ giá trị đã nhập: {len(text)} ký tự, ô chỉ giữ {len(got)} ký tự"
            )

    def _select(self, loc: Locator, value: Any, what: str, ms: float) -> None:
        options = loc.evaluate(
            "(e) => e.options ? [...e.options].map((o) =>"
            " ({value: o.value, label: (o.label || o.textContent || '').trim()})) : null",
            timeout=ms,
        )
        if options is None:
            raise StepFailed(f"{what} không phải danh sách chọn")
        want = _nfc(str(value)).strip()
        match = next((o for o in options if _nfc(o["value"]) == want), None) or next(
            (o for o in options if _nfc(o["label"]).casefold() == want.casefold()), None
        )
        if match is None:
            raise Refused(f"danh sách {what} không có lựa chọn «{want[:60]}»")
        loc.select_option(value=match["value"], timeout=ms)

    @staticmethod
    def _file_payload(value: Any) -> Any:
        if isinstance(value, FileInput):
            return [{"name": value.name, "mimeType": value.media_type, "buffer": value.data}]
        if isinstance(value, str) and Path(value).is_file():
            return value
        raise StepFailed("đầu vào tệp phải là {$file: …}/{$pdf: …} hoặc đường dẫn một tệp có thật")

    def _download(self, page: Page, loc: Locator, flow: _Flow, ms: float) -> dict[str, Any]:
        """Click a link that downloads a file; the bytes go into a hashed evidence blob."""
        types: dict[str, str] = {}
        statuses: dict[str, int] = {}

        def remember(response: Any) -> None:
            with contextlib.suppress(Exception):
                types[response.url] = response.headers.get("content-type", "")
                statuses[response.url] = response.status

        page.on("response", remember)
        try:
            with page.expect_download(timeout=ms) as info:
                loc.click(timeout=ms)
            d = info.value
            failure = d.failure()  # waits for the download to finish; None when it did
            if failure is not None:
                status = statuses.get(d.url)
                said = f": máy chủ trả về HTTP {status}" if status is not None else ""
                raise StepFailed(f"tải về không thành công ({failure}){said}")
            path = d.path()
        finally:
            page.remove_listener("response", remember)
        name = d.suggested_filename
        media = (types.get(d.url) or "").split(";")[0].strip() or (mimetypes.guess_type(name)[0] or "")
        if flow.sink is None:
            return {"filename": name, "media_type": media}
        blob = flow.sink.blob("tai-ve")
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                blob.write(chunk)
        blob.close()
        return {
            "blob": blob.rel,
            "sha256": blob.sha256,
            "size": blob.size,
            "media_type": media,
            "filename": name,
            "redacted": blob.redacted,
        }

    # -- seeing -------------------------------------------------------------------------------------------
    def _wait_outcome(self, page: Page, args: dict[str, Any], timeout: float, flow: _Flow) -> tuple[str, str]:
        """Wait for the accepted or the rejected sign (or a form that blocked the submit)."""
        from playwright.sync_api import Error as PlaywrightError

        accepted = args["accepted"] if isinstance(args["accepted"], list) else [args["accepted"]]
        rejected = args.get("rejected") or []
        rejected = rejected if isinstance(rejected, list) else [rejected]
        deadline = time.monotonic() + timeout
        while True:
            try:
                status = self._doc_status
                if status is not None and status >= 500:
                    return "error", f"hệ thống lỗi: trang trả về HTTP {status}"
                seen = self._met(page, rejected)
                if seen is not None:
                    return "rejected", seen
                if self._met(page, accepted) is not None:
                    return "accepted", ""
                if page.url == flow.url_before_submit:
                    invalid = page.evaluate(_INVALID_JS)
                    if invalid:
                        return "rejected", f"biểu mẫu chặn gửi: {invalid}"
            except PlaywrightError:  # the page is navigating: look again
                pass
            if time.monotonic() > deadline:
                return "error", (
                    f"sau {timeout:g}s không thấy dấu hiệu chấp nhận hay từ chối "
                    f"(trang {self.redactor.text(page.url)})"
                )
            time.sleep(POLL_S)

    def _met(self, page: Page, conditions: list[dict[str, Any]]) -> str | None:
        """The text shown by the first condition that holds ('' for a URL), or None."""
        for cond in conditions:
            if "url" in cond:
                if re.search(str(cond["url"]), page.url):
                    return ""
                continue
            loc = self._locate(page, cond, {})
            if loc.count() > 0 and loc.first.is_visible():
                return _nfc(loc.first.inner_text(timeout=1000)).strip()[:1000]
        return None

    def _prefetch_terms(self, page: Page, steps: list[Any], start: int, flow: _Flow) -> None:
        """Read every following ``term`` read of the same page state in one round trip to the browser."""
        batch: list[tuple[int, dict[str, Any]]] = []
        for n in range(start, len(steps) + 1):
            parsed = step_action(steps[n - 1])
            if parsed is None or parsed[0] != "read" or not _term_read(parsed[1]):
                break
            batch.append((n, parsed[1]))
        found = page.evaluate(
            _TERMS_JS,
            [[_term_xpath(str(a["term"])), a.get("attribute"), a.get("nth")] for _, a in batch],
        )
        for (n, _), got in zip(batch, found, strict=True):
            flow.prefetched[n] = got

    def _read(self, page: Page, args: dict[str, Any], flow: _Flow, srec: dict[str, Any]) -> Any:
        kind = args.get("as", "text")
        pattern = re.compile(args["pattern"]) if "pattern" in args else None

        def finish(raw: Any) -> Any:
            if raw is not None and pattern is not None:
                m = pattern.search(str(raw))
                raw = (m.group(1) if m.groups() else m.group(0)) if m else None
            return _convert(raw, kind)

        if "url" in args:
            m = re.search(str(args["url"]), page.url)
            raw = (m.group(1) if m.groups() else m.group(0)) if m else None
            return _convert(raw, kind)
        if "download" in args:
            return (flow.download or {}).get(args["download"])
        got = flow.prefetched.pop(flow.current, None)
        if got is not None:
            if got["n"] == 0:
                srec["note"] = "không thấy phần tử trên trang"
                return None
            if got["n"] > 1 and "nth" not in args:
                raise StepFailed(
                    f"{srec['target']} khớp {got['n']} phần tử; thêm nth hoặc cách tìm cụ thể hơn"
                )
            return finish(got["value"])
        loc = self._locate(page, args, srec)
        attribute = args.get("attribute")
        if args.get("all"):
            items = loc.all()
            return [
                finish(h.get_attribute(attribute) if attribute else h.evaluate(_TEXT_OF_JS)) for h in items
            ]
        n = loc.count()
        if n == 0:
            srec["note"] = "không thấy phần tử trên trang"
            return None
        if n > 1 and "nth" not in args:
            raise StepFailed(f"{srec['target']} khớp {n} phần tử; thêm nth hoặc cách tìm cụ thể hơn")
        el = loc.first
        return finish(el.get_attribute(attribute) if attribute else el.evaluate(_TEXT_OF_JS))

    def _read_table(
        self, page: Page, loc_args: dict[str, Any], columns: dict[str, Any], srec: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """A table as records: a record per body row, each column read by its heading (text, or link)."""
        specs = {k: (v if isinstance(v, dict) else {"heading": v}) for k, v in columns.items()}
        table = self._locate(page, loc_args, srec)
        if table.count() != 1:
            raise StepFailed(f"{srec['target']} khớp {table.count()} bảng, cần đúng một")
        got = table.evaluate(
            _TABLE_JS, {k: {"heading": _nfc(v["heading"]), "link": "link" in v} for k, v in specs.items()}
        )
        if got.get("error") or got["missing"]:
            raise StepFailed(
                got.get("error") or "bảng không có cột " + ", ".join(f"«{h}»" for h in got["missing"])
            )
        rows = []
        for raw in got["rows"][:MAX_CONTROLS]:
            row = {}
            for key, spec in specs.items():
                value = raw.get(key)
                rx = spec.get("link") or spec.get("pattern")
                if value is not None and rx:
                    m = re.search(rx, str(value))
                    value = (m.group(1) if m.groups() else m.group(0)) if m else None
                row[key] = _convert(value, spec.get("as", "text"))
            rows.append(row)
        srec["rows"] = len(rows)
        return rows

    @staticmethod
    def _read_record(page: Page, fields: dict[str, Any], srec: dict[str, Any]) -> dict[str, Any]:
        """Several terms of the page as one record, in one round trip; a term the page does not show,
        or shows empty, is left out of the record (as an API leaves out a value it does not hold)."""
        specs = {k: (v if isinstance(v, dict) else {"term": v}) for k, v in fields.items()}
        found = page.evaluate(
            _TERMS_JS, [[_term_xpath(str(v["term"])), v.get("attribute"), None] for v in specs.values()]
        )
        record: dict[str, Any] = {}
        for (key, spec), got in zip(specs.items(), found, strict=True):
            raw = got["value"]
            if raw is not None and spec.get("pattern"):
                m = re.search(str(spec["pattern"]), str(raw))
                raw = (m.group(1) if m.groups() else m.group(0)) if m else None
            if raw is None or not _nfc(str(raw)).strip():
                continue
            record[key] = _convert(raw, spec.get("as", "text"))
        srec["fields"] = len(record)
        return record

    def _describe(self, page: Page, loc_args: dict[str, Any], srec: dict[str, Any]) -> list[dict[str, Any]]:
        """Every control of the form: accessible name, where the name comes from, reached by Tab or not."""
        has_scope = bool(set(loc_args) & (set(SEMANTIC) | set(FALLBACK)))
        if has_scope:
            scope = self._locate(page, loc_args, srec)
            controls = scope.evaluate(_DESCRIBE_JS, MAX_CONTROLS)
        else:
            controls = page.evaluate(f"({_DESCRIBE_JS})(null, {MAX_CONTROLS})")
        if loc_args.get("frame"):
            for c in controls:
                c["reached_by_tab"] = None  # focus inside frames is not followed (documented limit)
            return controls
        reached = self._tab_walk(page, len(controls))
        for c in controls:
            c["reached_by_tab"] = c["idx"] in reached
            c["label"] = _nfc(c["label"])
        srec["controls"] = len(controls)
        return controls

    @staticmethod
    def _tab_walk(page: Page, n_controls: int) -> set[str]:
        """Press Tab from the top of the page until focus comes back round; what it reached.

        Real key presses; a ``focusin`` listener notes where focus lands, so the page is read once per
        round of presses rather than after each one.
        """
        stops = page.evaluate(_FOCUS_LOG_JS)
        limit = min(2 * max(stops, n_controls) + 40, 400)
        pressed, seen = 0, []
        batch = stops + 2
        while pressed < limit:
            for _ in range(min(batch, limit - pressed)):
                page.keyboard.press("Tab")
            pressed += min(batch, limit - pressed)
            log = [k for k in page.evaluate("() => window.__conformanceFocus || []") if k]
            seen = [k for i, k in enumerate(log) if i == 0 or k != log[i - 1]]  # a date field's parts
            if len(seen) != len(set(seen)):  # back round to an element already reached: a full cycle
                break
            batch = 10
        return set(seen)

    # -- templating -----------------------------------------------------------------------------------------
    @staticmethod
    def _path(template: str, scope: dict[str, Any]) -> str:
        """A path with references URL-quoted; a missing value is an error (a page cannot be guessed)."""

        def sub(m: re.Match[str]) -> str:
            v = lookup(scope, m.group(1), m.group(2))
            if v is ABSENT or v is None:
                raise StepFailed(f"thiếu giá trị cho {m.group(0)} trong đường dẫn")
            return quote(str(v), safe="")

        return REF.sub(sub, template)
