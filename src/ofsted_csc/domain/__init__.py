"""Pure domain model: councils, frameworks, grades, records, rules. No I/O."""
