"""Build or serve the site with mkdocs, as library calls that return what happened."""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from icpkit.errors import ConfigError, InputError
from icpkit.fileio import target_mode
from icpkit.site.replace import staging_for, swap_in
from icpkit.site.staging import PLUGIN, missing_pages
from icpkit.vcs.git import head_time

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


@dataclass(frozen=True)
class SiteBuild:
    site_dir: Path
    pages: int
    warnings: tuple[str, ...]
    seconds: float
    written: bool  # False when strict mode kept the previous site because of warnings


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        found = self.errors if record.levelno >= logging.ERROR else self.messages
        found.append(record.getMessage())


@contextmanager
def _build_date(root: Path) -> Iterator[None]:
    """SOURCE_DATE_EPOCH from the checked-out commit, so a rebuild gives the same bytes."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    stamp = head_time(root)
    if stamp is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(stamp)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _require(config_file: Path) -> None:
    if not config_file.is_file():
        raise ConfigError(
            f"{config_file} not found: the site needs an mkdocs.yml (`icp init` writes one)"
        )


def _mkdocs_config(config_file: Path, site_dir: Path | None = None) -> MkDocsConfig:
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    _require(config_file)
    try:
        # mkdocs drops options given as None, so the file's site_dir stands unless set.
        return load_config(
            config_file=str(config_file),
            site_dir=str(site_dir) if site_dir else None,
            strict=False,
        )
    except ConfigurationError as exc:
        raise ConfigError(f"{config_file}: {exc}") from None


ENGINES = ("mkdocs", "zensical")
# The module each engine runs and the extra that installs it.
_PACKAGES = {"mkdocs": ("material", "site"), "zensical": ("zensical", "zensical")}


def require_engine(engine: str) -> None:
    """ConfigError naming the extra to install when the engine's package is missing."""
    module, extra = _PACKAGES[engine]
    try:
        importlib.import_module(module)
    except ImportError:
        raise ConfigError(
            f"the {engine} engine is not installed: pip install 'icpkit[{extra}]'"
        ) from None


def build_site(
    config_file: Path,
    *,
    site_dir: Path | None = None,
    strict: bool = True,
    engine: str = "mkdocs",
) -> SiteBuild:
    """Generate the ICP pages and build the site; in strict mode any warning fails it.

    The site is built into a staging folder beside the target and swapped in only when the
    build succeeds, so a failed, killed or concurrent build leaves a whole site in place
    (see `replace`). mkdocs runs the icpkit plugin; Zensical builds the staged docs
    (`site.zensical`).
    """
    require_engine(engine)
    if engine == "zensical":
        return _build_zensical(config_file.resolve(), site_dir, strict)
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    config_file = config_file.resolve()
    probe = _mkdocs_config(config_file)
    target = Path(site_dir or probe.site_dir).resolve()
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    start = time.monotonic()
    try:
        with staging_for(target) as staging, _build_date(config_file.parent):
            config = _mkdocs_config(config_file, site_dir=staging)
            try:
                build(config)
            except MkDocsException as exc:
                # mkdocs logs the cause (a plugin's message names the ICP file and line)
                # and raises a generic "Aborted": the cause is what the user needs.
                raise InputError("; ".join(collect.errors) or f"site build failed: {exc}") from None
            warnings = (*collect.messages, *_page_set(config, staging))
            written = not (strict and warnings)
            # Counted before the swap: once the lock is released another build may swap.
            pages = sum(1 for _ in staging.rglob("index.html")) if written else 0
            if written:
                staging.chmod(target_mode(target, directory=True))
                swap_in(staging, target)
        return SiteBuild(target, pages, warnings, time.monotonic() - start, written)
    finally:
        logger.removeHandler(collect)


def _page_set(config: MkDocsConfig, built: Path) -> list[str]:
    """Warnings when mkdocs built the site without some or all of the ICP pages."""
    from icpkit.site.plugin import IcpkitPlugin

    plugin = config.plugins.get(PLUGIN)
    if not isinstance(plugin, IcpkitPlugin):
        return [f"{config.config_file_path} lists no icpkit plugin: the site has no ICP page"]
    if plugin.plan is None:
        return []
    pages = plugin.plan.pages
    return missing_pages(pages, built, directory_urls=config.use_directory_urls)


def _build_zensical(config_file: Path, site_dir: Path | None, strict: bool) -> SiteBuild:
    from icpkit.site import zensical

    _require(config_file)
    start = time.monotonic()
    with _build_date(config_file.parent), zensical.locked(config_file.parent):
        staged = zensical.stage(config_file)
        target = (site_dir or staged.site_dir).resolve()
        with staging_for(target) as staging:
            warnings = zensical.run_build(staged)
            written = not (strict and warnings)
            pages = sum(1 for _ in staged.output.rglob("index.html")) if written else 0
            if written:
                shutil.copytree(staged.output, staging, dirs_exist_ok=True)
                staging.chmod(target_mode(target, directory=True))
                swap_in(staging, target)
    return SiteBuild(target, pages, warnings, time.monotonic() - start, written)


def serve_site(
    config_file: Path, *, dev_addr: str, open_browser: bool = False, engine: str = "mkdocs"
) -> None:
    """Preview with live reload until interrupted; ICP and deals edits rebuild the pages."""
    require_engine(engine)
    config_file = config_file.resolve()
    if engine == "zensical":
        from icpkit.site import zensical

        _require(config_file)
        with _build_date(config_file.parent):
            zensical.serve(config_file, dev_addr=dev_addr, open_browser=open_browser)
        return
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    _mkdocs_config(config_file)
    try:
        with _build_date(config_file.parent):
            serve(config_file=str(config_file), dev_addr=dev_addr, open_in_browser=open_browser)
    except MkDocsException as exc:
        raise InputError(f"site preview failed: {exc}") from None
