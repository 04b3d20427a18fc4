"""Small query helpers shared by the hot paths."""

from __future__ import annotations

from django.db import connections
from django.db.models import Model


def column_converters(connection, columns) -> list[tuple[int, object, list]]:
    """For rows read by hand-written SQL: (place, Col, converters) of each column among
    `columns` ((field, table alias) pairs, in the order selected) whose value the backend
    or the field converts on the way out (SQLite's UUIDs, dates and booleans; JSON), as
    the ORM's compiler would convert it."""
    out = []
    for i, (field, alias) in enumerate(columns):
        col = field.get_col(alias)
        converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if converters:
            out.append((i, col, converters))
    return out


def convert_row(connection, converters, row) -> list:
    values = list(row)
    for i, col, functions in converters:
        for convert in functions:
            values[i] = convert(values[i], col, connection)
    return values


class JoinedLookup:
    """One row of `model` found by a unique column, with the to-one relations named in
    `related` (select_related's paths, such as "user__office__department"), as
    `model.objects.select_related(*related).filter(...)[:1]` would give them, from SQL
    written once per process instead of compiled on every call.

    For the lookups every API request makes (its token, with the caller's user, office and
    department): the ORM compiles that four-table query afresh on every call, a large
    share of a short API request; this is the same statement and the same model instances
    (`Model.from_db`, the backend's value converters, the relations cached on the
    instances as select_related caches them, None included), compiled once.
    `where` is the condition on the model's table, alias `t0`, with %s for its parameters;
    where it does not name one row, `order` says which comes first (SQL, aliases as above)."""

    def __init__(self, model: type[Model], related: tuple[str, ...], where: str, order: str = ""):
        self.model, self.where = model, where
        self.order = f" ORDER BY {order}" if order else ""
        # (path, model, parent path, the parent's field) in join order, parents first.
        self.joins: list[tuple[str, type[Model], str, object]] = []
        for path in related:
            parts = path.split("__")
            for depth in range(1, len(parts) + 1):
                sub = "__".join(parts[:depth])
                if any(sub == joined[0] for joined in self.joins):
                    continue
                parent = "__".join(parts[: depth - 1])
                parent_model = self.model if not parent else self._model_of(parent)
                field = parent_model._meta.get_field(parts[depth - 1])
                self.joins.append((sub, field.related_model, parent, field))
        self._plan: dict = {}  # by database alias: (sql, [(model, columns, converters)])

    def _model_of(self, path: str) -> type[Model]:
        return next(model for sub, model, _parent, _field in self.joins if sub == path)

    def _prepare(self, using: str):
        connection = connections[using]
        quote = connection.ops.quote_name
        aliases = {"": "t0"}
        tables = [(self.model, "t0")]
        sql_from = f"{quote(self.model._meta.db_table)} t0"
        nullable = {"": False}
        for n, (path, model, parent, field) in enumerate(self.joins, start=1):
            alias = aliases[path] = f"t{n}"
            tables.append((model, alias))
            nullable[path] = nullable[parent] or field.null
            kind = "LEFT OUTER JOIN" if nullable[path] else "INNER JOIN"
            target = field.target_field.column
            sql_from += (
                f" {kind} {quote(model._meta.db_table)} {alias}"
                f" ON {alias}.{quote(target)} = {aliases[parent]}.{quote(field.column)}"
            )
        columns, shapes = [], []
        for model, alias in tables:
            fields = list(model._meta.concrete_fields)
            columns += [f"{alias}.{quote(field.column)}" for field in fields]
            converters = column_converters(connection, [(field, alias) for field in fields])
            shapes.append((model, [f.attname for f in fields], converters))
        sql = f"SELECT {', '.join(columns)} FROM {sql_from} WHERE {self.where}{self.order} LIMIT 1"
        self._plan[using] = (sql, shapes)
        return self._plan[using]

    def get(self, params: list, using: str = "default"):
        sql, shapes = self._plan.get(using) or self._prepare(using)
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        instances, at = {}, 0
        paths = ["", *(path for path, *_rest in self.joins)]
        for path, (model, names, converters) in zip(paths, shapes, strict=True):
            values = convert_row(connection, converters, row[at : at + len(names)])
            at += len(names)
            pk = values[names.index(model._meta.pk.attname)]
            instances[path] = None if pk is None else model.from_db(using, names, values)
        for path, _model, parent, field in self.joins:
            owner = instances[parent]
            if owner is not None:
                field.set_cached_value(owner, instances[path])
        return instances[""]
