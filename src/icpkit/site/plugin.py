"""The `icpkit` mkdocs plugin: ICP pages generated from the YAML on every build.

Generating inside the build (not into files on disk beforehand) means `mkdocs serve`
regenerates the pages whenever an ICP, a deals file or the settings change, and nothing
generated can go stale in the docs folder or be committed by accident.

    plugins:
      - search
      - icpkit
"""

from __future__ import annotations

import html
import os
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, file_sort_key
from mkdocs.structure.pages import Page
from mkdocs.utils import nest_paths

from icpkit.checks import RULES
from icpkit.checks.config import load_config
from icpkit.errors import IcpError
from icpkit.scorer.excel import split_sheet
from icpkit.site import robots
from icpkit.site.generate import SCRIPT, STYLESHEET, Layout, generate
from icpkit.site.pages import home
from icpkit.site.pages.catalogue import body as catalogue_body
from icpkit.site.pages.common import ICP_PAGES, icp_page, rule_page
from icpkit.site.project import SiteData, collect


def _uris(nav: Any) -> set[str]:
    """Every page path a `nav` configuration mentions, at any depth."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(_uris(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(_uris(v) for v in nav))
    return set()


class IcpkitConfig(base.Config):
    icp_config = c.Optional(c.File(exists=True))
    catalogue = c.Type(str, default="index.md")
    icp_dir = c.Type(str, default="icps")
    rules = c.Type(bool, default=True)
    backtest = c.Type(bool, default=True)
    history = c.Type(bool, default=True)
    offline = c.Type(bool, default=True)
    title = c.Type(str, default="Ideal Customer Profiles")
    noindex = c.Type(bool, default=False)


class IcpkitPlugin(BasePlugin[IcpkitConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._data: SiteData | None = None
        self._home: str | None = None
        self._layout = Layout()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._layout = Layout(
            catalogue=self.config.catalogue,
            icp_dir=self.config.icp_dir.strip("/"),
            rules_dir="rules" if self.config.rules else None,
            title=self.config.title,
            repo_url=config.repo_url,
            noindex=self.config.noindex,
        )
        if self.config.offline and config.theme.name == "material":
            # Web fonts come from Google and the repository widget calls GitHub's API:
            # both fail on an intranet or offline, so the site makes no outside request.
            config.theme["font"] = False
            overrides = str(resources.files("icpkit.site") / "overrides")
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, overrides)
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        if SCRIPT not in map(str, config.extra_javascript):
            config.extra_javascript.append(SCRIPT)
        return config

    def _project_root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        root = self._project_root(config)
        explicit = Path(self.config.icp_config) if self.config.icp_config else None
        try:
            icp_config = load_config(root, explicit=explicit)
            data = collect(icp_config, backtest=self.config.backtest, history=self.config.history)
        except IcpError as exc:
            raise PluginError(str(exc)) from None
        self._data = data
        pages = generate(data, self._layout)
        home = files.get_file_from_path(self._layout.catalogue)
        self._home = None
        if home is not None:
            # A hand-written home page keeps its words; the catalogue goes above its links.
            del pages[self._layout.catalogue]
            self._home = catalogue_body(data, self._layout.catalogue, self._layout.icp_dir)
        for uri, content in pages.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(
                    f"docs/{uri} exists, but icpkit generates that page; "
                    "move the file or set icp_dir for the icpkit plugin"
                )
            generated = File.generated(config, uri, content=content)
            generated.edit_uri = self._edit_uri(uri, data, config)
            files.append(generated)
        config.nav = self._nav(config.nav, files, data)
        return files

    def _edit_uri(self, uri: str, data: SiteData, config: MkDocsConfig) -> str | None:
        """Edit links of ICP pages open the YAML file they are generated from."""
        for entry in data.icps:
            if uri.startswith(f"{self._layout.icp_dir}/{entry.id}/"):
                docs = Path(config.docs_dir).resolve()
                # mkdocs puts this in an href unescaped: a folder named `a" onclick=...`
                # must stay one URL, so every character but the separators is encoded.
                return quote(Path(os.path.relpath(entry.path.resolve(), docs)).as_posix())
        return None

    def _nav(self, nav: Any, files: Files, data: SiteData) -> list[Any]:
        """The configured nav (or mkdocs' automatic one) with the ICP and rule sections."""
        layout = self._layout
        if nav is None:
            hand = sorted(
                (
                    f
                    for f in files.documentation_pages()
                    if not f.generated_by and f.inclusion.is_in_nav()
                ),
                key=file_sort_key,
            )
            nav = nest_paths(f.src_uri for f in hand)
        items: list[Any] = list(nav)
        mentioned = _uris(items)
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
        at = next((i + 1 for i, item in enumerate(items) if layout.catalogue in _uris(item)), 0)
        if icps:
            items.insert(at, {"ICPs": icps})
        if layout.rules_dir and f"{layout.rules_dir}/index.md" not in mentioned:
            rules = [rule_page(layout.rules_dir, r.id) for r in RULES]
            items.append({"Rules": [f"{layout.rules_dir}/index.md", *rules]})
        return items

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self._home and page.file.src_uri == self._layout.catalogue:
            return home.place(markdown, self._home)
        return None

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        return robots.add_meta(output) if self.config.noindex else None

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        # The theme's own pages (404.html) are not pages to mkdocs: they come through here.
        return robots.add_meta(output_content) if self.config.noindex else None

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        data = self._data
        if data is None:
            return server
        watched = {data.config.source} if data.config.source else set()
        watched.update(data.config.root / p for p in data.config.paths)
        from icpkit.scorer.deals import deal_files

        for entry in data.icps:
            files = deal_files(entry.icp, data.config)
            if files is not None:
                # A workbook's sheet (`deals.xlsx#Won`) is watched as its file.
                watched.update(
                    split_sheet(p)[0] for p in (files.deals, files.accounts) if p is not None
                )
        for path in sorted(str(p) for p in watched if p and p.exists()):
            server.watch(path)
        return server
