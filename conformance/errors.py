"""Errors that reach a user as one clear line, never as a traceback.

Every problem in a file the user wrote (profile, target, run configuration, waiver) is a
`ConfigError` that names the file, the line and the field, so it can be fixed without reading code.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Problem:
    """One problem in a user file: where it is and what is wrong (Vietnamese first)."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        fld = f" {self.field}:" if self.field else ""
        return f"{where}:{fld} {self.message}"


@dataclass
class ConfigError(Exception):
    """One or more problems in user files; the run cannot start (exit code 2)."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def one(cls, file: str, line: int | None, fld: str, message: str) -> ConfigError:
        return cls([Problem(file, line, fld, message)])


class SystemUnreachable(Exception):
    """The system under test did not answer the preflight (exit code 3)."""


class HarnessError(Exception):
    """A fault of the harness itself: the run is invalid (exit code 4)."""


EXIT_DAT = 0
EXIT_KHONG_DAT = 1
EXIT_CONFIG = 2
EXIT_UNREACHABLE = 3
EXIT_HARNESS = 4
EXIT_INCOMPLETE = 5
