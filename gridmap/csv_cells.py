"""CSV export cells made safe for spreadsheets: a cell that could run as a formula stays text.

Excel, LibreOffice and Google Sheets treat a cell starting with ``= + - @`` (and tab or carriage
return) as a formula: ``=HYPERLINK(...)`` posted in an incident's description would become a live
link in a command centre's spreadsheet (OWASP "CSV injection"). Such cells get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Byte-order mark that makes Excel read the file as UTF-8 (Chinese text would garble without it).
UTF8_BOM = "\ufeff"


def safe_cell(value: Any) -> Any:
    """Return ``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula.

    Numbers are left alone (a negative number is not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]], bom: bool = True) -> str:
    """Return a CSV document of ``rows`` under ``header``, every text cell made safe."""
    out = io.StringIO()
    if bom:
        out.write(UTF8_BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()
