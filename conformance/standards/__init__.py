"""Domain codes of the Vietnamese QLVBĐH standards, usable on their own.

Grammars of identifiers (``identifiers``), the NĐ 30/2020 PL VI field tables with their JSON Schemas
(``metadata``), the code lists (``codes``) and PDF signature verification (``pdfsig``), with the legal
source and evidence mark (R/S/I) of every rule. This package imports nothing else from
``conformance`` (stdlib, pyyaml, jsonschema; ``pdfsig`` adds pyHanko) so that judges, fixtures and
external tools can share one reading of the law. Data files are loaded
lazily on first use; importing the package has no side effects.
"""
