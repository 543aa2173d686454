"""Conformance harness for Vietnamese QLVBĐH software.

Importing the package has no side effects: nothing is loaded, started or registered until a
command or the pytest plugin asks for it.
"""

__version__ = "0.1.0"
