"""Digests as the database keeps them: the digest's bytes (32 for SHA-256 and SM3), half
the room of its hex text, which is what Python, the pages and the API read and write (an
audit record's hash, a material's SHA-256)."""

from django.db import models


class HexDigestField(models.BinaryField):
    """A digest: a hex string in Python, its bytes in the column (bytea on PostgreSQL)."""

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, str):  # text written before the change (SQLite)
            return value
        return bytes(value).hex()

    def to_python(self, value):
        if isinstance(value, bytes | memoryview):
            return bytes(value).hex()
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        if isinstance(value, str):
            value = bytes.fromhex(value)
        return super().get_db_prep_value(value, connection, prepared)

    def value_to_string(self, obj):
        return self.value_from_object(obj) or ""
