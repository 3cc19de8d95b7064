"""The `icpkit` mkdocs plugin: ICP pages generated from the YAML on every build.

Generating inside the build (not into files on disk beforehand) means `mkdocs serve`
regenerates the pages whenever an ICP, a deals file or the settings change, and nothing
generated can go stale in the docs folder or be committed by accident. The pages, the
home page and the nav are `site.staging`'s plan, the one Zensical builds from as files.

    plugins:
      - search
      - icpkit
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, file_sort_key
from mkdocs.structure.pages import Page
from mkdocs.utils import nest_paths

from icpkit.errors import IcpError
from icpkit.site import notfound, robots
from icpkit.site.generate import SCRIPT, STYLESHEET, Layout
from icpkit.site.pages import home
from icpkit.site.staging import Options, Plan, plan_site, source_edit_uri, watched_paths

_DEFAULTS = Options()


class IcpkitConfig(base.Config):
    # The defaults are Options', which engines without mkdocs plugins read (site.staging).
    icp_config = c.Optional(c.File(exists=True))
    catalogue = c.Type(str, default=_DEFAULTS.catalogue)
    icp_dir = c.Type(str, default=_DEFAULTS.icp_dir)
    rules = c.Type(bool, default=_DEFAULTS.rules)
    backtest = c.Type(bool, default=_DEFAULTS.backtest)
    history = c.Type(bool, default=_DEFAULTS.history)
    offline = c.Type(bool, default=_DEFAULTS.offline)
    title = c.Type(str, default=_DEFAULTS.title)
    noindex = c.Type(bool, default=_DEFAULTS.noindex)


class IcpkitPlugin(BasePlugin[IcpkitConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._plan: Plan | None = None
        self._layout = Layout()

    @property
    def plan(self) -> Plan | None:
        """What the last build generated (None before on_files)."""
        return self._plan

    def _options(self) -> Options:
        cfg = self.config
        return Options(
            icp_config=cfg.icp_config,
            catalogue=cfg.catalogue,
            icp_dir=cfg.icp_dir,
            rules=cfg.rules,
            backtest=cfg.backtest,
            history=cfg.history,
            offline=cfg.offline,
            title=cfg.title,
            noindex=cfg.noindex,
        )

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._layout = self._options().layout(config.repo_url)
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
        hand = {f.src_uri for f in files}
        try:
            plan = plan_site(
                self._project_root(config),
                self._options(),
                self._layout,
                hand,
                self._hand_nav(config.nav, files),
            )
        except IcpError as exc:
            raise PluginError(str(exc)) from None
        self._plan = plan
        for uri, content in plan.pages.items():
            generated = File.generated(config, uri, content=content)
            generated.edit_uri = source_edit_uri(
                uri, plan.data, self._layout, Path(config.docs_dir)
            )
            files.append(generated)
        config.nav = plan.nav
        return files

    def _hand_nav(self, nav: Any, files: Files) -> list[Any]:
        """The configured nav, or mkdocs' automatic one of the hand-written pages."""
        if nav is not None:
            return list(nav)
        hand = sorted(
            (f for f in files.documentation_pages() if f.inclusion.is_in_nav()),
            key=file_sort_key,
        )
        return list(nest_paths(f.src_uri for f in hand))

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        plan = self._plan
        if plan and plan.home and page.file.src_uri == self._layout.catalogue:
            return home.place(markdown, plan.home)
        return None

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        return robots.add_meta(output) if self.config.noindex else None

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        # The theme's own pages (404.html) are not pages to mkdocs: they come through here.
        if template_name == "404.html":
            output_content = notfound.portable(output_content, notfound.base_path(config.site_url))
        return robots.add_meta(output_content) if self.config.noindex else output_content

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if self._plan is None:
            return server
        for path in watched_paths(self._plan.data):
            server.watch(str(path))
        return server
