"""The one place that knows how to start Chromium for the harness.

Both the PDF writer and the UI driver need a headless Chromium. On Debian the
system package (``/usr/bin/chromium``) is preferred because it is installed by
apt and never downloaded at run time; Playwright's bundled build is only a
fallback. The flags keep Chromium quiet and offline (no sync, no component or
background updates), and ``--no-sandbox`` is needed when running as root in CI.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from playwright.sync_api import Browser, Playwright

SYSTEM_CHROMIUM = "/usr/bin/chromium"
ENV_OVERRIDE = "CONFORMANCE_CHROMIUM"
"""Environment variable naming another Chromium binary (e.g. on a developer's machine)."""

CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
LAUNCH_TIMEOUT_MS = 30_000


class BrowserUnavailableError(RuntimeError):
    """No Chromium could be started: neither the system one nor Playwright's bundled build."""


def chromium_executable() -> str | None:
    """Path of the system Chromium to use, or ``None`` to let Playwright use its bundled build."""
    override = os.environ.get(ENV_OVERRIDE)
    if override and Path(override).is_file():
        return override
    if Path(SYSTEM_CHROMIUM).is_file():
        return SYSTEM_CHROMIUM
    found = shutil.which("chromium")
    return found


def launch_chromium(playwright: Playwright, *, headless: bool = True) -> Browser:
    """Launch headless Chromium with the harness's flags, preferring the system binary.

    Raises ``BrowserUnavailableError`` with a one-line reason when no Chromium starts.
    """
    from playwright.sync_api import Error as PlaywrightError

    executable = chromium_executable()
    try:
        if executable:
            return playwright.chromium.launch(
                executable_path=executable,
                args=list(CHROMIUM_ARGS),
                headless=headless,
                timeout=LAUNCH_TIMEOUT_MS,
            )
        return playwright.chromium.launch(
            args=list(CHROMIUM_ARGS), headless=headless, timeout=LAUNCH_TIMEOUT_MS
        )
    except PlaywrightError as exc:
        where = executable or "Playwright's bundled Chromium"
        first_line = (str(exc).strip().splitlines() or ["unknown error"])[0]
        raise BrowserUnavailableError(f"cannot start Chromium ({where}): {first_line}") from exc
