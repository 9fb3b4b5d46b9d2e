"""Running the row rules inside DuckDB, over a file's staged rows, into the report.

Every rule's failing rows are counted where the rows are (`flightdeck.extracts.staging`), never
in pandas: all the predicates in one pass (one `count(*) FILTER (WHERE ...)` each), and each
rule across rows by grouping its key. Only a rule that fails is read again, for its first
examples by line; the values they quote are the file's (the text that could not be read first,
else the value read: dates as YYYY-MM-DD, whole numbers without a decimal point), and a value
equal to an id of the file, whatever its case, is withheld.
"""

from collections.abc import Collection, Sequence

import duckdb

from flightdeck.extracts.report import ValidationReport, quote
from flightdeck.extracts.schema import Across, Rule, col, unread

Example = tuple[int, str | None, int | None, str | None]  # line, value, other line, other value


def _shown(value) -> str | None:
    """A value as the report quotes it: dates as YYYY-MM-DD, missing as None."""
    if value is None or value != value:
        return None
    if hasattr(value, "strftime"):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _quoted(value, text: str | None) -> str | None:
    """What the file held: the text that could not be read, else the value read."""
    return _shown(text if text is not None else value)


def _all_given(key: Sequence[str]) -> str:
    return " AND ".join(f"{col(k)} IS NOT NULL" for k in key)


def _repeated_keys(relation: str, key: Sequence[str]) -> str:
    keys = ", ".join(col(k) for k in key)
    return (
        f"SELECT {keys}, count(*) AS n FROM {relation} WHERE {_all_given(key)} "
        f"GROUP BY {keys} HAVING count(*) > 1"
    )


def _disagreeing_keys(relation: str, key: Sequence[str], c: str) -> str:
    """The keys whose rows give two values of `c` or more (blank one of them)."""
    keys = ", ".join(col(k) for k in key)
    values = f"count(DISTINCT {col(c)}) + max(CASE WHEN {col(c)} IS NULL THEN 1 ELSE 0 END)"
    return (
        f"SELECT {keys}, count(*) AS n FROM {relation} WHERE {_all_given(key)} "
        f"GROUP BY {keys} HAVING {values} > 1"
    )


def _across_total(con, relation: str, test: Across) -> int:
    if test.column is None:
        keys = _repeated_keys(relation, test.key)
    else:
        keys = _disagreeing_keys(relation, test.key, test.column)
    return con.execute(f"SELECT coalesce(sum(n), 0) FROM ({keys})").fetchall()[0][0]


def totals(con: duckdb.DuckDBPyConnection, relation: str, rules: Sequence[Rule]) -> list[int]:
    """The number of rows breaking each rule: every predicate in one pass over the rows."""
    counts: list[int] = [0] * len(rules)
    simple = [(i, r.failing) for i, r in enumerate(rules) if isinstance(r.failing, str)]
    if simple:
        counted = ", ".join(f"count_if({test})" for _, test in simple)
        for (i, _), n in zip(simple, con.execute(f"SELECT {counted} FROM {relation}").fetchall()[0],
                             strict=True):  # fmt: skip
            counts[i] = n
    for i, rule in enumerate(rules):
        if isinstance(rule.failing, Across):
            counts[i] = _across_total(con, relation, rule.failing)
    return counts


def _quoting(rule: Rule, alias: str = "") -> str:
    """The columns a rule's example quotes: its column (value and unread text), and the second
    column's when it has one."""
    a = f"{alias}." if alias else ""
    quoted = [f"{a}{col(rule.column)}", f"{a}{unread(rule.column)}"]
    if rule.other:
        quoted += [f"{a}{col(rule.other)}", f"{a}{unread(rule.other)}"]
    return ", ".join(quoted)


def _one_row_examples(rows: list[tuple], rule: Rule) -> list[Example]:
    out = []
    for line, value, text, *other in rows:
        shown = _quoted(*other) if rule.other else None
        out.append((line, _quoted(value, text), None, shown))
    return out


def _other_line_examples(con, relation: str, rule: Rule, limit: int) -> list[Example]:
    """The first failing rows of a `disagreeing` rule with the line each names (see
    `schema.disagreeing`) and that row's value of the rule's column."""
    test = rule.failing
    assert isinstance(test, Across) and test.column is not None
    partition = ", ".join(col(k) for k in test.key)
    c = col(test.column)
    lines = f"""
        WITH keyed AS (
            SELECT line, min(line) OVER (PARTITION BY {partition}) AS first_line,
                   {c} IS DISTINCT FROM first_value({c}) OVER (
                       PARTITION BY {partition} ORDER BY line) AS differs
            FROM {relation} WHERE {_all_given(test.key)}
        ),
        named AS (
            SELECT line, CASE WHEN differs THEN first_line ELSE min(
                       CASE WHEN differs THEN line END) OVER (PARTITION BY first_line) END
                   AS other_line
            FROM keyed
        )
        SELECT line, other_line FROM named WHERE other_line IS NOT NULL
        ORDER BY line LIMIT {int(limit)}"""
    found = con.execute(
        f"""WITH examples AS ({lines})
            SELECT e.line, {_quoting(rule, "r")}, e.other_line, {_quoting(rule, "o")}
            FROM examples AS e
            JOIN {relation} AS r ON r.line = e.line
            JOIN {relation} AS o ON o.line = e.other_line
            ORDER BY e.line"""
    ).fetchall()
    return [
        (line, _quoted(value, text), other_line, _quoted(other, other_text))
        for line, value, text, other_line, other, other_text in found
    ]


def examples(con, relation: str, rule: Rule, limit: int) -> list[Example]:
    """The rule's first `limit` failing rows by line, with what each quotes."""
    test = rule.failing
    if isinstance(test, Across) and test.column is not None:
        return _other_line_examples(con, relation, rule, limit)
    if isinstance(test, Across):
        on = " AND ".join(f"r.{col(k)} = d.{col(k)}" for k in test.key)
        source = f"{relation} AS r SEMI JOIN ({_repeated_keys(relation, test.key)}) AS d ON {on}"
        where = "true"
    else:
        source, where = f"{relation} AS r", test
    found = con.execute(
        f"SELECT r.line, {_quoting(rule, 'r')} FROM {source} WHERE {where} "
        f"ORDER BY r.line LIMIT {int(limit)}"
    ).fetchall()
    return _one_row_examples(found, rule)


def ids_among(con, relation: str, id_columns: Collection[str], values: set[str]) -> set[str]:
    """Those of `values` that are an id in the file (a crime_id, suspect_id, ... of any row),
    whatever their case: a coded column is quoted in its canonical case.

    Only the few quoted examples are looked up, never the whole file's values: a file with its
    columns swapped or its fields shifted would otherwise quote its ids as, say, bad dates.
    DuckDB finds the candidates (lower-casing as it does), Python's lower case decides.
    """
    if not id_columns or not values:
        return set()
    lowered = {v.lower() for v in values}
    ids = " UNION ALL ".join(f"SELECT {col(c)} AS id FROM {relation}" for c in sorted(id_columns))
    found = con.execute(
        f"""WITH wanted AS (SELECT unnest(?::VARCHAR[]) AS v)
            SELECT DISTINCT id FROM ({ids})
            WHERE lower(id) IN (SELECT v FROM wanted UNION SELECT lower(v) FROM wanted)""",
        [sorted(lowered | values)],
    ).fetchall()
    matched = {i.lower() for (i,) in found if i.lower() in lowered}
    return {v for v in values if v.lower() in matched}


def apply_rules(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    rules: Sequence[Rule],
    report: ValidationReport,
    id_columns: Collection[str] = (),
) -> None:
    """Check the staged rows of `relation` against every rule; report each failed rule with
    its lines and values (an id, or a value equal to an id in `id_columns`, is withheld)."""
    found = []
    for rule, total in zip(rules, totals(con, relation, rules), strict=True):
        if total:
            found.append((rule, examples(con, relation, rule, report.max_examples), total))
    quoted = {v for _, shown, _ in found for _, value, _, other in shown for v in (value, other)}
    withheld = ids_among(con, relation, id_columns, {v for v in quoted if v})
    for rule, shown, total in found:
        report.add(
            rule.severity,
            rule.name,
            rule.text,
            column=rule.column,
            examples=[
                (line, value, _other(rule, other_line, other, withheld))
                for line, value, other_line, other in shown
            ],
            total=total,
            withheld=withheld,
        )


def _other(rule: Rule, line: int | None, value: str | None, withheld: set[str]) -> str:
    """What a rule over two columns or two rows quotes besides the value: the second column's,
    " (force 'demo-eastvale')", or the other row's, " (line 4: civil_order_outcome 'refused')"."""
    if line is not None:
        return f" (line {line}: {rule.column} {quote(rule.column, value, withheld)})"
    return f" ({rule.other} {quote(rule.other, value, withheld)})" if value is not None else ""
