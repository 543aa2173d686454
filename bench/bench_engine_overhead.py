"""Engine overhead per HTTP check, against a bare ``requests`` loop making the same calls.

Both loops run in the same process, against the same reference server, on the same document:
the baseline is ``session.get`` + ``.json()``; the engine loop runs a one-call, one-judge
criterion through ``Engine.run`` (templating, the HTTP driver with its caps, evidence records
fsynced with their manifest, judging). The ratio is what the README reports (target ≤ 1.5×).

    python bench/bench_engine_overhead.py [--n 300] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.catalogue.model import Criterion, LegalBasis, Profile, Step  # noqa: E402
from conformance.embedded import EmbeddedReference  # noqa: E402
from conformance.engine import Engine  # noqa: E402
from conformance.evidence.redact import Redactor  # noqa: E402
from conformance.target import load_target  # noqa: E402
from tests.conftest import target_for  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300, help="checks per round")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    with EmbeddedReference().start() as ref, tempfile.TemporaryDirectory() as tmp:
        target = load_target(target_for(ref.base_url, Path(tmp)))
        s = requests.Session()
        token = s.post(
            ref.base_url + "/api/auth/login",
            json={"username": "vanthu", "password": ref.password},
            timeout=10,
        ).json()["access_token"]
        h = {"Authorization": f"Bearer {token}"}
        doc = s.post(
            ref.base_url + "/api/documents/outgoing",
            headers=h,
            timeout=10,
            json={
                "type_name": "Công văn",
                "code_notation": "UBND-VP",
                "subject": "Đo hiệu năng",
                "page_amount": 1,
            },
        ).json()
        crit = Criterion(
            id="SR-999",
            title={"vi": "đo", "en": "bench"},
            area="gui-nhan",
            level="bat-buoc",
            channel="api",
            severity="legal",
            legal_basis=(LegalBasis("bench", "bench"),),
            evidence_mark="I",
            conditional=False,
            features=(),
            source="bench",
            line=1,
            steps=(
                Step("call", "document.get_outgoing", 0, 1, {"id": doc["id"]}, save="vb"),
                Step("judge", "accepted", 1, 2, {}, on=("vb",)),
            ),
        )
        profile = Profile(
            "bench", "1", {"vi": "", "en": ""}, "2020", "2026-01-01", "bench", {}, {crit.id: crit}, [], ""
        )
        engine = Engine(profile, target, Path(tmp) / "run", "bench", Redactor([ref.password]))

        def bare() -> float:
            t0 = time.perf_counter()
            for _ in range(args.n):
                r = s.get(f"{ref.base_url}/api/documents/outgoing/{doc['id']}", headers=h, timeout=30)
                assert r.status_code == 200 and r.json()["id"] == doc["id"]
            return time.perf_counter() - t0

        def engine_loop() -> float:
            t0 = time.perf_counter()
            for _ in range(args.n):
                assert engine.run(crit).raw == "pass"
            return time.perf_counter() - t0

        bare(), engine_loop()  # warm-up: logins, connection pools, imports
        ratios, b_all, e_all = [], [], []
        for _ in range(args.rounds):  # interleaved, so drift on the machine hits both alike
            b, e = bare(), engine_loop()
            b_all.append(b)
            e_all.append(e)
            ratios.append(e / b)
        per_b = statistics.median(b_all) / args.n * 1000
        per_e = statistics.median(e_all) / args.n * 1000
        print(f"bare requests loop : {per_b:.3f} ms per call (median of {args.rounds} rounds × {args.n})")
        print(f"engine per check   : {per_e:.3f} ms per check")
        med, lo, hi = statistics.median(ratios), min(ratios), max(ratios)
        mode = "fsync per record" if os.environ.get("CONFORMANCE_EVIDENCE_FSYNC") == "1" else "default"
        print(f"ratio engine/bare  : {med:.2f}× (min {lo:.2f}, max {hi:.2f}) [evidence durability: {mode}]")


if __name__ == "__main__":
    main()
