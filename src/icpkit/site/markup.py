"""Markdown for generated pages, where every piece of ICP text is inert.

ICP files are written by many people and published to everyone, so their text must never
become markup: not HTML (`<script>`), not a Markdown link (`[x](javascript:...)`), not an
attribute list (`{: onclick=...}`), not a table cell break (`|`). Each character that any
of those needs becomes a numeric character reference, which Markdown passes through and
the browser shows as the character itself.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence

# Every character with a meaning in Markdown, its extensions (attr_list, tables, def_list,
# pymdownx's emoji, mark, tilde, caret, keys) or HTML. Letters, digits and spaces remain.
_SPECIAL = frozenset("&<>\"'`*_{}[]()#+-.!|~^=:\\/$")
_WHITESPACE = re.compile(r"\s+")


def text(value: object) -> str:
    """Inline-safe text: one line, every special character a character reference."""
    flat = _WHITESPACE.sub(" ", str(value)).strip()
    return "".join(f"&#{ord(c)};" if c in _SPECIAL else c for c in flat)


def attr(value: object) -> str:
    """Text for an HTML attribute value in double quotes."""
    return html.escape(_WHITESPACE.sub(" ", str(value)).strip(), quote=True)


def css_string(value: object) -> str:
    """A quoted CSS string: every character but ASCII letters and digits a six-digit hex
    escape, so no quote, backslash or `</style>` can end the string or the element. (Spaces
    too: CSS swallows one space after an escape.)"""
    flat = _WHITESPACE.sub(" ", str(value)).strip()
    return (
        '"' + "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}" for c in flat) + '"'
    )


def code(value: object) -> str:
    """An identifier or a file name shown as inline code. Markdown still reads inside an
    HTML `<code>` element, so its text is escaped as `text` escapes it, not only as HTML."""
    return f"<code>{text(value)}</code>"


_TICKED = re.compile(r"`([^`]+)`")


def prose(value: object) -> str:
    """A message as the library writes it (a warning, a rule summary): each `name` in
    backticks becomes inline code, the rest inert text, so no literal backtick is shown."""
    parts = _TICKED.split(_WHITESPACE.sub(" ", str(value)).strip())
    # Not `text` for the words between: it would strip the spaces around each name.
    return "".join(
        code(p) if i % 2 else "".join(f"&#{ord(c)};" if c in _SPECIAL else c for c in p)
        for i, p in enumerate(parts)
    )


def row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cell or "&nbsp;" for cell in cells) + " |"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, align: str = "") -> str:
    """A Markdown table; cells must already be safe (built with `text` and friends).

    `align` holds one letter per column: l, r or c (left is the default).
    """
    marks = {"l": ":--", "r": "--:", "c": ":-:"}
    rule = [marks.get(align[i] if i < len(align) else "l", ":--") for i in range(len(headers))]
    lines = [row(headers), row(rule), *(row(r) for r in rows)]
    return "\n".join(lines) + "\n"


def bullets(items: Iterable[str]) -> str:
    lines = [f"- {item}" for item in items]
    return "\n".join(lines) + "\n" if lines else ""


def badge(
    label: str,
    kind: str,
    *,
    title: str = "",
    data: Mapping[str, object] | None = None,
    hidden: bool = False,
) -> str:
    """A small coloured label; `kind` picks the colour from the site stylesheet, `data`
    adds `data-*` attributes for the site's script."""
    hint = f' title="{attr(title)}"' if title else ""
    hint += "".join(f' data-{attr(k)}="{attr(v)}"' for k, v in (data or {}).items())
    hint += " hidden" if hidden else ""
    return f'<span class="icp-badge icp-badge--{attr(kind)}"{hint}>{text(label)}</span>'


def join(parts: Iterable[str], separator: str = "<br>") -> str:
    return separator.join(p for p in parts if p)
