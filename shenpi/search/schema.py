"""The PostgreSQL side of a searchable table: `search_vector`, generated from its term
columns (title terms weigh A, body terms B), and `title_vector`, from the title's alone,
each with a GIN index. Two vectors, not one with weights: the planner keeps statistics of
each, so that a word rare in titles but common in answers is looked up in the title
index, not read for in every row. Kept out of Django's model (no portable field type):
migrations add them with `add_search_vector`, and terms.matching reads them by name. On
SQLite nothing is added; terms.terms_q matches the term columns directly."""


def add_search_vector(table: str, index: str):
    """A migration operation's functions (RunPython) adding the vectors to `table`."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
            "(setweight(to_tsvector('simple', title_terms), 'A') || "
            "setweight(to_tsvector('simple', body_terms), 'B')) STORED, "
            "ADD COLUMN title_vector tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple', title_terms)) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_vector)")
        schema_editor.execute(f"CREATE INDEX {index}_title ON {table} USING gin (title_vector)")

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"ALTER TABLE {table} DROP COLUMN search_vector, DROP COLUMN title_vector"
        )

    return forwards, backwards
