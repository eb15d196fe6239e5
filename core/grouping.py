"""Counting one set of rows several ways in one pass.

``count_groupings(sql, params, groupings)`` takes a query selecting rows and,
for each named grouping, an SQL expression over its columns; it returns, for
every grouping and every value its expression takes (NULL is not counted), how
many rows take it. PostgreSQL does it in one scan with GROUPING SETS; SQLite,
which has none, reads the rows once into a materialised table and groups that
once per grouping."""

from django.db import connection


def count_groupings(sql: str, params, groupings: dict[str, str]) -> list[tuple[str, str, int]]:
    names, expressions = list(groupings), list(groupings.values())
    if connection.vendor == "postgresql":
        return _grouping_sets(sql, params, names, expressions)
    branches = " UNION ALL ".join(
        f"SELECT {index}, CAST(g AS TEXT), COUNT(*) FROM (SELECT {expression} AS g FROM counted) "  # noqa: S608
        "WHERE g IS NOT NULL GROUP BY g"
        for index, expression in enumerate(expressions)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"WITH counted AS MATERIALIZED ({sql}) {branches}", params)
        return [(names[index], value, count) for index, value, count in cursor.fetchall()]


def _grouping_sets(sql: str, params, names: list[str], expressions: list[str]) -> list[tuple[str, str, int]]:
    columns = ", ".join(f"{expression} AS g{index}" for index, expression in enumerate(expressions))
    selected = ", ".join(f"CAST(g{index} AS TEXT), GROUPING(g{index})" for index in range(len(expressions)))
    sets = ", ".join(f"(g{index})" for index in range(len(expressions)))
    # OFFSET 0 keeps the rows' own columns (conditions worked out once a row) from being
    # folded into every grouping's expression.
    query = (
        f"SELECT {selected}, COUNT(*) FROM (SELECT {columns} FROM ({sql} OFFSET 0) counted) grouped "  # noqa: S608
        f"GROUP BY GROUPING SETS ({sets})"
    )
    found = []
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for row in cursor.fetchall():
            count = row[-1]
            for index, name in enumerate(names):
                value, grouped_away = row[2 * index], row[2 * index + 1]
                if not grouped_away and value is not None:
                    found.append((name, value, count))
    return found
