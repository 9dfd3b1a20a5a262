"""The only SQL: schema, migrations and the Store."""
