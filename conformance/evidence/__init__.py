"""The evidence store: what the harness saw, written as it happens, hashed, with secrets removed."""
