"""Report writers: HTML and PDF certification reports built from ``results.json``."""
