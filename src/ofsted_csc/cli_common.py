"""What the CLI's modules share: the context object (database, acting user) and the date
option type."""

from __future__ import annotations

from datetime import date

import click

from ofsted_csc import api
from ofsted_csc.storage import Store


class Context:
    def __init__(self, db: str | None, as_user: str | None = None) -> None:
        self.db = db
        self.as_user = as_user
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = api.open_store(self.db)
        return self._store


pass_context = click.make_pass_decorator(Context)


class DateParam(click.ParamType):  # type: ignore[type-arg]
    """A date: 2024-03-31, 31/03/2024 or 31 March 2024."""

    name = "DATE"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> date:
        if isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
        from ofsted_csc.parsing.dates import parse_date

        found = parse_date(text)
        if found is None or len(text) > 30:
            self.fail(f"“{text}” is not a date (use YYYY-MM-DD)", param, ctx)
        return found


DATE = DateParam()
