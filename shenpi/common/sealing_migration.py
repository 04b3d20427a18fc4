"""Seal the clear values that columns held before they were sealed, in place, and back
(the migrations that introduce SealedCharField call these)."""

from . import personal

_BATCH = 2000


def _is_token(value: str) -> bool:
    # A resident ID, a mobile number or an address has no "s<id>." head that opens.
    try:
        personal.unseal(value)
    except (personal.SealError, UnicodeDecodeError, ValueError):
        return False
    return True


def seal_columns(schema_editor, table: str, columns: list[str], digests: dict | None = None):
    """Seal each non-empty clear value of `columns` in `table`; fill `digests`
    ({column: digest column}) from the clear values. Rows already sealed are left as
    they are, so a migration interrupted part way can run again."""
    digests = digests or {}
    quote = schema_editor.quote_name
    connection = schema_editor.connection
    selected = ", ".join(quote(c) for c in ["id", *columns])
    sets = ", ".join(f"{quote(c)} = %s" for c in [*columns, *digests.values()])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selected} FROM {quote(table)}")
        rows = cursor.fetchall()
    updates = []
    for pk, *values in rows:
        clear = dict(zip(columns, values, strict=True))
        if all(not v or _is_token(v) for v in clear.values()):
            continue
        sealed = [personal.seal(v) if v and not _is_token(v) else v for v in clear.values()]
        digested = [personal.digest(clear[c]) if clear[c] else None for c in digests]
        updates.append([*sealed, *digested, pk])
    with connection.cursor() as cursor:
        for start in range(0, len(updates), _BATCH):
            cursor.executemany(
                f"UPDATE {quote(table)} SET {sets} WHERE {quote('id')} = %s",
                updates[start : start + _BATCH],
            )


def unseal_columns(schema_editor, table: str, columns: list[str]):
    """Open every token of `columns` back into its clear value (the reverse migration)."""
    quote = schema_editor.quote_name
    connection = schema_editor.connection
    selected = ", ".join(quote(c) for c in ["id", *columns])
    sets = ", ".join(f"{quote(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selected} FROM {quote(table)}")
        rows = cursor.fetchall()
        updates = [
            [personal.unseal(v) if v and _is_token(v) else v for v in values] + [pk]
            for pk, *values in rows
        ]
        for start in range(0, len(updates), _BATCH):
            cursor.executemany(
                f"UPDATE {quote(table)} SET {sets} WHERE {quote('id')} = %s",
                updates[start : start + _BATCH],
            )


def sealing(tables):
    """The forward and backward functions of a migration that seals `tables`: a list of
    (table, columns, {column: digest column})."""

    def seal(apps, schema_editor):
        for table, columns, digests in tables:
            seal_columns(schema_editor, table, columns, digests)

    def unseal(apps, schema_editor):
        for table, columns, _digests in tables:
            unseal_columns(schema_editor, table, columns)

    return seal, unseal
