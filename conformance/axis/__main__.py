"""``python -m conformance.axis serve``: the simulated axis on its own, for developing a connector.

A vendor points its connector (``service.endpoint``, ``systemid``, ``secret``) at this server and
exchanges packages with the peer agencies of ``directory`` (send them documents; deliver to itself
with the owner API). The secret is read from an environment variable, never from the command line.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from pathlib import Path

from .directory import DEFAULT_AGENCIES
from .server import AxisServer


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m conformance.axis", description="Trục liên thông mô phỏng")
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="serve the axis until SIGINT/SIGTERM")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8600)
    s.add_argument("--agency", required=True, help="your agency code (QCVN 102 form), e.g. 000.00.00.H49")
    s.add_argument("--name", default="Cơ quan thử nghiệm", help="your agency name")
    s.add_argument("--code-qd20", help="your QĐ 20/2020 code (default: inferred from the 102 form)")
    s.add_argument("--system-id", help="the systemid header your connector sends (default: the agency code)")
    s.add_argument("--secret-env", default="AXIS_SECRET", help="environment variable holding the HMAC secret")
    s.add_argument("--owner-token-env", help="environment variable holding the owner token (default: random)")
    s.add_argument("--journal", type=Path, help="folder for journal.jsonl and the packages")
    s.add_argument("--ready-file", type=Path, help='written as {"url": …, "pid": …} once serving')
    args = ap.parse_args(argv)
    secret = os.environ.get(args.secret_env, "")
    if not secret:
        print(f"axis: environment variable {args.secret_env} (HMAC secret) is not set", file=sys.stderr)
        return 2
    token = os.environ.get(args.owner_token_env, "") if args.owner_token_env else None
    server = AxisServer(host=args.host, port=args.port, journal_dir=args.journal, owner_token=token or None)
    for e in DEFAULT_AGENCIES:
        server.axis.add_agency(e.code102, e.name, code_qd20=e.code_qd20)
    server.axis.add_agency(args.agency, args.name, code_qd20=args.code_qd20)
    server.axis.register_secret(args.agency, secret, system_id=args.system_id)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    with server:
        if args.ready_file:
            tmp = args.ready_file.with_suffix(".tmp")
            tmp.write_text(json.dumps({"url": server.base_url, "pid": os.getpid()}), "utf-8")
            tmp.replace(args.ready_file)
        print(f"axis: serving {server.base_url} for {args.agency}", file=sys.stderr)
        done.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
