"""Hot-path statements without the ORM's per-call query compilation.

The ORM builds the SQL of every queryset anew, and for the few short statements a post
runs that costs several times what the database spends answering them. Here a statement
is built once per model, shape and database alias from the model's metadata, and then only
executed. Rows become instances through ``Model.from_db`` after the converters the ORM
itself would apply (datetimes and booleans on SQLite, JSON everywhere); inserts prepare
their values with the fields' own hooks (``pre_save``, ``get_db_prep_save``). Statements
go through ``connection.cursor()``, so query logging, counting and error wrapping are the
ORM's.

It holds no policy: what is written, and when, is decided in ``actions/`` (house rule 1),
which call these; reads that enforce access stay ``access_*`` functions in ``queries/``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.db import connections, models, router, transaction
from django.db.models import signals

M = TypeVar("M", bound=models.Model)

# A value no 64-bit integer column can hold matches no row (the ORM answers such a
# lookup with an empty result; SQLite would raise OverflowError).
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1

Converter = tuple[int, list[Callable[..., Any]], Any]
# Model metadata in, SQL out: fields are typed loosely here (the stubs' unions of fields
# and relations would need a cast at every use).
Field = Any


def _field(model: type[models.Model], name: str) -> Field:
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _converters(connection: Any, fields: Sequence[Field]) -> list[Converter]:
    """The ORM's converters for each column (``SQLCompiler.get_converters``), by position."""
    out = []
    for i, field in enumerate(fields):
        col = field.get_col(field.model._meta.db_table)
        convs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if convs:
            out.append((i, convs, col))
    return out


def _convert(row: Sequence[Any], converters: list[Converter], connection: Any) -> list[Any]:
    values = list(row)
    for i, convs, col in converters:
        value = values[i]
        for convert in convs:
            value = convert(value, col, connection)
        values[i] = value
    return values


def row_converter(connection: Any, fields: Sequence[Field]) -> Callable[[Sequence[Any]], list[Any]]:
    """A function from a row of ``fields``' columns (in order) to the values the ORM would
    give them; the converters are looked up once, here."""
    converters = _converters(connection, fields)
    return lambda row: _convert(row, converters, connection)


def quoted(using: str, model: type[models.Model], *names: str) -> tuple[str, ...]:
    """The quoted table of ``model`` and the quoted columns of the fields ``names``."""
    qn = connections[using].ops.quote_name
    return (qn(model._meta.db_table), *(qn(_field(model, n).column) for n in names))


# --- reads ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Select:
    sql: str
    where: tuple[Field, ...]
    # One per model read: the model, its attribute names, its first and past-last column,
    # the index of its pk in them, and the foreign key that caches it on the main instance
    # (None for the main model).
    parts: tuple[tuple[type[models.Model], list[str], int, int, int, Field], ...]
    converters: list[Converter]


# Plans by (alias, model, shape). Two threads may build the same plan at once; either copy
# serves.
_selects: dict[tuple[Any, ...], _Select] = {}


def _build_select(
    using: str, model: type[models.Model], where: tuple[str, ...], related: tuple[str, ...]
) -> _Select:
    connection = connections[using]
    qn = connection.ops.quote_name
    opts = model._meta
    table = qn(opts.db_table)
    columns: list[str] = []
    fields: list[Field] = []
    parts: list[tuple[type[models.Model], list[str], int, int, int, Field]] = []
    joins = []

    def add(m: type[models.Model], alias: str, via: Field) -> None:
        concrete: list[Field] = list(m._meta.concrete_fields)
        start = len(fields)
        names = [f.attname for f in concrete]
        pk_index = concrete.index(m._meta.pk)
        parts.append((m, names, start, start + len(concrete), pk_index, via))
        for f in concrete:
            fields.append(f)
            columns.append(f"{alias}.{qn(f.column)}")

    add(model, table, None)
    for name in related:
        fk = _field(model, name)
        if not (fk.many_to_one and fk.concrete):  # one-to-one would need the reverse cache too
            raise ValueError(f"{model.__name__}.{name} is not a forward foreign key")
        target = fk.related_model
        alias = qn(f"r_{name}")
        kind = "LEFT OUTER JOIN" if fk.null else "INNER JOIN"
        joins.append(
            f"{kind} {qn(target._meta.db_table)} {alias} "
            f"ON ({table}.{qn(fk.column)} = {alias}.{qn(fk.target_field.column)})"
        )
        add(target, alias, fk)
    where_fields = tuple(_field(model, n) for n in where)
    condition = " AND ".join(f"{table}.{qn(f.column)} = %s" for f in where_fields)
    # Table and column names come from the models; values are parameters.
    sql = f"SELECT {', '.join(columns)} FROM {table} {' '.join(joins)}"  # noqa: S608
    sql += f" WHERE {condition} LIMIT 1"
    return _Select(sql, where_fields, tuple(parts), _converters(connection, fields))


def get_unique(
    model: type[M], *, related: tuple[str, ...] = (), using: str | None = None, **where: Any
) -> M | None:
    """The one row of ``model`` whose columns equal ``where`` (which must name a unique key:
    there is no ordering), or None; ``related`` foreign keys are joined and cached on the
    instance as ``select_related`` does. Values are prepared as the ORM prepares them;
    None is refused (that is an IS NULL lookup, for the ORM)."""
    alias = using or router.db_for_read(model)
    key = (alias, model, tuple(where), related)
    plan = _selects.get(key)
    if plan is None:
        plan = _selects[key] = _build_select(alias, model, tuple(where), related)
    connection = connections[alias]
    params = []
    for field, value in zip(plan.where, where.values(), strict=True):
        if value is None:
            raise ValueError(f"get_unique() cannot look up {field.name}=None")
        value = field.get_db_prep_value(value, connection)
        if isinstance(value, int) and not _INT_MIN <= value <= _INT_MAX:
            return None
        params.append(value)
    with connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = _convert(row, plan.converters, connection)
    main, names, start, end, _, _ = plan.parts[0]
    instance = main.from_db(alias, names, values[start:end])
    for m, names, start, end, pk_index, via in plan.parts[1:]:
        chunk = values[start:end]
        related_obj = None if chunk[pk_index] is None else m.from_db(alias, names, chunk)
        via.set_cached_value(instance, related_obj)
    return cast(M, instance)


# --- writes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Insert:
    sql: str
    fields: tuple[Field, ...]
    returning: tuple[Field, ...]
    returns_columns: bool  # RETURNING, else the backend's last_insert_id
    converters: list[Converter]


_inserts: dict[tuple[str, type[models.Model]], _Insert] = {}


def _build_insert(using: str, model: type[models.Model]) -> _Insert:
    connection = connections[using]
    qn = connection.ops.quote_name
    opts = model._meta
    fields: tuple[Field, ...] = tuple(
        f for f in opts.local_concrete_fields if not f.generated and f is not opts.auto_field
    )
    returning = tuple(opts.db_returning_fields)
    sql = (
        f"INSERT INTO {qn(opts.db_table)} ({', '.join(qn(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    returns_columns = bool(returning) and connection.features.can_return_columns_from_insert
    if returns_columns:
        suffix, _ = connection.ops.return_insert_columns(list(returning))  # type: ignore[attr-defined]
        sql = f"{sql} {suffix}"
    elif returning != (opts.auto_field,):
        raise ValueError(f"{model.__name__}: this database cannot return its inserted columns")
    return _Insert(sql, fields, returning, returns_columns, _converters(connection, returning))


def insert(obj: M, *, using: str | None = None) -> M:
    """INSERT a new instance as ``obj.save(force_insert=True)`` does, and set its primary key.

    Models with a parent model, a primary key set by hand, or save signal receivers go
    through ``save()`` itself so that nothing those need is skipped."""
    model = type(obj)
    opts = model._meta
    alias = using or router.db_for_write(model, instance=obj)
    if (
        opts.parents
        or opts.auto_field is None
        or obj.pk is not None
        or signals.pre_save.has_listeners(model)
        or signals.post_save.has_listeners(model)
    ):
        obj.save(force_insert=True, using=alias)
        return obj
    key = (alias, model)
    plan = _inserts.get(key)
    if plan is None:
        plan = _inserts[key] = _build_insert(alias, model)
    connection = connections[alias]
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in plan.fields]
    row = execute(plan.sql, params, using=alias, fetch=plan.returns_columns, pk_of=model)
    values = _convert(row, plan.converters, connection)
    for field, value in zip(plan.returning, values, strict=True):
        setattr(obj, field.attname, value)
    obj._state.adding = False
    obj._state.db = alias
    return obj


def execute(
    sql: str,
    params: Sequence[Any],
    *,
    using: str,
    fetch: bool = False,
    pk_of: type[models.Model] | None = None,
) -> Any:
    """Run one prepared statement; return its first row when ``fetch``, the inserted key of
    ``pk_of`` (as a row) after an INSERT without RETURNING, else the row count. An error
    inside ``atomic`` marks the transaction for rollback, as the ORM's writes do."""
    connection = connections[using]
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        cursor.execute(sql, params)
        if fetch:
            return cursor.fetchone()
        if pk_of is not None:
            table, column = pk_of._meta.db_table, cast(Field, pk_of._meta.pk).column
            return (connection.ops.last_insert_id(cursor, table, column),)
        return cursor.rowcount
