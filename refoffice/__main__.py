"""Command line: `python -m refoffice serve ...` and `python -m refoffice faults [--json]`."""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from refoffice.config import Config, ConfigError
from refoffice.db import sqlite_url
from refoffice.faults import FAULTS

if TYPE_CHECKING:
    import uvicorn


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m refoffice", description="Reference QLVBĐH e-office system"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port (see --ready-file)")
    serve.add_argument("--fd", type=int, help="serve on this already-bound listening socket")
    db = serve.add_mutually_exclusive_group(required=True)
    db.add_argument("--db", help="SQLite database file")
    db.add_argument("--db-url", help="SQLAlchemy database URL, e.g. postgresql+psycopg://…")
    serve.add_argument(
        "--ready-file", help='written as {"port": P, "pid": PID} once connections are accepted'
    )
    serve.add_argument(
        "--fault",
        action="append",
        default=[],
        choices=list(FAULTS),
        metavar="NAME",
        help="enable a fault switch at start (repeatable): " + ", ".join(FAULTS),
    )
    faults = sub.add_parser("faults", help="print the fault registry")
    faults.add_argument("--json", action="store_true", help="as a JSON list, for the harness")
    serve.add_argument(
        "--exit-with-parent",
        type=int,
        metavar="PID",
        help="stop when process PID ends (a harness killed with SIGKILL leaves no server behind)",
    )
    return parser


def _watch_parent(server: uvicorn.Server, pid: int) -> None:
    """Poll the parent; when it is gone, ask uvicorn to shut down as on SIGTERM."""
    while not server.should_exit:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            server.should_exit = True
            return
        except PermissionError:  # alive, owned by someone else
            pass
        time.sleep(0.5)


def _print_faults(as_json: bool) -> int:
    """The registry needs no server and no secrets: it is data the harness reads."""
    if as_json:
        data = [asdict(f) for f in FAULTS.values()]
        sys.stdout.buffer.write(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
        sys.stdout.flush()
        return 0
    lines = []
    for fault in FAULTS.values():
        expect = ", ".join(fault.expect_fail) or ("preflight" if fault.preflight else "—")
        lines += [f"{fault.name}  [{expect}]", f"    {fault.rule}", f"    {fault.description_en}"]
    sys.stdout.buffer.write(("\n".join(lines) + "\n").encode("utf-8"))
    sys.stdout.flush()
    return 0


def _write_ready(path: str, port: int) -> None:
    """Atomic write, so a reader never sees a half-written file."""
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps({"port": port, "pid": os.getpid()}), encoding="utf-8")
    os.replace(tmp, target)


def _connectable(host: str, port: int) -> bool:
    probe = "127.0.0.1" if host in ("", "0.0.0.0") else ("::1" if host == "::" else host)
    try:
        with socket.create_connection((probe, port), timeout=0.5):
            return True
    except OSError:
        return False


def _announce_when_ready(
    server: uvicorn.Server, host: str, port_of: Callable[[], int], ready_file: str | None
) -> None:
    """Wait for uvicorn to listen, check a real connection succeeds, then write the ready file."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not server.should_exit:
        if server.started:
            port = port_of()
            if _connectable(host, port):
                if ready_file:
                    _write_ready(ready_file, port)
                return
        time.sleep(0.02)


def _exit_cleanly(_sig: int, _frame: FrameType | None) -> None:
    """SIGTERM/SIGINT outside uvicorn's own handling (before start, or re-raised after a
    graceful shutdown) end the process with status 0 instead of a signal death."""
    raise SystemExit(0)


def _serve(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, _exit_cleanly)
    signal.signal(signal.SIGINT, _exit_cleanly)
    import uvicorn

    from refoffice.app import create_app

    db_url = args.db_url or sqlite_url(args.db)
    try:
        config = Config.from_env(db_url, faults=args.fault)
        app = create_app(config)
    except ConfigError as exc:
        print(f"refoffice: {exc}", file=sys.stderr)
        return 2

    common = {"log_level": "warning", "access_log": False, "lifespan": "on"}
    if args.fd is not None:
        fd = args.fd
    else:  # bind here, so the listening socket gets the same options as one handed over with --fd
        family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
        own = socket.socket(family, socket.SOCK_STREAM)
        own.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        own.bind((args.host, args.port))
        own.listen(128)
        fd = own.detach()
    with socket.socket(fileno=os.dup(fd)) as listener:
        # Without TCP_NODELAY a keep-alive client waits ~40 ms for the delayed ACK on every reply.
        listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        host, fd_port = listener.getsockname()[:2]
    uv_config = uvicorn.Config(app, fd=fd, **common)

    def port_of() -> int:
        return fd_port

    server = uvicorn.Server(uv_config)
    threading.Thread(
        target=_announce_when_ready, args=(server, host, port_of, args.ready_file), daemon=True
    ).start()
    if args.exit_with_parent:
        threading.Thread(target=_watch_parent, args=(server, args.exit_with_parent), daemon=True).start()
    server.run()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = _parser().parse_args(argv)
    if args.command == "faults":
        return _print_faults(args.json)
    return _serve(args)


if __name__ == "__main__":
    sys.exit(main())
