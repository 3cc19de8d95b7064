"""Building the site with Zensical, which reads mkdocs.yml but runs no mkdocs plugin.

The icpkit plugin's pages are staged as files (`site.staging`) and Zensical is given a
configuration derived from mkdocs.yml that builds from them: under `.cache/icpkit/zensical/`
beside mkdocs.yml sit `mkdocs.yml` (the derived configuration), `docs/` (the staged docs),
`overrides/` (icpkit's theme overrides under the project's own) and `site/` (Zensical's
output, moved into place like an mkdocs build's). Without this Zensical would build the
hand-written pages alone and say nothing of the missing ones.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
import yaml_env_tag

from icpkit.errors import ConfigError, IcpError, InputError
from icpkit.fileio import atomic_write_text, exclusive_lock
from icpkit.site import robots
from icpkit.site.generate import SCRIPT, STYLESHEET
from icpkit.site.replace import LOCK
from icpkit.site.staging import (
    CACHE_DIR,
    PLUGIN,
    Options,
    Plan,
    automatic_nav,
    edit_url,
    hand_pages,
    missing_pages,
    plan_site,
    source_edit_uri,
    stage_docs,
    watched_paths,
)

_log = logging.getLogger("icpkit.site")

WORK = CACHE_DIR / "zensical"
_PYTHON_TAG = "tag:yaml.org,2002:python/"


@dataclass(frozen=True)
class Staged:
    root: Path  # the folder of mkdocs.yml
    config_file: Path  # the derived configuration Zensical builds
    output: Path  # where Zensical writes the site
    site_dir: Path  # mkdocs.yml's site_dir, where the built site goes
    use_directory_urls: bool
    plan: Plan


@dataclass(frozen=True)
class _Tagged:
    """A `!!python/...` value, such as an emoji index, passed on to Zensical as written."""

    tag: str
    value: Any


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """The staging folder to this process alone: a second build or preview of the same
    project waits here rather than rewrite the pages under the first."""
    work = root / WORK
    work.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(work / LOCK.lstrip(".")):
        yield


def stage(config_file: Path) -> Staged:
    """Stage the docs and write the derived configuration for a Zensical build."""
    root = config_file.parent
    raw = _load(config_file)
    plugins, options = _split_plugins(raw.get("plugins"), config_file)
    if options.icp_config:
        # As mkdocs reads the plugin's File option: from the folder of mkdocs.yml.
        settings = root / options.icp_config
        if not settings.is_file():
            raise ConfigError(f"{config_file}: the icpkit plugin's icp_config {settings} not found")
        options = replace(options, icp_config=str(settings))
    docs = root / str(raw.get("docs_dir") or "docs")
    if not docs.is_dir():
        raise ConfigError(f"{config_file}: docs_dir {docs} is not a folder")
    hand = hand_pages(docs)
    nav = raw.get("nav")
    layout = options.layout(raw.get("repo_url"))
    plan = plan_site(root, options, layout, set(hand), _nav(nav, hand, raw))
    work = root / WORK
    stage_docs(_with_edit_urls(plan, raw, docs), hand, work / "docs")
    derived = {
        **raw,
        "docs_dir": "docs",
        "site_dir": "site",
        "plugins": plugins,
        "nav": plan.nav,
        "extra_css": _extra_css(raw.get("extra_css")),
        "extra_javascript": _extra_javascript(raw.get("extra_javascript")),
        "theme": _theme(raw.get("theme"), options, root, work),
    }
    if "watch" in raw:
        derived["watch"] = [str(root / str(p)) for p in raw["watch"] or ()]
    derived_file = work / "mkdocs.yml"
    text = "# Written by icp site build --engine zensical from ../../../mkdocs.yml; do not edit.\n"
    atomic_write_text(derived_file, text + yaml.dump(derived, Dumper=_Dumper, sort_keys=False))
    site_dir = root / str(raw.get("site_dir") or "site")
    directory_urls = raw.get("use_directory_urls", True) is not False
    return Staged(root, derived_file, work / "site", site_dir, directory_urls, plan)


def _with_edit_urls(plan: Plan, raw: Mapping[str, Any], docs: Path) -> Plan:
    """Generated pages with their edit link in the front matter, for icpkit's actions.html:
    an ICP page's opens its YAML file, other generated pages have none (no file to edit)."""
    pages = dict(plan.pages)
    for uri, text in plan.pages.items():
        if not uri.endswith(".md"):
            continue
        path = source_edit_uri(uri, plan.data, plan.layout, docs)
        link = path and edit_url(
            raw.get("repo_url"), raw.get("edit_uri"), raw.get("edit_uri_template"), path
        )
        line = f"icpkit_edit_url: {json.dumps(link or '')}\n"
        body = text[4:] if text.startswith("---\n") else f"---\n\n{text}"
        pages[uri] = f"---\n{line}{body}"
    return replace(plan, pages=pages)


def _load(config_file: Path) -> dict[str, Any]:
    if not config_file.is_file():
        raise ConfigError(
            f"{config_file} not found: the site needs an mkdocs.yml (`icp init` writes one)"
        )
    loader = _loader(config_file)
    try:
        with config_file.open(encoding="utf-8") as handle:
            raw = yaml.load(handle, Loader=loader)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{config_file}: {exc}") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_file}: expected a mapping of settings")
    if "INHERIT" in raw:
        raise ConfigError(
            f"{config_file}: INHERIT is not supported with --engine zensical; "
            "merge the inherited settings into this file"
        )
    return raw


def _loader(config_file: Path) -> type[yaml.SafeLoader]:
    """mkdocs' YAML: `!ENV` as mkdocs reads it, `!relative $config_dir|$docs_dir/...`."""
    root = config_file.parent

    class Loader(yaml.SafeLoader):
        pass

    def relative(loader: yaml.SafeLoader, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise ConfigError(f"{config_file}: `!relative` takes a path, not a list or mapping")
        value = str(loader.construct_scalar(node))
        prefix, _, suffix = value.partition("/")
        if prefix == "$config_dir":
            return str(root / suffix) if suffix else str(root)
        if prefix == "$docs_dir":
            # The staged docs hold every hand-written file at the same path.
            return str(root / WORK / "docs" / suffix)
        tag = f"!relative {value}".strip()
        raise ConfigError(
            f"{config_file}: `{tag}` is not supported with --engine zensical "
            "(Zensical has no current page for it); use `!relative $config_dir/...`"
        )

    def python(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> _Tagged:
        if isinstance(node, yaml.ScalarNode):
            return _Tagged(_PYTHON_TAG + suffix, loader.construct_scalar(node))
        if isinstance(node, yaml.SequenceNode):
            return _Tagged(_PYTHON_TAG + suffix, loader.construct_sequence(node, deep=True))
        assert isinstance(node, yaml.MappingNode)  # the one node kind left
        return _Tagged(_PYTHON_TAG + suffix, loader.construct_mapping(node, deep=True))

    Loader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
    Loader.add_constructor("!relative", relative)
    Loader.add_multi_constructor(_PYTHON_TAG, python)
    return Loader


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, data: _Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Dumper.add_representer(_Tagged, _represent_tagged)


def _split_plugins(value: Any, config_file: Path) -> tuple[Any, Options]:
    """The plugins without icpkit (Zensical ignores what it cannot run), and its options."""
    where = str(config_file)
    if value is None:
        return [], Options()
    if isinstance(value, Mapping):
        rest = {k: v for k, v in value.items() if k != PLUGIN}
        return rest, Options.read(value.get(PLUGIN), where)
    if not isinstance(value, list):
        raise ConfigError(f"{where}: plugins must be a list or a mapping")
    rest_list: list[Any] = []
    options = Options()
    for item in value:
        if item == PLUGIN:
            continue
        if isinstance(item, Mapping) and PLUGIN in item:
            options = Options.read(item[PLUGIN], where)
            continue
        rest_list.append(item)
    return rest_list, options


def _nav(nav: Any, hand: Mapping[str, Path], raw: Mapping[str, Any]) -> list[Any]:
    if nav is not None:
        if not isinstance(nav, list):
            raise ConfigError("nav must be a list")
        return nav
    pages = [uri for uri in hand if uri.endswith(".md")]
    patterns = "\n".join(str(raw.get(key) or "") for key in ("exclude_docs", "not_in_nav"))
    if patterns.strip():
        # The same gitignore patterns mkdocs and Zensical use; both depend on pathspec.
        import pathspec

        spec = pathspec.GitIgnoreSpec.from_lines(patterns.splitlines())
        pages = [uri for uri in pages if not spec.match_file(uri)]
    return automatic_nav(pages)


def _extra_javascript(value: Any) -> list[Any]:
    scripts = list(value or [])
    return scripts if SCRIPT in scripts else [*scripts, SCRIPT]


def _extra_css(value: Any) -> list[Any]:
    css = list(value or [])
    return css if STYLESHEET in css else [*css, STYLESHEET]


def _theme(value: Any, options: Options, root: Path, work: Path) -> dict[str, Any]:
    theme: dict[str, Any] = {"name": value} if isinstance(value, str) else dict(value or {})
    custom = root / str(theme["custom_dir"]) if theme.get("custom_dir") else None
    if theme.get("name", "material") != "material":
        if custom is not None:
            theme["custom_dir"] = str(custom)
        return theme
    # Zensical's look for a Material project: the icpkit stylesheet was made for it.
    theme.setdefault("variant", "classic")
    ours = ["overrides_zensical"]  # the generated pages' edit links
    if options.offline:
        # As the plugin does for mkdocs: no web fonts, no GitHub API call.
        theme["font"] = False
        ours.append("overrides")
    # The project's own overrides win over icpkit's, as its custom_dir comes first in
    # mkdocs' theme dirs.
    overrides = work / "overrides"
    shutil.rmtree(overrides, ignore_errors=True)
    for name in ours:
        with resources.as_file(resources.files("icpkit.site") / name) as folder:
            shutil.copytree(folder, overrides, dirs_exist_ok=True)
    if custom is not None:
        shutil.copytree(custom, overrides, dirs_exist_ok=True)
    theme["custom_dir"] = "overrides"
    return theme


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_WHERE = re.compile(r"\[\s*(\S+:\d+:\d+)\s*\]")


def warnings_of(output: str) -> tuple[str, ...]:
    """Zensical's diagnostics as one line each ("page does not exist (guide/a.md:5:9)").

    Zensical draws each one as a box under a `Warning:` line and colours it whatever the
    terminal; the message and the place are what a build log needs.
    """
    found: list[str] = []
    for block in re.split(r"^(?=Warning:)", _ANSI.sub("", output), flags=re.M):
        if not block.startswith("Warning:"):
            continue
        first, _, rest = block.partition("\n")
        message = first.removeprefix("Warning:").strip()
        where = _WHERE.search(rest)
        found.append(f"{message} ({where.group(1)})" if where else message)
    return tuple(found)


def run_build(staged: Staged) -> tuple[str, ...]:
    """Run `zensical build` on the staged project; its warnings, or InputError if it fails."""
    shutil.rmtree(staged.output, ignore_errors=True)  # no page of an earlier build stays
    done = subprocess.run(
        zensical_command("build", "--config-file", str(staged.config_file)),
        # Paths mkdocs reads from the working folder (snippets' default base) stay the same.
        cwd=staged.root,
        capture_output=True,
        text=True,
        check=False,
    )
    output = f"{done.stdout}\n{done.stderr}"
    if done.returncode != 0 or not staged.output.is_dir():
        detail = _ANSI.sub("", done.stderr or done.stdout).strip()
        raise InputError(f"zensical build failed: {detail or f'exit {done.returncode}'}")
    if staged.plan.layout.noindex:
        # Zensical runs no plugin hook: the robots tag goes into each built page here.
        for page in staged.output.rglob("*.html"):
            html = page.read_text(encoding="utf-8")
            marked = robots.add_meta(html)
            if marked != html:
                atomic_write_text(page, marked)
    missing = missing_pages(staged.plan.pages, staged.output, staged.use_directory_urls)
    return warnings_of(output) + tuple(f"Zensical {m}" for m in missing)


def zensical_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "zensical", *args]


def serve(
    config_file: Path, *, dev_addr: str, open_browser: bool, poll_seconds: float = 1.0
) -> None:
    """`zensical serve` on the staged docs, restaged whenever a file they come from changes.

    Zensical watches the staged folder only: an edited ICP, deals file, setting or
    hand-written page is staged again here, and Zensical reloads the pages that changed.
    A restage that fails (an ICP made invalid mid-edit) is logged; the preview keeps the
    last good pages until the next edit.
    """
    with locked(config_file.parent):
        staged = stage(config_file)
    args = ["serve", "--config-file", str(staged.config_file), "--dev-addr", dev_addr]
    server = subprocess.Popen(
        zensical_command(*args, *(["--open"] if open_browser else [])), cwd=staged.root
    )
    # A terminated preview (a service manager, a test) stops its Zensical server too.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _restage_until_stopped(config_file, staged, server, poll_seconds)
    except KeyboardInterrupt:
        pass  # Ctrl-C is how a preview ends, as under mkdocs
    finally:
        signal.signal(signal.SIGTERM, previous)
        if server.poll() is None:
            server.terminate()
            server.wait()


def _restage_until_stopped(
    config_file: Path, staged: Staged, server: subprocess.Popen[bytes], poll_seconds: float
) -> None:
    sources = _sources(config_file, staged)
    seen = _snapshot(sources)
    while server.poll() is None:
        time.sleep(poll_seconds)
        now = _snapshot(sources)
        if now == seen:
            continue
        seen = now
        try:
            with locked(config_file.parent):
                staged = stage(config_file)
        except IcpError as exc:
            _log.error("%s", exc)
            continue
        sources = _sources(config_file, staged)
        _log.info("Staged the pages again")
    if server.returncode:  # it did not start (a port in use) or it crashed
        raise InputError(
            f"site preview failed: zensical serve stopped with exit {server.returncode}"
        )


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _sources(config_file: Path, staged: Staged) -> list[Path]:
    docs = staged.root / str(_load(config_file).get("docs_dir") or "docs")
    return [config_file, docs, *watched_paths(staged.plan.data)]


def _snapshot(paths: list[Path]) -> dict[Path, tuple[int, int]]:
    found: dict[Path, tuple[int, int]] = {}
    for path in paths:
        for file in sorted(path.rglob("*")) if path.is_dir() else [path]:
            try:
                info = file.stat()
            except FileNotFoundError:  # removed between the listing and the look
                continue
            found[file] = (info.st_mtime_ns, info.st_size)
    return found
