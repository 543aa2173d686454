"""The simulated national document axis (Trục liên thông văn bản quốc gia, "VXP" in SDKs).

The harness plays the axis and the peer agencies, so a vendor's QLVBĐH is certified on its
exchange without any vendor-specific code: the vendor points its axis connector at this server.

- ``core``: the rules (directory with both code forms, per-recipient queues, transport status kept
  apart from business status packages, fault injection, peer play, waits on "what arrived after my
  mark").
- ``server``: ``AxisServer``, the SDK-shaped HTTP paths plus the ``/__owner__/`` API of the harness.
- ``auth``: the per-request HMAC of the SDK; ``journal``: the evidence journal.
- ``peers`` / ``mutants``: packages the harness sends as a peer (valid ones, status answers,
  recalls, and deliberately broken ones); ``directory``: the peers the axis knows from the start.
- ``client``: an SDK-shaped connector client (tests, benchmark, an example for vendors) and the
  owner client used by the exchange driver.
- ``python -m conformance.axis serve``: run it alone, e.g. while a vendor develops its connector.

The interface is documented in the README section "Trục liên thông mô phỏng".
"""

from __future__ import annotations

from .core import Axis, AxisError
from .server import AxisServer

__all__ = ["Axis", "AxisError", "AxisServer"]
