"""Package round trips per second through the simulated axis on loopback, against a bare HTTP server.

A round trip is what one package costs a real exchange: agency A ``sendEdoc`` (multipart, HMAC,
the package validated and parsed by the axis, queued and journaled), then agency B
``getReceivedEdocList``, ``getEdoc`` and ``updateStatus(done)`` — four signed HTTP calls. The
baseline, in the same process and interleaved, makes four calls of the same sizes to a bare
``ThreadingHTTPServer`` that answers a constant JSON: the ratio is what the axis itself adds. Run
with several client pairs in parallel (``--pairs``) to show the throughput the issue asks for
(≥ 200 round trips a second). The connectors run in their own processes, as a vendor's do, so
they do not share the server's interpreter lock; on 2 cores they still share the CPU with it.

    python bench/bench_axis_round_trips.py [--n 300] [--rounds 3] [--pairs 1 2 4]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import socket
import statistics
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.axis import AxisServer  # noqa: E402
from conformance.axis.client import AxisClient  # noqa: E402
from conformance.axis.peers import build_edoc  # noqa: E402
from conformance.standards.edxml import model as m  # noqa: E402


class _Bare(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"status":"OK","data":[]}'
        self.send_response_only(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _axis_worker(job: tuple[str, str, str, str, bytes, int]) -> float:
    """One connector pair in its own process (as a vendor's connector is): A sends, B receives."""
    url, a_code, b_code, secret, pkg, n = job
    a = AxisClient(url, a_code, "a-" + secret)
    b = AxisClient(url, b_code, "b-" + secret)
    t0 = time.perf_counter()
    for _ in range(n):
        assert a.send_edoc(pkg)["status"] == "OK"
        items = b.received("edoc")
        assert items
        for item in items:
            assert b.get_edoc(item["docId"])
            assert b.update_status(item["docId"], "done")["status"] == "OK"
    return time.perf_counter() - t0


def _bare_worker(job: tuple[str, int, int]) -> float:
    """The same four calls of the same sizes to a server that does nothing."""
    url, size, n = job
    s = requests.Session()
    t0 = time.perf_counter()
    for _ in range(n):
        s.post(url + "/sendEdoc", data=b"x" * size, timeout=10).json()
        for _ in range(3):
            s.post(url + "/op", data=b"{}", timeout=10).json()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300, help="round trips per pair per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pairs", type=int, nargs="+", default=[1, 2, 4], help="connector pairs in parallel")
    args = ap.parse_args()
    bare = ThreadingHTTPServer(("127.0.0.1", 0), _Bare)
    bare.daemon_threads = True
    threading.Thread(target=bare.serve_forever, daemon=True).start()
    bare_url = f"http://127.0.0.1:{bare.server_address[1]}"
    ctx = mp.get_context("fork")
    with AxisServer() as server:
        ax = server.axis
        jobs = []
        for i in range(max(args.pairs)):
            a, b, secret = f"000.00.{i + 10:02d}.H99", f"000.00.{i + 10:02d}.H98", f"{i}-0123456789"
            ax.add_agency(a, f"Đơn vị gửi {i}", secret="a-" + secret)
            ax.add_agency(b, f"Đơn vị nhận {i}", secret="b-" + secret)
            pkg = build_edoc(m.Organization(a, f"Đơn vị gửi {i}"), [m.Organization(b, f"Đơn vị nhận {i}")])
            jobs.append((server.base_url, a, b, secret, pkg))
        size = len(jobs[0][4])
        for k in args.pairs:
            with ctx.Pool(k) as pool:
                pool.map(_axis_worker, [(*j, 20) for j in jobs[:k]])  # warm-up
                pool.map(_bare_worker, [(bare_url, size, 20)] * k)
                ax_t, bare_t, ratios = [], [], []
                for _ in range(args.rounds):  # interleaved, so drift on the machine hits both alike
                    t0 = time.perf_counter()
                    pool.map(_axis_worker, [(*j, args.n) for j in jobs[:k]])
                    t_axis = time.perf_counter() - t0
                    t0 = time.perf_counter()
                    pool.map(_bare_worker, [(bare_url, size, args.n)] * k)
                    t_bare = time.perf_counter() - t0
                    ax_t.append(t_axis)
                    bare_t.append(t_bare)
                    ratios.append(t_axis / t_bare)
            total = k * args.n
            rate = total / statistics.median(ax_t)
            base = total / statistics.median(bare_t)
            print(
                f"{k} pair(s): axis {rate:6.1f} round trips/s, bare HTTP {base:6.1f}/s; "
                f"ratio axis/bare {statistics.median(ratios):.2f}× (min {min(ratios):.2f}, "
                f"max {max(ratios):.2f}); package {size} bytes, {args.rounds} rounds × {total}"
            )
    bare.shutdown()


if __name__ == "__main__":
    main()
