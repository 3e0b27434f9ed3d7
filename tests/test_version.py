"""``packkit.Version`` against ``packaging.version.Version``, the reference it must mirror.

Every expected value of the parity tests comes from ``packaging`` at test time; nothing here
copies packkit's own output. The ``bump()`` tests check the rules packkit defines itself (see
``BUMP_CASES``), since ``packaging`` has no such method.
"""

from __future__ import annotations

import copy
import operator
import pickle
import re
import string
from typing import Any

import packkit
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import InvalidVersion as PInvalidVersion
from packaging.version import Version as PVersion

PROPERTIES = (
    "epoch",
    "release",
    "pre",
    "post",
    "dev",
    "local",
    "public",
    "base_version",
    "major",
    "minor",
    "micro",
    "is_prerelease",
    "is_postrelease",
    "is_devrelease",
)

COMPARISONS = (operator.lt, operator.le, operator.eq, operator.ne, operator.gt, operator.ge)

BUMP_PARTS = ("major", "minor", "patch", "alpha", "beta", "rc", "pre", "dev", "final", "post")

U64_MAX = 2**64 - 1
MAX_NUM = 2**32 - 1


# --------------------------------------------------------------------------------------------
# Helpers


def _typed(value: Any) -> Any:
    """``value`` with its type spelled out, so ``1 == True`` or ``(1,) == [1]`` cannot pass."""
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(_typed(item) for item in value))
    return (type(value).__name__, value)


def _properties(version: Any) -> dict[str, Any]:
    return {name: _typed(getattr(version, name)) for name in PROPERTIES}


def _comparisons(a: Any, b: Any) -> dict[str, bool]:
    return {op.__name__: op(a, b) for op in COMPARISONS}


def _assert_mirrors(actual: Any, expected: PVersion) -> None:
    """Everything observable about one packkit version equals packaging's."""
    assert type(actual) is packkit.Version
    assert str(actual) == str(expected)
    assert repr(actual) == repr(expected)
    assert _properties(actual) == _properties(expected)
    # The normalized form parses back to an equal version with the same hash.
    again = packkit.Version(str(expected))
    assert actual == again
    assert (actual != again) is False
    assert hash(actual) == hash(again)
    # Pickle round-trip.
    clone = pickle.loads(pickle.dumps(actual))
    assert type(clone) is packkit.Version
    assert str(clone) == str(expected)
    assert clone == actual
    assert hash(clone) == hash(actual)


U64_LIMIT = 2**64 - 1


def _beyond_packkit_range(text: str) -> bool:
    """A number packkit deliberately refuses: pep440_rs keeps numbers in 64 bits (and uses
    the largest one as a marker), so packkit raises instead of comparing such versions wrongly.
    This is the one documented difference from packaging (docs/migration.rst)."""
    return any(int(run) >= U64_LIMIT for run in re.findall(r"[0-9]+", text))


def _assert_same_verdict(text: Any) -> None:
    """packkit accepts exactly what packaging accepts, and agrees on what it means."""
    try:
        expected = PVersion(text)
    except PInvalidVersion:
        with pytest.raises(packkit.InvalidVersion) as excinfo:
            packkit.Version(text)
        assert isinstance(excinfo.value, ValueError)
        assert isinstance(excinfo.value, packkit.PackkitError)
        return
    if _beyond_packkit_range(text):
        with pytest.raises(packkit.InvalidVersion, match="too large"):
            packkit.Version(text)
        return
    _assert_mirrors(packkit.Version(text), expected)


# --------------------------------------------------------------------------------------------
# Strategies: valid PEP 440 versions in every spelling packaging accepts

WHITESPACE = st.one_of(
    st.just(""),
    st.text(alphabet=string.whitespace, min_size=1, max_size=3),
)
SEPARATOR = st.sampled_from(["", ".", "-", "_"])
PRE_SPELLINGS = {
    "a": ["a", "alpha"],
    "b": ["b", "beta"],
    "rc": ["rc", "c", "pre", "preview"],
}
POST_SPELLINGS = ["post", "rev", "r"]
LOCAL_ALPHABET = string.ascii_lowercase + string.digits


def _numbers(small: bool) -> st.SearchStrategy[int]:
    if small:
        return st.integers(0, 3)
    return st.one_of(st.integers(0, 20), st.integers(0, MAX_NUM))


@st.composite
def version_components(draw: st.DrawFn, small: bool = False) -> dict[str, Any]:
    """What a version means, independent of how it is spelled."""
    num = _numbers(small)
    if small:
        local_segment = st.one_of(
            st.sampled_from(["a", "b", "abc", "ubuntu", "0", "1", "2"]),
            num.map(str),
        )
    else:
        local_segment = st.one_of(
            st.text(alphabet=LOCAL_ALPHABET, min_size=1, max_size=8),
            num.map(str),
        )
    return {
        "epoch": draw(st.one_of(st.just(0), num)),
        "release": draw(st.lists(num, min_size=1, max_size=4)),
        "pre": draw(st.none() | st.tuples(st.sampled_from(["a", "b", "rc"]), num)),
        "post": draw(st.none() | num),
        "dev": draw(st.none() | num),
        "local": draw(st.none() | st.lists(local_segment, min_size=1, max_size=4)),
    }


def _cased(draw: st.DrawFn, word: str) -> str:
    style = draw(st.sampled_from(["lower", "upper", "mixed"]))
    if style == "lower":
        return word.lower()
    if style == "upper":
        return word.upper()
    flips = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(ch.upper() if flip else ch.lower() for ch, flip in zip(word, flips, strict=True))


def _spell_number(draw: st.DrawFn, n: int, *, optional: bool = False) -> str:
    """``n`` with optional leading zeros; an implicit 0 may be left out when ``optional``."""
    if optional and n == 0 and draw(st.booleans()):
        return ""
    return draw(st.sampled_from(["", "", "", "0", "00"])) + str(n)


def _letter_part(
    draw: st.DrawFn, spellings: list[str], n: int, *, more_follows: bool
) -> tuple[str, bool]:
    """``[sep]letters[sep][number]``; returns the text and whether its number was left out."""
    number = _spell_number(draw, n, optional=True)
    # A separator with no number after it only parses when another component follows.
    sep2 = draw(SEPARATOR) if number or more_follows else ""
    text = draw(SEPARATOR) + _cased(draw, draw(st.sampled_from(spellings))) + sep2 + number
    return text, not number and not sep2


def render(draw: st.DrawFn, parts: dict[str, Any]) -> str:
    """One of the many spellings of ``parts`` that packaging accepts."""
    out = [draw(WHITESPACE)]
    if draw(st.booleans()):
        out.append(_cased(draw, "v"))
    if parts["epoch"] or draw(st.integers(0, 3)) == 0:
        out.append(_spell_number(draw, parts["epoch"]) + "!")
    release = [_spell_number(draw, n) for n in parts["release"]]
    release += [draw(st.sampled_from(["0", "00"])) for _ in range(draw(st.integers(0, 2)))]
    out.append(".".join(release))

    pre_bare = False  # a pre-release letter with nothing at all after it
    if parts["pre"] is not None:
        letter, n = parts["pre"]
        more = any(parts[key] is not None for key in ("post", "dev", "local"))
        text, pre_bare = _letter_part(draw, PRE_SPELLINGS[letter], n, more_follows=more)
        out.append(text)
    if parts["post"] is not None:
        n = parts["post"]
        # "-N" right after a bare pre-release letter would be read as the pre-release number.
        if not pre_bare and draw(st.booleans()):
            out.append("-" + _spell_number(draw, n))
        else:
            more = parts["dev"] is not None or parts["local"] is not None
            out.append(_letter_part(draw, POST_SPELLINGS, n, more_follows=more)[0])
    if parts["dev"] is not None:
        more = parts["local"] is not None
        out.append(_letter_part(draw, ["dev"], parts["dev"], more_follows=more)[0])
    if parts["local"] is not None:
        segments = []
        for segment in parts["local"]:
            if segment.isdigit():
                segments.append(_spell_number(draw, int(segment)))
            else:
                segments.append(_cased(draw, segment))
        text = segments[0]
        for segment in segments[1:]:
            text += draw(st.sampled_from([".", "-", "_"])) + segment
        out.append("+" + text)
    out.append(draw(WHITESPACE))
    return "".join(out)


@st.composite
def version_strings(draw: st.DrawFn, small: bool = False) -> str:
    return render(draw, draw(version_components(small)))


@st.composite
def equal_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two spellings of the same version (trailing zeros, case, separators, aliases...)."""
    parts = draw(version_components(small=draw(st.booleans())))
    return render(draw, parts), render(draw, parts)


ANY_VERSION = st.one_of(version_strings(), version_strings(small=True))
VERSION_PAIRS = st.one_of(
    st.tuples(ANY_VERSION, ANY_VERSION),
    st.tuples(version_strings(small=True), version_strings(small=True)),
    equal_pairs(),
)

# Characters that are close to, but not quite, what a version may contain.
NEAR_MISS_CHARS = [
    *"0123456789.!+-_ vVaAbBcCdDeEpPrRsStTlLhHiIoOwWxXzZ*~^=<>,;/\\()[]'\"#@",
    "\t",
    "\n",
    "\x0b",
    "\x00",
    "\x1c",
    "\x85",
    "\xa0",
    "\u2003",
    "\u3000",
    "\u200b",
    "\ufeff",
    "\u0663",  # ARABIC-INDIC DIGIT THREE
    "\uff11",  # FULLWIDTH DIGIT ONE
    "\u00b2",  # SUPERSCRIPT TWO
    "\u017f",  # LATIN SMALL LETTER LONG S (case-folds to "s")
    "\u212a",  # KELVIN SIGN (lowercases to ASCII "k")
    "\u0130",  # LATIN CAPITAL LETTER I WITH DOT ABOVE
    "\u0131",  # LATIN SMALL LETTER DOTLESS I
    "\u2024",  # ONE DOT LEADER
]
NEAR_MISS_CHAR = st.one_of(st.sampled_from(NEAR_MISS_CHARS), st.characters())


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    """A valid version with one to three small edits: most are invalid, some still valid."""
    text = draw(ANY_VERSION)
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "swap", "double"]))
        i = draw(st.integers(0, max(len(text) - 1, 0)))
        if op == "insert":
            text = text[:i] + draw(NEAR_MISS_CHAR) + text[i:]
        elif op == "delete":
            text = text[:i] + text[i + 1 :]
        elif op == "replace":
            text = text[:i] + draw(NEAR_MISS_CHAR) + text[i + 1 :]
        elif op == "swap" and len(text) > 1:
            i = min(i, len(text) - 2)
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        elif op == "double":
            text = text[: i + 1] + text[i:]
    return text


VERSIONISH_TEXT = st.text(
    alphabet="0123456789.!+-_vVaAbBcCdDeEpPrRostTlLhHiw \t", min_size=0, max_size=24
)


# --------------------------------------------------------------------------------------------
# Property tests


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(ANY_VERSION)
def test_valid_versions_mirror_packaging(text: str) -> None:
    expected = PVersion(text)  # the strategy only builds valid versions
    _assert_mirrors(packkit.Version(text), expected)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(VERSION_PAIRS)
def test_ordering_and_hash_mirror_packaging(pair: tuple[str, str]) -> None:
    a, b = pair
    pa, pb = PVersion(a), PVersion(b)
    ka, kb = packkit.Version(a), packkit.Version(b)
    assert _comparisons(ka, kb) == _comparisons(pa, pb)
    assert _comparisons(kb, ka) == _comparisons(pb, pa)
    if pa == pb:
        assert hash(ka) == hash(kb)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(equal_pairs())
def test_spellings_of_one_version_are_equal(pair: tuple[str, str]) -> None:
    a, b = pair
    assert PVersion(a) == PVersion(b)  # the strategy's own premise, checked against packaging
    ka, kb = packkit.Version(a), packkit.Version(b)
    assert ka == kb
    assert hash(ka) == hash(kb)
    assert len({ka, kb}) == 1


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(st.text())
def test_arbitrary_text_same_verdict_as_packaging(text: str) -> None:
    _assert_same_verdict(text)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(VERSIONISH_TEXT)
def test_versionish_text_same_verdict_as_packaging(text: str) -> None:
    _assert_same_verdict(text)


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(near_misses())
def test_near_misses_same_verdict_as_packaging(text: str) -> None:
    _assert_same_verdict(text)


# --------------------------------------------------------------------------------------------
# Explicit parity examples (expected values still come from packaging)

EDGE_CASES = [
    # accepted by packaging, in unusual spellings
    "1.0a.post1",
    "1.0.post.dev1",
    "1.0.dev.+abc",
    "1.0a--1",
    "1.0a-1",
    "1.0a.-1",
    "1.0-1",
    "1.0-r1",
    "1.0rdev",
    "1.0revdev",
    "1.0-post-1",
    "1.0.post",
    "1.0r",
    "1.0rev",
    "1.0c",
    "1.0pre",
    "1.0preview-2",
    "1.0_rc_1",
    "1.0-a1",
    "1.0alpha",
    "1.0-dev",
    "1.0dev",
    "1.0a1.dev",
    "1.0.dev-5",
    "1.0RC1",
    "V1.0",
    "v1!2.0",
    "0!0",
    "0",
    "0.0.0.0.0.0",
    "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1",
    "01!02.003rc004.post005.dev006+007",
    "1.0+ubuntu.007",
    "1.0+1.A_b-C",
    "1.0+00000000000000000000000001",
    "1.0+1a.a1.0a",
    "  1.0\n",
    "\x0c1.0",
    "\x0b1.0\x0b",
    "\r\n1.0\r\n",
    "4294967295.4294967295",
    "18446744073709551615",  # u64::MAX
    "1.0.dev18446744073709551615",
    "1.0a18446744073709551615",
    "18446744073709551615!1.0",
    "1.0+18446744073709551615",
    # rejected by packaging
    "",
    " ",
    "v",
    "vv1.0",
    "1!",
    "!1.0",
    "1!v1.0",
    "1.0.",
    "1..0",
    ".1",
    "1.0+",
    "1.0+a..b",
    "1.0+_a",
    "1.0+a_",
    "1.0+abc+def",
    "1.0-",
    "1.0a.",
    "1.0.post.",
    "1.0.dev.",
    "1.0.*",
    "1.*",
    "1.0+*",
    "==1.0",
    "1.0a1b2",
    "1.0.post1.post2",
    "1.0.dev1.dev2",
    "1.0.dev1.post1",
    "1.0.post1a1",
    "1.0 .post1",
    "1 .0",
    "1.0+ abc",
    "1.0+\u212a",
    "1.0+a\u212a",
    "1.0+\u017f",
    "\u212a",
    "1.\u0663",
    "\uff11.0",
    "1.0\u00b2",
    "1.0\x00",
    "\x001.0",
    "1.0\u200b",
    "\ufeff1.0",
    "1.0\ud800",
    "l.0",
    "1,0",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_same_verdict_as_packaging(text: str) -> None:
    _assert_same_verdict(text)


UNICODE_WHITESPACE = [
    "\x1c",
    "\x1d",
    "\x1e",
    "\x1f",
    "\x85",
    "\xa0",
    "\u1680",
    "\u2000",
    "\u2003",
    "\u200a",
    "\u2028",
    "\u2029",
    "\u202f",
    "\u205f",
    "\u3000",
    "\u180e",
    "\u200b",
    "\ufeff",
]


@pytest.mark.parametrize("ws", UNICODE_WHITESPACE, ids=lambda ws: f"U+{ord(ws):04X}")
@pytest.mark.parametrize("template", ["{ws}1.0", "1.0{ws}", "{ws}1.0rc1+abc{ws}"])
def test_unicode_whitespace_same_verdict_as_packaging(ws: str, template: str) -> None:
    _assert_same_verdict(template.format(ws=ws))


BEYOND_U64 = [
    "18446744073709551616",
    "1.18446744073709551616",
    "18446744073709551616!1.0",
    "1.0a18446744073709551616",
    "1.0.post18446744073709551616",
    "1.0.dev18446744073709551616",
    "1.0+18446744073709551616",
    "99999999999999999999999999999999",
]


@pytest.mark.parametrize("text", BEYOND_U64)
def test_numbers_beyond_u64_same_verdict_as_packaging(text: str) -> None:
    _assert_same_verdict(text)


U64_PAIRS = [
    ("1.0a1.dev18446744073709551615", "1.0a1"),
    ("1.0.post1.dev18446744073709551615", "1.0.post1"),
    ("1.0rc1.dev18446744073709551615", "1.0rc1"),
    ("1.0.dev18446744073709551615", "1.0"),
    ("1.0.post18446744073709551615", "1.0.post18446744073709551614"),
    ("1.0+18446744073709551615", "1.0+abc"),
    ("1.0+99999999999999999999", "1.0+abc"),
    ("1.0+99999999999999999999", "1.0+1"),
]


@pytest.mark.parametrize(("a", "b"), U64_PAIRS)
def test_numbers_at_the_u64_limit_are_refused_never_misordered(a: str, b: str) -> None:
    # packaging orders these fine; packkit cannot hold the number, so it must refuse the
    # version (with a message saying why) rather than compare it wrongly.
    PVersion(a), PVersion(b)
    assert _beyond_packkit_range(a)
    with pytest.raises(packkit.InvalidVersion, match="too large"):
        packkit.Version(a)
    if not _beyond_packkit_range(b):
        assert str(packkit.Version(b)) == str(PVersion(b))


# PEP 440's own ordering example, plus epochs and local versions; sorted here by packaging.
ORDERING_SAMPLE = [
    "1.0.dev456",
    "1.0a1",
    "1.0a2.dev456",
    "1.0a12.dev456",
    "1.0a12",
    "1.0b1.dev456",
    "1.0b2",
    "1.0b2.post345.dev456",
    "1.0b2.post345",
    "1.0b2-346",
    "1.0c1.dev456",
    "1.0c1",
    "1.0rc2",
    "1.0c3",
    "1.0",
    "1.0.post456.dev34",
    "1.0.post456",
    "1.1.dev1",
    "1.0+abc.5",
    "1.0+abc.10",
    "1.0+5",
    "1.0+abc",
    "1.0+5.abc",
    "1.0+ABC.5",
    "1!0.1",
    "0.9.post1+local",
    "1.0.0",
    "1",
    "1.0.0.0.1",
    "2.0rc1+x",
]


def test_sorting_mirrors_packaging() -> None:
    expected = [str(PVersion(v)) for v in sorted(ORDERING_SAMPLE, key=PVersion)]
    actual = [str(PVersion(v)) for v in sorted(ORDERING_SAMPLE, key=packkit.Version)]
    assert actual == expected
    for a in ORDERING_SAMPLE:
        for b in ORDERING_SAMPLE:
            assert _comparisons(packkit.Version(a), packkit.Version(b)) == _comparisons(
                PVersion(a), PVersion(b)
            ), (a, b)


@pytest.mark.parametrize("value", [None, 1, 1.0, b"1.0", ["1"], ("1", "0")], ids=repr)
def test_non_string_input_same_verdict_as_packaging(value: Any) -> None:
    # packaging turns every non-str argument into InvalidVersion; so must packkit.
    _assert_same_verdict(value)


# --------------------------------------------------------------------------------------------
# The object protocol


def test_exception_hierarchy() -> None:
    assert issubclass(packkit.InvalidVersion, ValueError)
    assert issubclass(packkit.InvalidVersion, packkit.PackkitError)
    with pytest.raises(ValueError):
        packkit.Version("not a version")


@pytest.mark.parametrize("text", ["1.0", "1.0.0-RC1", " v1!2.0.POST3 ", "1.0+Local.007"])
def test_repr(text: str) -> None:
    assert repr(packkit.Version(text)) == repr(PVersion(text))


def test_repr_literal() -> None:
    assert repr(packkit.Version("1.0")) == "<Version('1.0')>"


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize("text", ["1.0", "1!2.0rc1.post2.dev3+abc.7", "0", "1.0.0.0.0"])
def test_pickle_round_trip(text: str, protocol: int) -> None:
    original = packkit.Version(text)
    clone = pickle.loads(pickle.dumps(original, protocol=protocol))
    assert type(clone) is packkit.Version
    assert str(clone) == str(original) == str(PVersion(text))
    assert clone == original
    assert hash(clone) == hash(original)
    assert _properties(clone) == _properties(PVersion(text))


def test_copy_and_deepcopy() -> None:
    original = packkit.Version("1.0rc1+abc")
    for clone in (copy.copy(original), copy.deepcopy(original)):
        assert type(clone) is packkit.Version
        assert clone == original
        assert str(clone) == str(original)


def test_hash_in_sets_and_dicts() -> None:
    assert PVersion("1.0") == PVersion("1.0.0")  # the premise, from packaging
    assert packkit.Version("1.0") == packkit.Version("1.0.0")
    assert hash(packkit.Version("1.0")) == hash(packkit.Version("1.0.0"))
    assert len({packkit.Version("1"), packkit.Version("1.0"), packkit.Version("1.0.0")}) == 1
    assert len({packkit.Version("1.0+abc"), packkit.Version("1.0+ABC")}) == 1
    assert len({packkit.Version("1.0"), packkit.Version("1.0+abc")}) == 2
    assert len({packkit.Version("1.0a"), packkit.Version("1.0alpha0"), packkit.Version("1a0")}) == 1

    table = {packkit.Version("1"): "one", packkit.Version("2.0rc1"): "two"}
    assert table[packkit.Version("1.0.0")] == "one"
    assert table[packkit.Version("2.0.0c1")] == "two"
    assert packkit.Version("2.0.0-rc.1") in table
    assert packkit.Version("1.0.post0") not in table


@pytest.mark.parametrize(
    "other",
    ["1", 1, 1.0, None, ("1",), object()],
    # A stable id for object() (its repr holds an address), so --lf and -k keep working.
    ids=lambda other: type(other).__name__ if type(other) is object else repr(other),
)
def test_comparison_with_non_version_is_not_implemented(other: Any) -> None:
    v = packkit.Version("1")
    ref = PVersion("1")
    assert v.__eq__(other) is NotImplemented
    assert v.__ne__(other) is NotImplemented
    assert v.__lt__(other) is NotImplemented
    assert v.__le__(other) is NotImplemented
    assert v.__gt__(other) is NotImplemented
    assert v.__ge__(other) is NotImplemented
    assert (v == other) is (ref == other) is False
    assert (v != other) is (ref != other) is True
    assert (other == v) is False
    for op in (operator.lt, operator.le, operator.gt, operator.ge):
        with pytest.raises(TypeError):
            op(ref, other)
        with pytest.raises(TypeError):
            op(v, other)
        with pytest.raises(TypeError):
            op(other, v)


def test_string_is_not_equal_to_version() -> None:
    assert (packkit.Version("1") == "1") is False
    assert (packkit.Version("1") != "1") is True
    with pytest.raises(TypeError):
        _ = packkit.Version("1") < "1"


@pytest.mark.parametrize("name", PROPERTIES)
def test_properties_are_read_only(name: str) -> None:
    v = packkit.Version("1.0")
    with pytest.raises(AttributeError):
        setattr(v, name, getattr(v, name))


# --------------------------------------------------------------------------------------------
# bump(part): packkit's own rules
#
#   major / minor / patch  bump that part of the release and zero the ones after it
#                          (1.2.3 -> 2.0.0, 1.3.0, 1.2.4; 1.2 -patch-> 1.2.1). From a
#                          pre-release the bump that lands on the pre-release's own release
#                          just finalizes it (1.2.4rc1 -patch-> 1.2.4, 1.3.0rc1 -minor-> 1.3.0,
#                          2.0.0rc1 -major/minor/patch-> 2.0.0); otherwise it bumps.
#   pre    increments the existing pre-release number; ValueError without one.
#   rc     rcN -> rc(N+1); a/b -> rc1; a final release -> next patch rc1.
#   dev    devN -> dev(N+1); a final release -> next patch dev1.
#   final  drops pre, dev, post (and local): what is left is base_version.
#   The local part is always dropped; the epoch is kept; unknown parts raise ValueError
#   whose message lists the valid parts.

# (version, part, expected string)
BUMP_CASES = [
    ("1.2.3", "major", "2.0.0"),
    ("1.2.3", "minor", "1.3.0"),
    ("1.2.3", "patch", "1.2.4"),
    ("1.2", "patch", "1.2.1"),
    ("1.2.4rc1", "patch", "1.2.4"),
    ("1.2.4a1", "patch", "1.2.4"),
    ("1.3.0rc1", "minor", "1.3.0"),
    ("1.3.0b2", "minor", "1.3.0"),
    ("2.0.0rc1", "major", "2.0.0"),
    ("2.0.0rc1", "minor", "2.0.0"),
    ("2.0.0rc1", "patch", "2.0.0"),
    ("1.2.4rc1.post1", "patch", "1.2.4"),
    ("1.3.1rc1", "minor", "1.4.0"),
    ("2.1.0rc1", "major", "3.0.0"),
    ("2.0.1rc1", "major", "3.0.0"),
    ("1.2.3.post1", "patch", "1.2.4"),
    ("1.2.3.post1", "minor", "1.3.0"),
    ("1.2.3+abc", "patch", "1.2.4"),
    ("1.2.3+abc", "major", "2.0.0"),
    ("1!1.2.3", "minor", "1!1.3.0"),
    ("1.0a1", "pre", "1.0a2"),
    ("1.0b2", "pre", "1.0b3"),
    ("1.0rc1", "pre", "1.0rc2"),
    ("1.0a1+local", "pre", "1.0a2"),
    ("1.0rc1", "rc", "1.0rc2"),
    ("1.0b2", "rc", "1.0rc1"),
    ("1.0a5", "rc", "1.0rc1"),
    ("1.0", "rc", "1.0.1rc1"),
    ("1.2.3", "rc", "1.2.4rc1"),
    ("1.0rc1+x", "rc", "1.0rc2"),
    ("1.0.dev1", "dev", "1.0.dev2"),
    ("1.0", "dev", "1.0.1.dev1"),
    ("1.2.3", "dev", "1.2.4.dev1"),
    ("1.0.dev1+x", "dev", "1.0.dev2"),
    ("1.0rc1", "final", "1.0"),
    ("1.0.dev3", "final", "1.0"),
    ("1.0.post2", "final", "1.0"),
    ("1.0+abc", "final", "1.0"),
    ("1!2.0rc1.post1.dev1+x", "final", "1!2.0"),
    ("1.0", "final", "1.0"),
]


@pytest.mark.parametrize(("text", "part", "expected"), BUMP_CASES)
def test_bump(text: str, part: str, expected: str) -> None:
    original = packkit.Version(text)
    bumped = original.bump(part)
    assert type(bumped) is packkit.Version
    assert str(bumped) == expected
    assert str(original) == str(PVersion(text))  # bump() returns a new object


# Where the brief fixes the meaning but not the number of release parts: compared by equality.
BUMP_EQUAL_CASES = [
    ("1", "minor", "1.1"),
    ("1", "patch", "1.0.1"),
    ("1.2", "major", "2"),
    ("1.2.3.4", "patch", "1.2.4"),
    ("1.3rc1", "minor", "1.3"),
    ("2rc1", "major", "2"),
    # a dev release is a pre-release too (is_prerelease): major lands on 2.0.0
    ("2.0.0.dev1", "major", "2.0.0"),
    ("1.2.4.dev3", "patch", "1.2.4"),
]


@pytest.mark.parametrize(("text", "part", "expected"), BUMP_EQUAL_CASES)
def test_bump_value(text: str, part: str, expected: str) -> None:
    bumped = packkit.Version(text).bump(part)
    assert type(bumped) is packkit.Version
    assert bumped == packkit.Version(expected)
    assert PVersion(str(bumped)) == PVersion(expected)


@pytest.mark.parametrize("text", ["1.0", "1.0.post1", "1.0+abc", "2!3.4.5"])
def test_bump_pre_without_pre_release_raises(text: str) -> None:
    with pytest.raises(ValueError):
        packkit.Version(text).bump("pre")


@pytest.mark.parametrize("part", ["bogus", "", "posts", "release", "major "])
def test_bump_unknown_part_lists_valid_parts(part: str) -> None:
    with pytest.raises(ValueError) as excinfo:
        packkit.Version("1.2.3").bump(part)
    message = str(excinfo.value)
    for valid in BUMP_PARTS:
        assert valid in message


def _zero_tail(release: tuple[int, ...]) -> bool:
    return all(n == 0 for n in release[3:])


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(ANY_VERSION, st.sampled_from(["major", "minor", "patch"]))
def test_bump_release_parts_property(text: str, part: str) -> None:
    ref = PVersion(text)
    bumped = packkit.Version(text).bump(part)
    assert type(bumped) is packkit.Version
    new = PVersion(str(bumped))  # packkit's output must be a normalized, valid version
    assert str(new) == str(bumped)
    assert (new.epoch, new.pre, new.post, new.dev, new.local) == (ref.epoch, None, None, None, None)
    if not _zero_tail(ref.release):
        # 1.2.3.4: what happens to the 4th part is not specified, but a final release only
        # moves up (a pre-release of 0.0.0.1 may land on 0.0.0 or move up).
        if not ref.is_prerelease:
            assert new > ref
        return
    assert new > ref
    major, minor, micro = ref.major, ref.minor, ref.micro
    target = {
        "major": (major + 1, 0, 0),
        "minor": (major, minor + 1, 0),
        "patch": (major, minor, micro + 1),
    }[part]
    if ref.pre is not None:
        lands = {"major": minor == micro == 0, "minor": micro == 0, "patch": True}[part]
        if lands:
            target = (major, minor, micro)
    elif ref.is_prerelease:  # dev-only releases: see BUMP_EQUAL_CASES
        return
    assert new == PVersion(f"{ref.epoch}!" + ".".join(map(str, target)))


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(ANY_VERSION)
def test_bump_final_is_base_version_property(text: str) -> None:
    ref = PVersion(text)
    bumped = packkit.Version(text).bump("final")
    assert type(bumped) is packkit.Version
    assert str(bumped) == ref.base_version


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(ANY_VERSION, st.sampled_from(["pre", "rc", "dev"]))
def test_bump_pre_parts_property(text: str, part: str) -> None:
    ref = PVersion(text)
    v = packkit.Version(text)
    if part == "pre" and ref.pre is None:
        with pytest.raises(ValueError):
            v.bump(part)
        return
    bumped = v.bump(part)
    assert type(bumped) is packkit.Version
    new = PVersion(str(bumped))
    assert str(new) == str(bumped)
    assert new.local is None
    assert new.epoch == ref.epoch
    if part == "pre":
        assert ref.pre is not None
        assert new.pre == (ref.pre[0], ref.pre[1] + 1)
    elif part == "rc":
        assert new.pre is not None
        assert new.pre[0] == "rc"
    elif part == "dev":
        assert new.dev is not None


@pytest.mark.slow
@settings(max_examples=2000, deadline=None)
@given(ANY_VERSION, st.sampled_from(["alpha", "beta", "rc", "post"]))
def test_bump_moves_forward_or_refuses_property(text: str, part: str) -> None:
    """A bump is a later version (a release made after the one it starts from), or refused."""
    ref = PVersion(PVersion(text).public)
    try:
        bumped = packkit.Version(text).bump(part)
    except packkit.InvalidVersion as err:
        assert "sort before" in str(err) or "not released yet" in str(err), err
        return
    new = PVersion(str(bumped))
    assert new > ref and new.local is None and new.epoch == ref.epoch
    if part == "post":
        assert new.post is not None and new.dev is None
    else:
        assert new.pre is not None and new.pre[0] == {"alpha": "a", "beta": "b", "rc": "rc"}[part]


# --------------------------------------------------------------------------------------------
# Version.from_parts: packaging 26's keywords, checks and messages


def from_parts_both(**parts: Any) -> tuple[str, str]:
    """What packaging and packkit make of ``parts``: the version's text or the error's."""
    results = []
    for version in (PVersion, packkit.Version):
        try:
            results.append(str(version.from_parts(**parts)))
        except (PInvalidVersion, packkit.InvalidVersion) as err:
            results.append(f"error: {err}")
    return results[0], results[1]


NUMBERS = st.integers(min_value=0, max_value=2**63)
PRE_LETTERS = st.sampled_from(["a", "b", "rc", "alpha", "BETA", "c", "pre", "Preview", "A", "x"])
LOCAL_LABELS = st.from_regex(r"[a-zA-Z0-9]{1,4}([._-][a-zA-Z0-9]{1,4}){0,3}", fullmatch=True)


@settings(max_examples=1000, deadline=None)
@given(
    epoch=NUMBERS,
    release=st.lists(NUMBERS, min_size=1, max_size=5).map(tuple),
    pre=st.none() | st.tuples(PRE_LETTERS, NUMBERS),
    post=st.none() | NUMBERS,
    dev=st.none() | NUMBERS,
    local=st.none() | LOCAL_LABELS,
)
def test_from_parts_makes_the_version_packaging_makes(**parts: Any) -> None:
    expected, got = from_parts_both(**parts)
    assert got == expected
    if not got.startswith("error"):
        made = packkit.Version.from_parts(**parts)
        assert made == packkit.Version(expected) and str(made) == expected


@settings(max_examples=2000, deadline=None)
@given(
    key=st.sampled_from(["epoch", "release", "pre", "post", "dev", "local"]),
    value=st.none()
    | st.integers(min_value=-(2**70), max_value=2**63)
    | st.text(max_size=6)
    | st.lists(st.integers(min_value=-2, max_value=9), max_size=3)
    | st.lists(st.integers(min_value=-2, max_value=9), max_size=3).map(tuple)
    | st.tuples(st.text(max_size=3), st.integers(min_value=-2, max_value=9))
    | st.floats(allow_nan=False),
)
def test_from_parts_refuses_what_packaging_refuses(key: str, value: Any) -> None:
    parts: dict[str, Any] = {"release": (1, 2)}
    parts[key] = value
    expected, got = from_parts_both(**parts)
    assert got == expected


@pytest.mark.parametrize(
    "parts",
    [
        {"release": (1,), "epoch": None},
        {"release": (1,), "epoch": 0},
        {"release": (1,), "pre": ("alpha", 0), "local": "ABC-01_x"},
        {"release": (1,), "local": "1.2"},
        {"release": (0,), "pre": (" a", 1)},
        {"release": []},
        {"release": ()},
        {"release": None},  # packaging: (0,)
        {"release": (1,), "local": ""},
        {"release": (1,), "pre": ("a", 1, 2)},
        {"release": (1,), "post": -1},
    ],
)
def test_from_parts_edge_cases_agree_with_packaging(parts: dict[str, Any]) -> None:
    expected, got = from_parts_both(**parts)
    assert got == expected


def test_from_parts_takes_keywords_only_and_needs_release() -> None:
    with pytest.raises(TypeError):
        packkit.Version.from_parts()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        packkit.Version.from_parts((1, 2))  # type: ignore[misc]


def test_from_parts_refuses_numbers_packkit_cannot_hold() -> None:
    # packaging takes any int; packkit's numbers stop below 2**64 - 1 (docs/versioning.rst).
    with pytest.raises(packkit.InvalidVersion, match="too large"):
        packkit.Version.from_parts(release=(2**64,))
    # A bool is an int to packaging (which then prints "True"); packkit prints its value.
    assert str(packkit.Version.from_parts(release=(True, 2))) == "1.2"
    assert packkit.Version.from_parts(release=(True, 2)) == packkit.Version("1.2")
