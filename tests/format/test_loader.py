from __future__ import annotations

from pathlib import Path

import pytest

from icpkit.findings import Mark
from icpkit.format.loader import Document, load_bytes, load_file


def load(text: str | bytes) -> Document:
    raw = text.encode() if isinstance(text, str) else text
    return load_bytes(raw, Path("x.yaml"))


def test_positions_of_keys_and_values() -> None:
    doc = load("a: 1\nb:\n  - x\n  - {c: [NO, yes]}\n")
    assert doc.data == {"a": 1, "b": ["x", {"c": ["NO", "yes"]}]}
    assert doc.marks[("a",)] == Mark(1, 4)
    assert doc.marks[("b",)] == Mark(2, 1)  # a block list is located at its key
    assert doc.marks[("b", 1, "c", 0)] == Mark(4, 10)
    assert doc.locate(("b", 1, "missing")) == Mark(4, 5)


def test_yaml11_booleans_stay_text_and_are_recorded() -> None:
    doc = load("country: [NO, SE]\nflag: true\nsay: off\nquoted: 'no'\n")
    assert doc.data == {"country": ["NO", "SE"], "flag": True, "say": "off", "quoted": "no"}
    assert [word for _, word in doc.bool_words] == ["NO", "off"]


def test_numbers_dates_and_nulls() -> None:
    doc = load("n: 1000\nf: 2.5\ne: 2e7\nd: 2026-11-02\nz: ~\nw: NULL\nb: [True, FALSE]\n")
    assert doc.data == {
        "n": 1000,
        "f": 2.5,
        "e": 2e7,
        "d": "2026-11-02",
        "z": None,
        "w": None,
        "b": [True, False],
    }


@pytest.mark.parametrize(
    "plain", ["0111", "007", "00.5", "1_000", "3:20", "1:30.5", "0b11001", "0o17", "0x10", "="]
)
def test_only_decimal_numbers_are_numbers(plain: str) -> None:
    # YAML 1.1 reads 0111 as octal 73 and 3:20 as 200; a code with a leading zero stays text.
    assert load(f"a: {plain}\nb: !!str {plain}\n").data == {"a": plain, "b": plain}


@pytest.mark.parametrize(
    ("plain", "number"), [("-0", 0), ("+12", 12), (".5", 0.5), ("5.", 5.0), ("-1.5E+3", -1500.0)]
)
def test_yaml12_decimal_forms(plain: str, number: float) -> None:
    [(value, kind)] = [(v, type(v)) for v in load(f"a: {plain}\n").data.values()]
    assert (value, kind) == (number, type(number))


def test_duplicate_keys_keep_the_first_and_are_reported() -> None:
    doc = load("a: 1\nb: 2\na: 3\n")
    assert doc.data == {"a": 1, "b": 2}
    [(rule, violation)] = doc.violations
    assert rule == "duplicate-key"
    assert violation.mark == Mark(3, 1)
    assert "first at line 1" in violation.message


def test_merge_keys() -> None:
    doc = load("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n")
    assert doc.data["other"] == {"x": 1, "y": 3}


@pytest.mark.parametrize(
    ("raw", "where", "words"),
    [
        ("a: 1\n\tb: 2\n", Mark(2, 1), "tab character"),
        ('a: "open\nb: 2\n', Mark(1, 4), "end of stream"),
        ("", Mark(1, 1), "empty"),
        ("# only a comment\n", Mark(1, 1), "empty"),
        (b"a: caf\xe9\n", Mark(1, 7), "not UTF-8"),
        ("a: 1\n---\nb: 2\n", Mark(2, 1), "single document"),
        ("a: !!python/object:os.system x\n", Mark(1, 4), "unsupported YAML tag"),
        ("a: !!set {x, y}\n", Mark(1, 4), "unsupported YAML tag"),
        ("a: !!omap [x: 1]\n", Mark(1, 4), "unsupported YAML tag"),
        ("a: !mine\n  b: 1\n", Mark(1, 4), "unsupported YAML tag '!mine'"),
        ("a: !!int 1e999999\n", Mark(1, 4), "not a whole number"),
        ("a: !!float 0111\n", Mark(1, 4), "not a number"),
        ("a: " + "9" * 5000 + "\n", Mark(1, 4), "too large to be a usable number"),
        ("a: -1e309\n", Mark(1, 4), "not a usable number"),
        ("null\n", Mark(1, 1), "holds only an empty value"),
        ("~\n", Mark(1, 1), "holds only an empty value"),
        ("---\n", Mark(1, 1), "holds only an empty value"),
        ("# an ICP\n---\n...\n", Mark(2, 1), "holds only an empty value"),
        ("a: .nan\n", Mark(1, 4), "not a usable number"),
        ("a: \x07\n", Mark(1, 4), "not allowed"),
        ("[" * 2000 + "]" * 2000, Mark(1, 1), "nested too deeply"),
    ],
)
def test_unreadable_input_is_a_located_violation(raw: str | bytes, where: Mark, words: str) -> None:
    doc = load(raw)
    assert not doc.readable
    [(rule, violation)] = doc.violations
    assert rule == "syntax"
    assert words in violation.message
    assert violation.mark is not None and violation.mark.line == where.line


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize("levels", [66, 999, 1001, 5000])
def test_one_nesting_limit_whatever_libyaml_allows(
    levels: int, libyaml: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # libyaml refuses 1000+ flow levels itself (PyYAML 6.0.4); ours must be the one reported,
    # with the same message and place, on either side of that limit and without libyaml.
    import yaml

    from icpkit.format import loader

    if not libyaml:
        monkeypatch.setattr(loader, "_Loader", yaml.SafeLoader)
    flow = load("[" * levels + "1" + "]" * levels)
    block = load("".join("  " * i + "-\n" for i in range(levels)) + "  " * levels + "- 1\n")
    for doc, where in ((flow, Mark(1, 66)), (block, Mark(66, 131))):
        [(rule, violation)] = doc.violations
        assert rule == "syntax"
        assert violation.message == "YAML is nested too deeply to be an ICP (over 64 levels)"
        assert violation.mark == where


@pytest.mark.parametrize(
    ("text", "value", "words"),
    [
        ('a: !!int "20"\n', 20, None),
        ('a: !!float "2e1"\n', 20.0, None),
        ("a: !!timestamp 2026-11-02\n", "2026-11-02", None),
        ("a: !!timestamp 2026-13-45\n", None, "is not a date"),
        ("a: !!bool 20\n", None, "is not true or false"),
        ("a: !!null 20\n", None, "is not empty"),
    ],
)
def test_a_standard_tag_is_honoured_or_refused(text: str, value: object, words: str) -> None:
    doc = load(text)
    if words is None:
        assert doc.data == {"a": value} and not doc.violations
    else:
        [(_, violation)] = doc.violations
        assert words in violation.message


def test_alias_bomb_stops_early() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    doc = load("\n".join(lines))
    assert not doc.readable
    assert "alias bomb" in doc.violations[0][1].message


def test_large_file_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x: " + b"a" * 2_000_000)
    doc = load_file(big)
    assert doc.data is None
    assert "not read" in doc.violations[0][1].message


def test_utf8_bom_is_accepted() -> None:
    assert load(b"\xef\xbb\xbfa: 1\n").data == {"a": 1}
