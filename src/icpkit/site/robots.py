"""Keep search engines off the site: win rates, deal sizes and disqualifiers are not for
the open web, and a GitHub Pages site is public unless the organisation has private Pages.

`noindex` asks every well-behaved crawler twice: a robots meta tag in each page's head
(honoured when a page is reached by a link) and a robots.txt that disallows the whole site
(honoured before a page is fetched). Neither keeps a person out: that takes access control.
"""

from __future__ import annotations

import re

META = '<meta name="robots" content="noindex, nofollow">'
ROBOTS_TXT = "# icpkit noindex: this site is not for search engines.\nUser-agent: *\nDisallow: /\n"
ROBOTS_FILE = "robots.txt"
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


def add_meta(page: str) -> str:
    """The HTML page with the robots meta tag first in its head; other output unchanged."""
    found = _HEAD.search(page)
    if found is None or META in page:
        return page
    return f"{page[: found.end()]}\n  {META}{page[found.end() :]}"
