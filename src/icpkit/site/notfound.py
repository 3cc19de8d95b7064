"""The 404 page styled wherever the site is served from.

mkdocs writes 404.html with links from the root of `site_url` (`/icpkit/assets/...`),
because the server shows it at any depth. Served anywhere else (a preview with
`python -m http.server`, an intranet at its own root) the page loses its stylesheet and
every link. Here its links become relative to one `<base>` element: the `site_url` path,
or the server's root when the page is not under that path (a line of inline script that
runs before the first stylesheet is requested; without script the `site_url` path stands).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit


def base_path(site_url: str | None) -> str:
    path = urlsplit(site_url or "").path or "/"
    return path if path.endswith("/") else path + "/"


def portable(page: str, base: str) -> str:
    """`page` (the rendered 404.html) with its site-rooted links relative to `<base>`."""
    if base == "/" or "<head>" not in page:
        return page  # links from the server's root are right wherever the site is served
    rooted = re.compile(r'((?:href|src)=")' + re.escape(base))
    page = rooted.sub(r"\1", page)
    quoted = json.dumps(base)
    head = (
        f'<head><base href="{base}"><script>if(location.pathname.indexOf({quoted})!==0)'
        'document.currentScript.previousElementSibling.href="/"</script>'
    )
    return page.replace("<head>", head, 1)
