"""Improvement plans: from Ofsted's findings to actions, deadlines, evidence and board
reports.

Writes, by what they write (each names the acting user, checks the role, audits and runs in
one transaction; what they share is in `common`): `accounts` (users, passwords, sign-in),
`plan_writes` (plans and workstreams), `actions` (actions, RAG overrides, progress updates),
`measures`, `evidence`, `boards` (boards and meetings) and `imports` (a whole plan from a
draft). Reads are in `selectors`; a report's findings in `findings`; workbooks in `xlsx`; the
RAG rule and roles in `rules`. The CLI and the web app reach all of this through
`ofsted_csc.api.plans` and `ofsted_csc.api.users`."""
