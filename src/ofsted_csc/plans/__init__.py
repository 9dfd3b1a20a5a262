"""Improvement plans: from Ofsted's findings to actions, deadlines, evidence and board
reports. Writes live in `services` (each names the acting user, checks the role, audits and
runs in one transaction); reads in `selectors`; the RAG rule and roles in `rules`."""
