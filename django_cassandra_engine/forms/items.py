"""Comma-separated items, as typed in one text input.

Items are separated by commas and stripped of surrounding spaces; an item that contains a comma
or a double quote, or keeps spaces at its ends, or is empty, is written in double quotes, with a
quote inside written twice, as in CSV: ``"a, b", "6"" tall", plain`` is three items. Unquoted
empty items (``a, , b``) are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable

QUOTE = '"'
SEPARATOR = ","


class UnclosedQuote(ValueError):
    pass


def split_items(text: str) -> list[str]:
    items: list[str] = []
    position = 0
    while position <= len(text):
        position = _skip_spaces(text, position)
        if position < len(text) and text[position] == QUOTE:
            item, position = _quoted(text, position + 1)
            items.append(item)
            position = _skip_spaces(text, position)
            if position < len(text) and text[position] != SEPARATOR:
                raise UnclosedQuote(f"text after a closing quote at position {position + 1}")
        else:
            end = text.find(SEPARATOR, position)
            end = len(text) if end < 0 else end
            item = text[position:end].strip()
            if item:
                items.append(item)
            position = end
        position += 1  # past the separator
    return items


def join_items(items: Iterable[str]) -> str:
    return ", ".join(_quote_if_needed(item) for item in items)


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _quoted(text: str, position: int) -> tuple[str, int]:
    """The item from just after an opening quote, and the position after its closing quote."""
    parts = []
    while True:
        end = text.find(QUOTE, position)
        if end < 0:
            raise UnclosedQuote("a double quote is not closed")
        parts.append(text[position:end])
        if text.startswith(QUOTE * 2, end):
            parts.append(QUOTE)
            position = end + 2
        else:
            return "".join(parts), end + 1


def _quote_if_needed(item: str) -> str:
    if item and SEPARATOR not in item and QUOTE not in item and item == item.strip():
        return item
    return QUOTE + item.replace(QUOTE, QUOTE * 2) + QUOTE
