"""One project, two engines: mkdocs-material with the plugin and Zensical from staged files."""

from __future__ import annotations

import html
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from icpkit.checks import RULES
from icpkit.cli import cli
from tests.conftest import ROOT
from tests.gitrepo import git

STAGED = Path(".cache", "icpkit", "zensical")
ICP_IDS = ("midmarket-saas-revops", "emea-fintech-multicurrency", "smb-founder-led-sales")


def build(*args: str) -> Result:
    return CliRunner().invoke(cli, ["site", "build", *args])


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def article(page: Path) -> str:
    """The page's content as the theme frames it, without Zensical's skip-link target and
    the indentation and blank lines the two template engines leave differently."""
    found = re.search(r"<article[^>]*>(.*?)</article>", page.read_text(encoding="utf-8"), re.S)
    assert found is not None, page
    text = found.group(1).replace('<a id="__skip" tabindex="-1"></a>', "")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def edit_links(page: Path) -> list[str]:
    return re.findall(r'<a href="([^"]+)"[^>]*rel="edit"', page.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_both_engines_build_the_same_pages(
    example_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp_path = tmp_path_factory.mktemp("sites")  # outside the repository
    shutil.copy(ROOT / ".gitignore", example_site / ".gitignore")
    git(example_site, "add", ".gitignore")
    git(example_site, "commit", "-q", "-m", "Ignore what builds leave")
    mkdocs = build("--site-dir", str(tmp_path / "mkdocs"))
    assert mkdocs.exit_code == 0, mkdocs.output
    zensical = build("--engine", "zensical", "--site-dir", str(tmp_path / "zensical"))
    assert zensical.exit_code == 0, zensical.output
    assert "WARNING" not in zensical.output
    built = pages(tmp_path / "zensical")
    assert built == pages(tmp_path / "mkdocs")
    for icp in ICP_IDS:
        for page in ("", "playbook/", "backtest/", "history/"):
            assert f"icps/{icp}/{page}index.html" in built
    assert {f"rules/{rule.id}/index.html" for rule in RULES} <= built
    assert "rules/index.html" in built and "guide/site/index.html" in built
    assert re.match(rf"Built {len(built) - 1} pages into ", zensical.output)  # all but 404
    # Same Markdown, same extensions, same theme templates: the same content on every page.
    mk, zn = tmp_path / "mkdocs", tmp_path / "zensical"
    differ = [p for p in built if article(mk / p) != article(zn / p)]
    assert differ == []

    site = tmp_path / "zensical"
    home = html.unescape((site / "index.html").read_text(encoding="utf-8"))
    # The hand-written home page, then the catalogue, as the plugin puts it under mkdocs.
    assert home.index("Ideal Customer Profiles as code") < home.index("Mid-market B2B SaaS")
    backtest = (site / "icps/midmarket-saas-revops/backtest/index.html").read_text()
    assert backtest.count('class="icp-chart"') == 5
    assert 'href="../../../assets/icpkit.css"' in backtest
    for engine in ("mkdocs", "zensical"):
        profile = tmp_path / engine / "icps/midmarket-saas-revops/index.html"
        # "Edit this page" opens the ICP's YAML under both engines, hand pages their file.
        assert edit_links(profile) == [
            "https://github.com/icpkit/icpkit/edit/main/icps/midmarket-saas-revops.yaml"
        ]
        assert edit_links(tmp_path / engine / "rules/ICP004/index.html") == [], "no file to edit"
        guide = tmp_path / engine / "guide/site/index.html"
        assert edit_links(guide) == [
            "https://github.com/icpkit/icpkit/edit/main/docs/guide/site.md"
        ]
        text = (tmp_path / engine / "index.html").read_text(encoding="utf-8")
        assert 'data-md-component="source"' not in text, "repository stats call GitHub's API"
        assert "fonts.googleapis" not in text

    # Staged beside mkdocs.yml, git-ignored: nothing generated can be committed.
    assert (example_site / STAGED / "docs/icps/midmarket-saas-revops/playbook.md").is_file()
    assert git(example_site, "status", "--porcelain") == ""


@pytest.mark.slow
def test_zensical_site_and_staged_docs_are_reproducible(example_site: Path, tmp_path: Path) -> None:
    assert build("--engine", "zensical", "--site-dir", str(tmp_path / "one")).exit_code == 0
    staged = files_of(example_site / STAGED / "docs")
    assert build("--engine", "zensical", "--site-dir", str(tmp_path / "two")).exit_code == 0
    assert files_of(example_site / STAGED / "docs") == staged
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []


@pytest.mark.slow
def test_zensical_warnings_fail_a_strict_build_and_keep_the_old_site(example_site: Path) -> None:
    assert build("--engine", "zensical").exit_code == 0
    before = files_of(example_site / "site")
    index = example_site / "docs" / "index.md"
    index.write_text(index.read_text() + "\nSee [nowhere](missing.md).\n")
    result = build("--engine", "zensical")
    assert result.exit_code == 1
    assert "WARNING  page does not exist (index.md:" in result.output
    assert "site not written: 1 warning(s)" in result.output
    assert files_of(example_site / "site") == before


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_generated_page_the_engine_drops_is_reported(example_site: Path, engine: str) -> None:
    config = example_site / "mkdocs.yml"
    text = config.read_text()
    config.write_text(text.replace("exclude_docs: |\n", "exclude_docs: |\n  icps/*/playbook.md\n"))
    result = build("--engine", engine)
    assert result.exit_code == 1
    assert "no page for the generated icps/midmarket-saas-revops/playbook.md" in result.output


def test_mkdocs_yml_without_the_plugin_is_reported(example_site: Path) -> None:
    config = example_site / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - icpkit\n", ""))
    result = build("--no-strict")
    assert "lists no icpkit plugin: the site has no ICP page" in result.output


@pytest.mark.parametrize(("engine", "extra"), [("zensical", "zensical"), ("mkdocs", "site")])
def test_a_missing_engine_is_an_error_naming_the_extra(
    example_site: Path, engine: str, extra: str
) -> None:
    # The engine's package is made unimportable, as in an install without the extra.
    package = "zensical" if engine == "zensical" else "material"
    code = f"import sys; sys.modules[{package!r}] = None; from icpkit.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "site", "build", "--engine", engine],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"Error: the {engine} engine is not installed: pip install 'icpkit[{extra}]'\n"
    )
    assert not (example_site / "site").exists()


def test_zensical_rejects_a_page_relative_tag_by_name(example_site: Path) -> None:
    config = example_site / "mkdocs.yml"
    config.write_text(config.read_text().replace("[!relative $config_dir]", "!relative"))
    result = build("--engine", "zensical")
    assert result.exit_code == 2
    assert "mkdocs.yml: `!relative` is not supported with --engine zensical" in result.output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str, until: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                text = html.unescape(response.read().decode("utf-8"))
            if until in text:
                return text
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {until!r}; last: {text[:300]!r}")


@pytest.mark.slow
def test_zensical_preview_restages_an_edited_icp(example_site: Path) -> None:
    icp = shutil.which("icp") or str(Path(sys.executable).parent / "icp")
    port = _free_port()
    server = subprocess.Popen(
        [icp, "site", "serve", "--engine", "zensical", "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/icps/midmarket-saas-revops/"
        _fetch(url, "Mid-market B2B SaaS scaling RevOps")
        path = example_site / "icps" / "midmarket-saas-revops.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("name: Mid-market B2B SaaS", "name: Renamed B2B SaaS", 1))
        _fetch(url, "Renamed B2B SaaS scaling RevOps")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_automatic_nav_is_mkdocs_own(tmp_path: Path) -> None:
    from mkdocs.structure.files import File, file_sort_key
    from mkdocs.utils import nest_paths

    from icpkit.site.staging import automatic_nav

    uris = [
        "index.md",
        "b.md",
        "a.md",
        "guide/zeta.md",
        "guide/index.md",
        "guide/deep/README.md",
        "guide/deep/x.md",
        "first-steps/start.md",
        "Team_Notes/a.md",
    ]
    files = [
        File(uri, str(tmp_path), str(tmp_path / "site"), use_directory_urls=True) for uri in uris
    ]
    # mkdocs.utils carries no annotations (as for icpkit.site.plugin in pyproject).
    expected = nest_paths(f.src_uri for f in sorted(files, key=file_sort_key))  # type: ignore[no-untyped-call]
    assert automatic_nav(uris) == expected


@pytest.mark.slow
def test_scaffolded_repository_builds_with_zensical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "acme"
    assert CliRunner().invoke(cli, ["init", str(target)]).exit_code == 0
    git(target, "init", "-q", "-b", "main")
    git(target, "add", ".")
    git(target, "commit", "-q", "-m", "Start")
    monkeypatch.chdir(target)
    # No nav in the scaffold: each engine makes its own of the pages, with the same sections.
    assert build("--site-dir", str(tmp_path / "mkdocs")).exit_code == 0
    result = build("--engine", "zensical", "--site-dir", str(tmp_path / "zensical"))
    assert result.exit_code == 0, result.output
    assert pages(tmp_path / "zensical") == pages(tmp_path / "mkdocs")
    nav = re.compile(r'class="md-tabs__link[^"]*">\s*([^<]+?)\s*<', re.S)
    tabs = [nav.findall((tmp_path / e / "index.html").read_text()) for e in ("mkdocs", "zensical")]
    assert tabs[0] == tabs[1] and "ICPs" in tabs[0] and "Rules" in tabs[0]
    assert git(target, "status", "--porcelain") == "", "the scaffold ignores the staging"


@pytest.mark.slow
def test_plugin_options_hold_under_both_engines(
    example_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = tmp_path_factory.mktemp("sites")
    config = example_site / "mkdocs.yml"
    options = "  - icpkit:\n      rules: false\n      icp_dir: profiles\n"
    config.write_text(config.read_text().replace("  - icpkit\n", options))
    for engine in ("mkdocs", "zensical"):
        result = build("--engine", engine, "--no-strict", "--site-dir", str(out / engine))
        assert result.exit_code == 0, result.output
    built = pages(out / "zensical")
    assert built == pages(out / "mkdocs")
    assert "profiles/midmarket-saas-revops/playbook/index.html" in built
    assert not any(p.startswith(("rules/", "icps/")) for p in built)


def test_a_bad_plugin_option_is_an_error_under_zensical(example_site: Path) -> None:
    config = example_site / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("  - icpkit\n", "  - icpkit:\n      rules: 'no'\n")
    )
    result = build("--engine", "zensical")
    assert result.exit_code == 2
    assert "the icpkit plugin's 'rules' must be a bool, not 'no'" in result.output
