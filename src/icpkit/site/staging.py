"""What the site adds to the hand-written docs, planned once for every engine.

The mkdocs plugin hands the planned pages to mkdocs in memory; engines that run no mkdocs
plugin (Zensical) build from a staging docs folder this module writes: a copy of the
hand-written docs with every generated page in place, under `.cache/icpkit/` beside
mkdocs.yml (never in docs/, so nothing generated can be committed). Both take the same
pages, the same home page and the same nav from `plan_site`, so both sites hold the same
pages; the staged folder, like the pages, is the same to the byte for the same input.
"""

from __future__ import annotations

import html
import os
import posixpath
import shutil
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urljoin

from icpkit.checks import RULES
from icpkit.checks.config import load_config
from icpkit.errors import ConfigError, InputError
from icpkit.fileio import atomic_target
from icpkit.site.generate import Layout, generate
from icpkit.site.pages import home as home_page
from icpkit.site.pages.catalogue import body as catalogue_body
from icpkit.site.pages.common import ICP_PAGES, icp_page, rule_page
from icpkit.site.project import SiteData, collect

PLUGIN = "icpkit"
# Beside mkdocs.yml, as Zensical's own cache (`.cache/`) and Material's social cards are.
CACHE_DIR = PurePosixPath(".cache", "icpkit")


@dataclass(frozen=True)
class Options:
    """The icpkit plugin's options in mkdocs.yml (`plugins: [icpkit: {...}]`)."""

    icp_config: str | None = None
    catalogue: str = "index.md"
    icp_dir: str = "icps"
    rules: bool = True
    backtest: bool = True
    history: bool = True
    offline: bool = True
    title: str = "Ideal Customer Profiles"
    noindex: bool = False  # ask search engines to stay away (site.robots)

    @classmethod
    def read(cls, raw: object, where: str) -> Options:
        """The options as mkdocs would check them, for an engine that does not run mkdocs."""
        if raw is None:
            return cls()
        if not isinstance(raw, Mapping):
            raise ConfigError(f"{where}: the icpkit plugin's options must be a mapping")
        known = {f.name: f for f in fields(cls)}
        for name in raw:
            if name not in known:
                raise ConfigError(f"{where}: unknown option {name!r} of the icpkit plugin")
        values: dict[str, Any] = {}
        for name, value in raw.items():
            default = getattr(cls(), name)
            kind = type(default) if default is not None else str
            if value is None and default is None:
                continue
            if type(value) is not kind:
                raise ConfigError(
                    f"{where}: the icpkit plugin's {name!r} must be a {kind.__name__}, "
                    f"not {value!r}"
                )
            values[name] = value
        return cls(**values)

    def layout(self, repo_url: str | None) -> Layout:
        return Layout(
            catalogue=self.catalogue,
            icp_dir=self.icp_dir.strip("/"),
            rules_dir="rules" if self.rules else None,
            title=self.title,
            repo_url=repo_url,
            noindex=self.noindex,
        )


@dataclass(frozen=True)
class Plan:
    data: SiteData
    layout: Layout
    pages: dict[str, str]  # every generated page and asset, by its path in the docs folder
    home: str | None  # the catalogue that follows a hand-written home page
    nav: list[Any]


def plan_site(
    root: Path, options: Options, layout: Layout, hand: Collection[str], nav: list[Any]
) -> Plan:
    """Collect the project and plan the generated pages beside the hand-written `hand`.

    `nav` is the configured nav, or the automatic one of the hand-written pages; the plan's
    nav adds the ICP and rule sections to it. Bad input and a generated page that would
    replace a hand-written one raise IcpError.
    """
    explicit = Path(options.icp_config) if options.icp_config else None
    icp_config = load_config(root, explicit=explicit)
    data = collect(icp_config, backtest=options.backtest, history=options.history)
    pages = generate(data, layout)
    home = None
    if layout.catalogue in hand:
        # A hand-written home page keeps its words; the catalogue goes above its links.
        del pages[layout.catalogue]
        home = catalogue_body(data, layout.catalogue, layout.icp_dir)
    for uri in pages:
        if uri in hand:
            raise InputError(
                f"docs/{uri} exists, but icpkit generates that page; "
                "move the file or set icp_dir for the icpkit plugin"
            )
    return Plan(data, layout, pages, home, site_nav(nav, layout, data))


def watched_paths(data: SiteData) -> list[Path]:
    """The files the generated pages are made from: settings, ICP folders, deals files."""
    from icpkit.scorer.deals import deal_files
    from icpkit.scorer.excel import split_sheet

    watched = {data.config.source} if data.config.source else set()
    watched.update(data.config.root / p for p in data.config.paths)
    for entry in data.icps:
        files = deal_files(entry.icp, data.config)
        if files is not None:
            # A workbook's sheet (`deals.xlsx#Won`) is watched as its file.
            watched.update(
                split_sheet(p)[0] for p in (files.deals, files.accounts) if p is not None
            )
    return sorted(p for p in watched if p and p.exists())


def source_edit_uri(uri: str, data: SiteData, layout: Layout, docs: Path) -> str | None:
    """The YAML file an ICP page is generated from, relative to the docs folder, as the
    page's edit path (so "Edit this page" opens the ICP); None for other pages."""
    for entry in data.icps:
        if uri.startswith(f"{layout.icp_dir}/{entry.id}/"):
            # mkdocs puts this in an href unescaped: a folder named `a" onclick=...`
            # must stay one URL, so every character but the separators is encoded.
            return quote(Path(os.path.relpath(entry.path.resolve(), docs.resolve())).as_posix())
    return None


def edit_url(
    repo_url: str | None, edit_uri: str | None, template: str | None, path: str
) -> str | None:
    """A page's edit link as mkdocs makes it (`Page._set_edit_url`) from its edit path."""
    if template:
        link = template.format(path=path, path_noext=posixpath.splitext(path)[0])
    elif edit_uri:
        link = edit_uri.rstrip("/") + "/" + path
    else:
        return None
    if repo_url and not link.startswith(("?", "#")) and not repo_url.endswith("/"):
        repo_url += "/"
    return urljoin(repo_url or "", link)


def missing_pages(pages: Iterable[str], output: Path, directory_urls: bool) -> list[str]:
    """What to warn of for every generated page an engine wrote no HTML for.

    Both engines drop a page without a word when an `exclude_docs` pattern matches it,
    and a site missing an ICP's playbook must not pass a strict build.
    """
    missing = []
    for uri in pages:
        if not uri.endswith(".md"):
            continue
        stem = uri.removesuffix(".md")
        if PurePosixPath(stem).name == "index":
            built = f"{stem}.html"
        else:
            built = f"{stem}/index.html" if directory_urls else f"{stem}.html"
        if not (output / built).is_file():
            missing.append(f"built no page for the generated {uri} (is it in exclude_docs?)")
    return missing


def uris(nav: Any) -> set[str]:
    """Every page path a `nav` configuration mentions, at any depth."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(uris(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(uris(v) for v in nav))
    return set()


def site_nav(nav: list[Any], layout: Layout, data: SiteData) -> list[Any]:
    """The nav with the ICP section after the home page and the rules at the end."""
    items: list[Any] = list(nav)
    mentioned = uris(items)
    if layout.catalogue not in mentioned:
        items.insert(0, {"Home": layout.catalogue})
    icps = [
        {
            # mkdocs and Material print nav titles unescaped.
            html.escape(entry.icp.name): [
                {title: icp_page(layout.icp_dir, entry.id, name)} for name, title in ICP_PAGES
            ]
        }
        for entry in data.icps
    ]
    at = next((i + 1 for i, item in enumerate(items) if layout.catalogue in uris(item)), 0)
    if icps:
        items.insert(at, {"ICPs": icps})
    if layout.rules_dir and f"{layout.rules_dir}/index.md" not in mentioned:
        rules = [rule_page(layout.rules_dir, r.id) for r in RULES]
        items.append({"Rules": [f"{layout.rules_dir}/index.md", *rules]})
    return items


def automatic_nav(pages: Iterable[str]) -> list[Any]:
    """mkdocs' automatic nav of `pages` (docs paths): folders as sections, index first.

    The same order and section titles as `mkdocs.utils.nest_paths` over mkdocs' file
    order, for an engine that is given the whole nav.
    """
    nav: list[Any] = []
    for page in sorted(pages, key=_sort_key):
        branch = nav
        for folder in PurePosixPath(page).parts[:-1]:
            title = _folder_title(folder)
            section = next((i for i in branch if isinstance(i, dict) and title in i), None)
            if section is None:
                section = {title: []}
                branch.append(section)
            branch = section[title]
        branch.append(page)
    return nav


def _sort_key(page: str) -> tuple[tuple[str, ...], bool, str]:
    path = PurePosixPath(page)
    return path.parts[:-1], path.stem not in ("index", "README"), path.name


def _folder_title(name: str) -> str:
    title = name.replace("-", " ").replace("_", " ")
    return title.capitalize() if title.lower() == title else title


def hand_pages(docs: Path) -> dict[str, Path]:
    """The docs folder's files by docs path, without the dot-files mkdocs skips too."""
    found = {}
    for path in sorted(docs.rglob("*")):
        relative = path.relative_to(docs)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            found[relative.as_posix()] = path
    return found


def stage_docs(plan: Plan, hand: Mapping[str, Path], target: Path) -> None:
    """Make `target` the hand-written docs plus the planned pages, touching only changes.

    Unchanged files keep their bytes and times, so a watching engine rebuilds only what
    an edit changed; files no longer planned are removed.
    """
    wanted: dict[str, bytes] = {uri: path.read_bytes() for uri, path in hand.items()}
    for uri, text in plan.pages.items():
        wanted[uri] = text.encode("utf-8")
    home = plan.layout.catalogue
    if plan.home is not None:
        wanted[home] = home_page.place(wanted[home].decode("utf-8"), plan.home).encode()
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target).as_posix()
        if path.is_dir() and not path.is_symlink():
            if not any(uri.startswith(f"{relative}/") for uri in wanted):
                shutil.rmtree(path)
        elif relative not in wanted:
            path.unlink()
    for uri, content in wanted.items():
        path = target / uri
        if path.is_file() and path.read_bytes() == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_bytes(path, content)


def _write_bytes(path: Path, content: bytes) -> None:
    with atomic_target(path) as tmp:
        tmp.write_bytes(content)
