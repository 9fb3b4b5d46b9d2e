"""Which whitespace is trimmed from values, and which of it a file holds.

Every value is trimmed of every kind of whitespace: a tab or a non-breaking space pasted in from
another system would otherwise make `\tCR1` a second crime beside `CR1`. DuckDB's `trim(x)`
removes spaces only, and `trim(x, characters)` costs several times more (about 20 s more on a
million crimes with the full set, 1.5 s more with a single character), so the file is searched
once, as bytes (a few milliseconds per character), for the whitespace it holds besides spaces:
the typing SQL trims those only when there are any, which is seldom. Spaces are trimmed only
when one is at the edge of a field (next to a comma, a quote or a line end): an export seldom
pads its values, and trimming every field of ten million rows costs about a tenth of reading
them.
"""

# Every character Python counts as whitespace, plus the invisible zero-width space and
# byte-order mark (a BOM is left inside a file made by joining two files).
WHITESPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "\u200b\ufeff"

# Line ends are the reader's business; a line break inside a quoted value is added by the
# Python reading, the only one that reads such a file (see `csvfile._read_with_python`).
_SEARCHED = [c for c in WHITESPACE if c not in " \n\r"]


def whitespace_in(data: bytes) -> str:
    """The whitespace characters other than a space and a line end that occur in `data`
    (UTF-8), each once; a carriage return counts when one is not part of a CRLF line end."""
    found = [c for c in _SEARCHED if c.isascii() and c.encode() in data]
    if not data.isascii():  # multi-byte whitespace: look for a character's first byte first
        leads = {c.encode()[:1] for c in _SEARCHED if not c.isascii()}
        present = {lead for lead in leads if lead in data}
        found += [
            c
            for c in _SEARCHED
            if not c.isascii() and c.encode()[:1] in present and c.encode() in data
        ]
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        found.append("\r")
    return "".join(found)


# A space at the edge of a field, wherever a field starts or ends (a quote inside a quoted value
# may match too, which only means trimming what needed none).
_EDGES = (b" ,", b", ", b" \n", b"\n ", b" \r", b'" ', b' "')


def spaces_at_edges(data: bytes) -> bool:
    """Whether a field of the CSV `data` may start or end with a space."""
    if b" " not in data:
        return False
    return data[:1] == b" " or data[-1:] == b" " or any(edge in data for edge in _EDGES)


def trim_sql(value: str, whitespace: str, spaces: bool = True) -> str:
    """SQL trimming `value` of spaces and of the characters in `whitespace`; with neither
    (`spaces` False: no field starts or ends with one), `value` as it is."""
    if not whitespace:
        return f"trim({value})" if spaces else value
    characters = (" " + whitespace).replace("'", "''")
    return f"trim({value}, '{characters}')"
