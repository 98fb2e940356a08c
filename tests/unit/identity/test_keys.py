"""Look-alike keys: the UTS #39 skeleton (from ICU data) and the loose ASCII key."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.identity import UNICODE_DATA_VERSION, loose_key, skeleton
from simulator.identity.keys import _icu_skeleton, loose_from_skeleton


@pytest.mark.parametrize(
    "variant", ["john_doe", "JOHN_DOE", "j0hn_doe", "jоhn_doe", "ｊｏｈｎ_doe", "jo\u200dhn_doe"]
)
def test_variants_share_the_skeleton_of_john_doe(variant: str) -> None:
    assert skeleton(variant) == skeleton("john_doe")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("j0hn_doe", "john.doe"),
        ("bi11", "bill"),
        ("Bill", "bi1l"),
        ("5am", "sam"),
        ("rnary", "mary"),
        ("vvill", "will"),
        ("clave", "dave"),
        ("john-doe", "johndoe"),
    ],
)
def test_loose_key_folds_ascii_lookalikes_and_separators(left: str, right: str) -> None:
    assert loose_key(left) == loose_key(right)


def test_distinct_names_keep_distinct_keys() -> None:
    assert skeleton("john_doe") != skeleton("jane_doe")
    assert loose_key("john_doe") != loose_key("jon_doe")


def test_the_unicode_data_version_is_recorded() -> None:
    assert UNICODE_DATA_VERSION.startswith("Unicode ")
    assert "ICU" in UNICODE_DATA_VERSION


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30))
def test_ascii_fast_path_equals_the_icu_skeleton(text: str) -> None:
    assert skeleton(text) == _icu_skeleton(text)


def _loose_as_written(skeleton_text: str) -> str:
    """The loose key as the module docstring states it, step by step on ``str``."""
    key = re.sub(r"[_.\-]+", "", skeleton_text)
    key = key.translate(str.maketrans("01i|5", "ollls"))
    for pair, letter in (("rn", "m"), ("vv", "w"), ("cl", "d")):
        key = key.replace(pair, letter)
    return key


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=st.characters(max_codepoint=127), max_size=30),
        st.text(alphabet="rnvcld015i|_.-аоº₀", max_size=20),
    )
)
def test_the_ascii_loose_key_path_equals_the_rule(text: str) -> None:
    assert loose_from_skeleton(text) == _loose_as_written(text)
