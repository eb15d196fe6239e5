"""Grouping one set of rows several ways in one pass.

``count_groupings(sql, params, groupings)`` takes a query selecting rows and,
for each named grouping, an SQL expression over its columns; it returns, for
every grouping and every value its expression takes (NULL is not counted), how
many rows take it. ``collect_groupings`` does the same but gives, instead of a
count, one column's values for those rows as a comma-separated string (the ids
a value holds), and for ``everything=True`` also that column for all the rows,
under the name None. PostgreSQL does it in one scan with GROUPING SETS; SQLite,
which has none, reads the rows once into a materialised table and groups that
once per grouping."""

from django.db import DEFAULT_DB_ALIAS, connections

Found = list[tuple[str | None, str | None, int | str]]


def count_groupings(sql: str, params, groupings: dict[str, str], *, using=DEFAULT_DB_ALIAS) -> Found:
    return _grouped(connections[using], sql, params, groupings, "COUNT(*)", everything=False)


def collect_groupings(
    sql: str, params, groupings: dict[str, str], column: str, *, everything=False, using=DEFAULT_DB_ALIAS
) -> Found:
    connection = connections[using]
    return _grouped(connection, sql, params, groupings, _joined(connection, column), everything=everything)


def _joined(connection, column: str) -> str:
    if connection.vendor == "postgresql":
        return f"string_agg(CAST({column} AS TEXT), ',')"
    return f"group_concat({column}, ',')"


def _grouped(
    connection, sql: str, params, groupings: dict[str, str], aggregate: str, *, everything: bool
) -> Found:
    names, expressions = list(groupings), list(groupings.values())
    if connection.vendor == "postgresql":
        return _grouping_sets(connection, sql, params, names, expressions, aggregate, everything)
    branches = [
        f"SELECT {index}, CAST(g AS TEXT), {aggregate} FROM (SELECT *, {expression} AS g FROM counted) "  # noqa: S608
        "WHERE g IS NOT NULL GROUP BY g"
        for index, expression in enumerate(expressions)
    ]
    if everything:
        branches.append(f"SELECT {len(names)}, NULL, {aggregate} FROM counted")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"WITH counted AS MATERIALIZED ({sql}) {' UNION ALL '.join(branches)}", params)
        return [([*names, None][index], value, found) for index, value, found in cursor.fetchall()]


def _grouping_sets(connection, sql, params, names, expressions, aggregate, everything) -> Found:
    columns = ", ".join(f"{expression} AS g{index}" for index, expression in enumerate(expressions))
    selected = ", ".join(f"CAST(g{index} AS TEXT), GROUPING(g{index})" for index in range(len(expressions)))
    sets = ", ".join([*(f"(g{index})" for index in range(len(expressions))), *(["()"] if everything else [])])
    # OFFSET 0 keeps the rows' own columns (conditions worked out once a row) from being
    # folded into every grouping's expression.
    query = (
        f"SELECT {selected}, {aggregate} FROM (SELECT *, {columns} FROM ({sql} OFFSET 0) counted) grouped "  # noqa: S608
        f"GROUP BY GROUPING SETS ({sets})"
    )
    found: Found = []
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for row in cursor.fetchall():
            value_of = row[-1]
            grouped = [index for index in range(len(names)) if not row[2 * index + 1]]
            if not grouped:  # the set of every row
                found.append((None, None, value_of))
            for index in grouped:
                if row[2 * index] is not None:
                    found.append((names[index], row[2 * index], value_of))
    return found
