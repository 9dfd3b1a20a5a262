"""Improvement plans: the council's response to an inspection (issue 5, in progress)."""
