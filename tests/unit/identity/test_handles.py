"""Per-platform handle parsing, normalization and channel names."""

from __future__ import annotations

import pytest

from simulator.errors import InvalidChannel, InvalidHandle
from simulator.identity import Platform, normalize_handle, parse_channel, parse_handle


@pytest.mark.parametrize(
    ("channel", "platform"),
    [
        ("twitter", Platform.TWITTER),
        ("x", Platform.TWITTER),
        ("X", Platform.TWITTER),
        ("instagram", Platform.INSTAGRAM),
        (" linkedin ", Platform.LINKEDIN),
    ],
)
def test_channel_names_and_the_x_alias(channel: str, platform: Platform) -> None:
    assert parse_channel(channel) is platform


@pytest.mark.parametrize("channel", ["facebook", "", None, 3, "twitter.com"])
def test_unknown_channel_names_the_allowed_values(channel: object) -> None:
    with pytest.raises(InvalidChannel) as error:
        parse_channel(channel)
    assert error.value.field == "channel"
    assert "'x'" in error.value.allowed


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [("@John_Doe", "john_doe"), ("  @JOHN_DOE\t", "john_doe"), ("a", "a"), ("_" * 15, "_" * 15)],
)
def test_x_handles(raw: str, normalized: str) -> None:
    parsed = parse_handle("x", raw)
    assert parsed.normalized == normalized
    assert not parsed.suspect


@pytest.mark.parametrize("raw", ["a" * 16, "john.doe", "john-doe", "john doe", "@@john", "@"])
def test_x_rejects_what_x_cannot_produce(raw: str) -> None:
    with pytest.raises(InvalidHandle) as error:
        parse_handle("twitter", raw)
    assert error.value.field == "handle"


@pytest.mark.parametrize("raw", ["john.doe", "john_doe.99", "j" * 30, "@Mary.Major"])
def test_instagram_handles(raw: str) -> None:
    assert not parse_handle("instagram", raw).suspect


@pytest.mark.parametrize("raw", [".john", "john.", "jo..hn", "j" * 31, "jo-hn"])
def test_instagram_period_and_length_rules(raw: str) -> None:
    with pytest.raises(InvalidHandle, match="instagram"):
        parse_handle("instagram", raw)


@pytest.mark.parametrize(
    "raw",
    [
        "johndoe",
        "JohnDoe",
        "linkedin.com/in/johndoe",
        "https://www.linkedin.com/in/johndoe/",
        "http://linkedin.com/in/JohnDoe?trk=profile",
        "www.linkedin.com/in/johndoe/?utm_source=share",
        "https://uk.linkedin.com/in/johndoe",
    ],
)
def test_linkedin_vanity_in_every_url_form(raw: str) -> None:
    assert parse_handle("linkedin", raw).normalized == "johndoe"


@pytest.mark.parametrize("raw", ["jd", "j" * 101, "john_doe", "linkedin.com/company/acme"])
def test_linkedin_rejects_bad_vanity_names(raw: str) -> None:
    with pytest.raises(InvalidHandle):
        parse_handle("linkedin", raw)


@pytest.mark.parametrize(
    "raw",
    [
        "ｊｏｈｎ_ｄｏｅ",  # fullwidth
        "𝐣𝐨𝐡𝐧_𝐝𝐨𝐞",  # mathematical bold
        "jo\u200bhn_doe",  # zero-width space
        "jоhn_doe",  # Cyrillic o
    ],
)
def test_folded_handles_are_suspects_not_errors(raw: str) -> None:
    parsed = parse_handle("x", raw)
    assert parsed.suspect
    assert parsed.skeleton == "john_doe"


def test_case_space_and_at_sign_alone_are_not_suspect() -> None:
    assert not parse_handle("x", "  @JoHn_DoE ").suspect


def test_normalize_is_trim_at_nfkc_casefold() -> None:
    assert normalize_handle("  @ＪＯＨＮ ") == "john"
    assert normalize_handle("Straße") == "strasse"


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "a" * 10_000, "jo\x00hn", "jo\nhn", "\ud800john", "jo\x7fhn", 42, None, b"john"],
)
def test_bad_handles_raise_invalid_handle(bad: object) -> None:
    with pytest.raises(InvalidHandle) as error:
        parse_handle("x", bad)
    assert error.value.field == "handle"
    assert error.value.allowed
