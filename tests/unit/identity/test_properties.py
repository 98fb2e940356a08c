"""Hypothesis properties of normalization and resolution."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.errors import ConflictError, InvalidInput
from simulator.identity import IdentityStore, Resolver, normalize_handle, parse_handle

from .conftest import NOW

X_HANDLE = st.text(alphabet=string.ascii_lowercase + string.digits + "_", min_size=3, max_size=15)
LOOKALIKES = {
    "o": ["0", "о", "ο", "ｏ"],
    "a": ["а", "ａ"],
    "e": ["е", "ｅ"],
    "l": ["1", "I", "ӏ"],
    "i": ["і", "ı"],
    "s": ["5", "ѕ"],
    "m": ["rn"],
    "w": ["vv"],
    "d": ["cl"],
    "_": [".", "-"],
}
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.text(max_size=40))
def test_normalization_is_idempotent(raw: str) -> None:
    try:
        once = normalize_handle(raw)
    except InvalidInput:
        return
    assert normalize_handle(once) == once


@st.composite
def homoglyph_pair(draw: st.DrawFn) -> tuple[str, str]:
    base = draw(X_HANDLE.filter(lambda h: any(c in LOOKALIKES for c in h)))
    positions = [i for i, c in enumerate(base) if c in LOOKALIKES]
    index = draw(st.sampled_from(positions))
    swap = draw(st.sampled_from(LOOKALIKES[base[index]]))
    return base, base[:index] + swap + base[index + 1 :]


@FAST
@given(homoglyph_pair(), st.booleans())
def test_a_homoglyph_with_another_user_id_never_resolves(
    pair: tuple[str, str], as_fullwidth: bool
) -> None:
    base, variant = pair
    store = IdentityStore()
    store.add_customer("C1", name="Owner", tier="Gold")
    store.link_account("C1", "twitter", "1", base)
    if as_fullwidth:
        variant = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in variant)
    resolver = Resolver(store, clock=lambda: NOW)
    try:
        answer = resolver.resolve({"handle": variant, "channel": "x", "user_id": "2"})
    except InvalidInput:
        return
    assert answer.customer_id != "C1" and not answer.resolved


OPS = st.lists(
    st.tuples(
        st.sampled_from(["C1", "C2", "C3"]),
        st.sampled_from(["twitter", "instagram"]),
        st.sampled_from(["1", "2", "3"]),
        X_HANDLE,
        st.sampled_from(["link", "weak_link", "not_same", "resolve_email", "capture"]),
    ),
    max_size=25,
)


@FAST
@given(OPS)
def test_an_account_is_never_linked_to_two_customers(ops: list[tuple[str, ...]]) -> None:
    store = IdentityStore()
    for cid in ("C1", "C2", "C3"):
        store.add_customer(cid, name=cid, tier="Bronze", emails=[f"{cid.lower()}@example.com"])
    resolver = Resolver(store, clock=lambda: NOW)
    for cid, platform, uid, handle, op in ops:
        email = f"{cid.lower()}@example.com"
        request = {"handle": handle, "channel": platform, "user_id": uid, "email": email}
        try:
            if op == "link":
                resolver.link_confirmed(cid, platform, uid, handle)
            elif op == "weak_link":
                store.link_account(cid, platform, uid, handle, method="review", confidence=0.5)
            elif op == "not_same":
                resolver.mark_not_same(cid, platform, uid)
        except ConflictError:  # the store saying no to a link: allowed, nothing written
            continue
        if op == "resolve_email":
            resolver.resolve(request)  # resolving never raises on valid input
        elif op == "capture":
            answer = resolver.resolve(request)
            if not answer.resolved:
                resolver.capture_lead(request, answer)
    owners: dict[tuple[str, str], set[str]] = {}
    for cid in ("C1", "C2", "C3"):
        for account in store.accounts_of(cid):
            owners.setdefault((account.platform, account.user_id), set()).add(cid)
            assert not store.is_not_same(cid, account.platform, account.user_id)
    assert all(len(cids) == 1 for cids in owners.values())


@FAST
@given(
    st.lists(
        st.fixed_dictionaries(
            {"handle": X_HANDLE, "channel": st.sampled_from(["x", "instagram"])},
            optional={"user_id": st.sampled_from(["1", "2", "9"])},
        ),
        max_size=8,
    )
)
def test_resolving_is_deterministic(requests: list[dict[str, str]]) -> None:
    def run() -> list[object]:
        store = IdentityStore()
        store.add_customer("C1", name="John Doe", tier="Gold", emails=["j@example.com"])
        store.link_account("C1", "twitter", "1", "john_doe")
        store.link_account("C1", "instagram", "2", "john.doe")
        resolver = Resolver(store, clock=lambda: NOW)
        out: list[object] = []
        for request in requests:
            answer = resolver.resolve(request)
            out.append(answer.to_dict())
            if not answer.resolved:
                out.append(resolver.capture_lead(request, answer))
        out.append(store.audit_log())
        return out

    assert run() == run()


@FAST
@given(
    st.sampled_from(["x", "instagram", "linkedin"]),
    st.text(alphabet=string.ascii_letters + string.digits + "_.-@ ", max_size=20),
)
def test_parsed_handles_are_normalized_and_plain_ascii_is_never_suspect(
    channel: str, raw: str
) -> None:
    try:
        parsed = parse_handle(channel, raw)
    except InvalidInput:
        return
    assert not parsed.suspect
    assert parsed.normalized == normalize_handle(parsed.normalized)
    assert parse_handle(channel, parsed.normalized) == parse_handle(channel, parsed.normalized)
    assert parse_handle(channel, parsed.normalized).normalized == parsed.normalized
