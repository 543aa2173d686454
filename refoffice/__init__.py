"""Reference e-office system (QLVBĐH) of the conformance harness.

An independent implementation of the NĐ 30/2020 rules the harness checks; it never
imports ``conformance`` so that a shared bug cannot make both sides agree.
"""

__version__ = "0.1.0"
