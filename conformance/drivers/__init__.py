"""Drivers act on the system under test and record what happened; they never decide."""
