"""The text encoding of a Shapefile: its ``.cpg``, else detected from the ``.dbf`` bytes.

A county office's Shapefile often has no ``.cpg`` and Chinese text in GBK: read as UTF-8 or
Latin-1 every name comes out garbled (城关镇 as mojibake), silently. Detection: the attribute
bytes that decode as strict UTF-8 are UTF-8; otherwise those that decode as GB18030 (a superset
of GBK and GB2312) are GB18030; plain ASCII needs no choice.
"""

from __future__ import annotations

from pathlib import Path

#: What :func:`shapefile_encoding` may answer besides a ``.cpg``'s own word.
UTF8, GB18030, ASCII = "UTF-8", "GB18030", "ASCII"


def _cpg(path: Path) -> str | None:
    for suffix in (".cpg", ".CPG"):
        cpg = path.with_suffix(suffix)
        if cpg.is_file():
            text = cpg.read_text("ascii", errors="ignore").strip()
            return text or None
    return None


def dbf_text(path: Path) -> bytes:
    """Return the field names and the records of the ``.dbf`` beside ``path`` (its text bytes).

    The dBase header is binary (lengths, counts): only the names in its field descriptors and
    the records after it carry text.
    """
    dbf = next(
        (p for p in (path.with_suffix(".dbf"), path.with_suffix(".DBF")) if p.is_file()), None
    )
    if dbf is None:
        return b""
    data = dbf.read_bytes()
    if len(data) < 32:
        return b""
    header = int.from_bytes(data[8:10], "little")
    names = []
    for start in range(32, min(header, len(data)) - 1, 32):
        if data[start] == 0x0D:
            break
        names.append(data[start : start + 11].split(b"\0")[0])
    return b" ".join(names) + b" " + data[header:].rstrip(b"\x1a")


def detect(data: bytes) -> str:
    """Return ``ASCII``, ``UTF-8`` or ``GB18030`` for attribute bytes (UTF-8 when both fit)."""
    if data.isascii():
        return ASCII
    try:
        data.decode("utf-8")
        return UTF8
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
        return GB18030
    except UnicodeDecodeError:
        return UTF8


def shapefile_encoding(path: Path, forced: str | None = None) -> tuple[str | None, str]:
    """Return (encoding to read ``path`` with, how it was chosen) for a Shapefile.

    Parameters
    ----------
    path : Path
        The ``.shp`` file.
    forced : str, optional
        An encoding set by ``district.json`` (``"encoding": "GBK"``): always used.

    Returns
    -------
    encoding : str or None
        None lets the reader use the ``.cpg`` (or the ASCII data needs none).
    how : str
        ``forced``, ``cpg``, ``detected`` or ``ascii``, for ``check`` to report.
    """
    if forced:
        return forced, "forced"
    if _cpg(path):
        return None, "cpg"
    found = detect(dbf_text(path))
    if found == ASCII:
        return None, "ascii"
    return found, "detected"
