"""The command line: `ofsted-csc` (app.py) and its command groups, one module each. Every
command calls `ofsted_csc.api`; errors are turned into messages here, once."""
