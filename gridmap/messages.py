"""Texts for a person in both languages, carried by warnings and errors (keys of gridmap.i18n).

A :class:`Message` is a ``str`` whose value is the English text, so the JSON API, logs and
``str(error)`` read as before, while a page shows ``message.text(lang)``. Domain code raises
``CoverageError(Message("coverage-new-post-outside", n=1, at="(114.9, 33.7)"), parameter=...)``
or returns Messages among its warnings; :func:`text_of` gives any warning or error in a
language (plain text that is no Message stays as it is).
"""

from __future__ import annotations

from typing import Any

from gridmap.i18n import t


class Message(str):
    """A text of the translation table: ``str`` is its English, :meth:`text` any language.

    Parameters
    ----------
    key : str
        A key of :data:`gridmap.i18n.TEXTS`.
    **values
        The fields of the text (already formatted: numbers as the text should show them).
    """

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, **values: Any) -> Message:
        """Build the message; its ``str`` value is the English text."""
        obj = super().__new__(cls, t(key, "en", **values))
        obj.key = key
        obj.values = values
        return obj

    def text(self, lang: str) -> str:
        """Return the message in ``lang`` (``zh`` or ``en``)."""
        return t(self.key, lang, **self.values)

    def __reduce__(self):
        """Pickle as key and values (the cache stores results holding messages)."""
        return (_rebuild, (self.key, self.values))


def _rebuild(key: str, values: dict[str, Any]) -> Message:
    return Message(key, **values)


def text_of(item: object, lang: str) -> str:
    """Return a warning or an error as text in ``lang``.

    A :class:`Message`, or an exception whose first argument is one, is translated; anything
    else is its ``str``.
    """
    if isinstance(item, Message):
        return item.text(lang)
    if isinstance(item, BaseException) and item.args and isinstance(item.args[0], Message):
        return item.args[0].text(lang)
    return str(item)
