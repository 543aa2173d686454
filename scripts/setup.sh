#!/usr/bin/env bash
# One-time set-up, idempotent: a virtualenv with the harness installed, and a Chromium for reports
# and UI checks (Debian's package where we can install it, Playwright's download elsewhere).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.setup-stamp

if [ ! -x "$VENV/bin/python" ]; then
  echo "[setup] tạo môi trường ảo $VENV"
  "$PY" -m venv "$VENV"
fi
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  echo "[setup] cài đặt gói (pip install -e .[dev])"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[dev]'
  touch "$STAMP"
fi

have_chromium() { [ -x /usr/bin/chromium ] || [ -n "${CONFORMANCE_CHROMIUM:-}" ]; }
need_apt=()
have_chromium || need_apt+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
[ -f /usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf ] || need_apt+=(fonts-noto-core)  # PDFs with Vietnamese text
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[setup] apt-get install ${need_apt[*]}"
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null 2>&1 \
      || echo "[setup] cảnh báo: apt-get install ${need_apt[*]} thất bại" >&2
  fi
fi
if ! have_chromium; then
  echo "[setup] không có /usr/bin/chromium: tải Chromium của Playwright"
  "$VENV/bin/python" -m playwright install chromium || echo "[setup] cảnh báo: không cài được Chromium" >&2
fi
