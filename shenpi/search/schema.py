"""The PostgreSQL side of a searchable table: a `search_vector` generated from its term
columns (title terms weigh A, body terms B, for ts_rank) and a GIN index on it. Kept out of
Django's model (no portable field type): migrations add it with `add_search_vector`, and
terms.ranked reads it by name. On SQLite nothing is added; terms.terms_q matches the term
columns directly."""


def add_search_vector(table: str, index: str):
    """A migration operation's function (RunPython) adding the vector to `table`."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            "(setweight(to_tsvector('simple', title_terms), 'A') || "
            "setweight(to_tsvector('simple', body_terms), 'B')) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_vector)")

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")

    return forwards, backwards
