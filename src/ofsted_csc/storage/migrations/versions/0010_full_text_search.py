"""full-text search: each stored file's text page by page, and the database's index over it
(SQLite: an external-content FTS5 table kept by triggers; PostgreSQL: a generated tsvector
column with a GIN index). Files stored before are filled by `ofsted-csc reindex` (from
the stored PDFs) or when read again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 18:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# No stemming, on either database: both then mean the same thing by a word (see
# domain/search.py). Kept in step with storage/search.py.
_FTS = "document_pages_fts"
_SQLITE_INDEX = (
    f"CREATE VIRTUAL TABLE {_FTS} USING fts5(text, content='document_pages', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER document_pages_ai AFTER INSERT ON document_pages BEGIN "
    f"INSERT INTO {_FTS}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER document_pages_ad AFTER DELETE ON document_pages BEGIN "
    f"INSERT INTO {_FTS}({_FTS}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER document_pages_au AFTER UPDATE ON document_pages BEGIN "
    f"INSERT INTO {_FTS}({_FTS}, rowid, text) VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {_FTS}(rowid, text) VALUES (new.id, new.text); END",
)


# Latin letters with accents, and the letters without (domain/search.py's FOLD_FROM and
# FOLD_TO as they were made for this revision).
_FOLD_FROM = "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ"
_FOLD_TO = "AAAAAACEEEEIIIINOOOOOUUUUYaaaaaaceeeeiiiinooooouuuuyyAaAaAaCcCcCcCcDdEeEeEeEeEeGgGgGgGgHhIiIiIiIiIJjKkLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtUuUuUuUuUuUuWwYyYZzZzZzOoUuAaIiOoUuUuUuUuUuAaAaGgKkOoOojGgNnAaAaAaEeEeIiIiOoOoRrRrUuUuSsTtHhAaEeOoOoOoOoYy"


def upgrade() -> None:
    op.create_table(
        "document_pages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source_files.id"],
            name=op.f("fk_document_pages_source_id_source_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_pages")),
        sa.UniqueConstraint("source_id", "page", name=op.f("uq_document_pages_source_id")),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _SQLITE_INDEX:
            op.execute(statement)
    elif dialect == "postgresql":
        # the parser sees only the words, as FTS5 does: accents of Latin letters taken off
        # (as remove_diacritics), every run of other characters a space (so 20.1% is the
        # words 20 and 1, and multi-agency two words, as FTS5 has them)
        op.execute(
            "ALTER TABLE document_pages ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('simple', regexp_replace(translate(text, '{_FOLD_FROM}', "
            f"'{_FOLD_TO}'), '[^[:alnum:]]+', ' ', 'g'))) STORED"
        )
        op.execute("CREATE INDEX ix_document_pages_tsv ON document_pages USING gin (tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("document_pages_au", "document_pages_ad", "document_pages_ai"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"DROP TABLE IF EXISTS {_FTS}")
    op.drop_table("document_pages")
