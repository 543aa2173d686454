"""One fault switch: the rule it breaks and the criteria that must then fail."""

from __future__ import annotations

from dataclasses import dataclass, field

N30 = "NĐ 30/2020/NĐ-CP"


@dataclass(frozen=True)
class Fault:
    """One switch: the rule it breaks (Vietnamese, with legal basis) and what should then fail."""

    name: str
    rule: str
    description_en: str
    expect_fail: list[str] = field(default_factory=list)
    preflight: bool = False
