"""Population and traffic: deterministic per seed, valid handles, every case with ground truth."""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import FrozenInstanceError

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.records import CASES
from simulator.lookalikes import below, lookalike_ascii, lookalike_unicode
from simulator.population import Message, Population, ascii_handle, build_population, make_message
from simulator.scenario import Scenario, parse_scenario
from simulator.traffic import TrafficGenerator

RULES = {
    "twitter": re.compile(r"^[A-Za-z0-9_]{1,15}$"),
    "instagram": re.compile(r"^(?!\.)(?!.*\.\.)(?!.*\.$)[a-z0-9._]{1,30}$"),
    "linkedin": re.compile(r"^[a-z0-9-]{3,100}$"),
}


def scenario(**population: object) -> Scenario:
    return parse_scenario(
        {
            "name": "pop",
            "horizon_s": 3600,
            "channels": [{"name": c, "rate_per_hour": 10} for c in RULES],
            "queues": [
                {"name": q, "sla_target_s": 60}
                for q in ("General_Social_Queue", "Platinum_Social_Queue", "Supervisor_Review")
            ],
            "agent_groups": [
                {
                    "name": "g",
                    "agents": 1,
                    "skills": [
                        "General_Social_Queue",
                        "Platinum_Social_Queue",
                        "Supervisor_Review",
                    ],
                    "handle_time": {"mean_s": 60},
                }
            ],
            "population": {"customers": 150, **population},
        }
    )


@pytest.fixture(scope="module")
def population() -> Population:
    return build_population(scenario(), seed=11)


def traffic(pop: Population, seed: int, n: int = 600) -> list[Message]:
    gen = TrafficGenerator(pop, rng=random.Random(seed))
    channels = tuple(RULES)
    return [gen.next_message(channels[i % 3], now=float(i)) for i in range(n)]


def test_same_seed_same_world(population: Population) -> None:
    again = build_population(scenario(), seed=11)
    assert again.customers == population.customers
    assert again.bots == population.bots
    assert traffic(population, 5) == traffic(again, 5)


def test_other_seed_other_world(population: Population) -> None:
    other = build_population(scenario(), seed=12)
    assert other.customers != population.customers
    assert traffic(population, 5) != traffic(population, 6)


def test_customers_are_well_formed(population: Population) -> None:
    scripts = set()
    for c in population.customers:
        assert 1 <= len(c.accounts) <= 3
        assert len({a.platform for a in c.accounts}) == len(c.accounts)
        assert c.tier in ("Platinum", "Gold", "Silver", "Bronze")
        assert c.emails and all(e.isascii() and "@" in e for e in c.emails)
        assert set(c.preferences) == {"preferred_channel", "language"}
        for a in c.accounts:
            assert RULES[a.platform].match(a.handle), (a.platform, a.handle)
        scripts.add(c.name.isascii())
    assert scripts == {True, False}  # several locales, not only ASCII-Latin names
    ids = [a.user_id for c in population.customers for a in c.accounts]
    assert len(ids) == len(set(ids))


def test_every_case_appears_with_ground_truth(population: Population) -> None:
    messages = traffic(population, 3, n=3000)
    counts = Counter(m.case for m in messages)
    assert set(counts) == set(CASES)
    known = {c.customer_id for c in population.customers}
    for m in messages:
        if m.case in ("returning", "handle_change", "cross_platform", "cross_platform_email",
                      "new_handle"):  # fmt: skip
            assert m.true_customer_id in known
        else:
            assert m.true_customer_id is None
        assert m.is_bot == (m.case == "bot")
        if m.case == "cross_platform_email":
            assert m.email is not None
        if m.case not in ("homoglyph", "bot"):
            assert RULES[m.channel].match(m.handle), (m.case, m.channel, m.handle)


def test_handle_change_sticks_and_prospects_write_again(population: Population) -> None:
    messages = traffic(population, 4, n=4000)
    prospects = Counter(m.sender_key for m in messages if m.case == "new_prospect")
    assert max(prospects.values()) > 1
    changed = [m for m in messages if m.case == "handle_change"]
    assert changed
    by_user = {(m.channel, m.user_id): m.handle for m in changed}
    later = [m for m in messages if (m.channel, m.user_id) in by_user and m.case == "returning"]
    assert all(m.handle for m in later)


def test_homoglyphs_look_alike() -> None:
    rng = random.Random(1)
    assert lookalike_ascii("jimmy_doe", rng) in {"jirnmy_doe", "jimrny_doe", "jimmy_d0e"}
    fakes = {lookalike_unicode("jimmy_doe", random.Random(s)) for s in range(40)}
    assert any(not f.isascii() for f in fakes)
    assert any(any(0xFF01 <= ord(ch) <= 0xFF5E for ch in f) for f in fakes)  # fullwidth
    assert all(len(f) == len("jimmy_doe") for f in fakes)


def test_bots_have_the_configured_evidence() -> None:
    pop = build_population(scenario(), seed=2)
    known = sum(b.known for b in pop.bots) / len(pop.bots)
    assert 0.4 < known < 0.6
    assert set(pop.known_bot_ids) == {b.user_id for b in pop.bots if b.known}


def test_pools_split_customers_by_account_once(population: Population) -> None:
    pools = population.pools()
    assert population.pools() is pools  # computed once, shared by every generator
    for platform in RULES:
        with_account = [c for c in population.customers if c.account(platform)]
        without = [c for c in population.customers if not c.account(platform)]
        assert pools.with_account[platform] == tuple(with_account)
        assert pools.without_account[platform] == tuple(without)


def test_case_draw_is_random_choices_with_the_same_draw(population: Population) -> None:
    pools = population.pools()
    assert all(pools.with_account[p] and pools.without_account[p] for p in RULES)  # no fallback
    weights = population.config.case_mix.weights()
    for seed in range(500):  # the case is the first draw of a message
        expected = random.Random(seed).choices(CASES, [weights[c] for c in CASES])[0]
        gen = TrafficGenerator(population, rng=random.Random(seed))
        assert gen.next_message("instagram").case == expected


def test_messages_equal_the_constructor(population: Population) -> None:
    for m in traffic(population, 8, n=300):
        built = Message(*(getattr(m, f) for f in Message.__slots__))
        assert type(m) is Message
        assert (m, hash(m), repr(m)) == (built, hash(built), repr(built))
    m = make_message("twitter", "bot", None, "bot-9", "promo_1", "9", None, "x", "hi", 1.0, True)
    with pytest.raises(FrozenInstanceError):
        m.handle = "other"  # type: ignore[misc]


def test_all_messages_at_once_equal_one_call_each(population: Population) -> None:
    rng = random.Random(21)
    times = sorted(rng.uniform(0, 3600) for _ in range(2000))
    channels = [rng.choice(tuple(RULES)) for _ in times]
    storm = [rng.random() < 0.2 for _ in times]
    one = TrafficGenerator(population, rng=random.Random(4))
    expected = [
        one.bot_message(ch) if is_storm else one.next_message(ch, now=t)
        for t, ch, is_storm in zip(times, channels, storm, strict=True)
    ]
    batch = TrafficGenerator(population, rng=random.Random(4)).messages(times, channels, storm)
    assert batch == expected


def test_a_case_no_customer_can_write_falls_back(population: Population) -> None:
    twitter_only = tuple(c for c in population.customers if len(c.accounts) == 1)
    twitter_only = tuple(c for c in twitter_only if c.accounts[0].platform == "twitter")
    on_twitter = Population(twitter_only, population.names, population.bots, population.config)
    gen = TrafficGenerator(on_twitter, rng=random.Random(1))
    assert gen.next_message("instagram", case="returning").case == "cross_platform"
    assert gen.next_message("twitter", case="cross_platform_email").case == "new_handle"
    nobody = Population((), population.names, population.bots, population.config)
    gen = TrafficGenerator(nobody, rng=random.Random(1))
    assert {gen.next_message("linkedin").case for _ in range(200)} == {"new_prospect", "bot"}


def test_fast_draws_are_the_random_module_draws() -> None:
    for n in (1, 2, 3, 5, 6, 7, 8, 989, 2_000, 4_096, 9_989):
        fast, slow = random.Random(n), random.Random(n)
        assert [below(fast.getrandbits, n) for _ in range(300)] == [
            slow.randrange(n) for _ in range(300)
        ]
        items = list(range(n))
        assert [below(fast.getrandbits, n) for _ in range(50)] == [
            slow.choice(items) for _ in range(50)
        ]
    fast, slow = random.Random(3), random.Random(3)
    for a, b in ((8, 60), (8, 200), (10, 900), (30, 2_000)):
        assert a + (b - a) * fast.random() == slow.uniform(a, b)  # as the writers spell it
    with pytest.raises(ValueError, match="empty range"):
        below(random.Random(0).getrandbits, 0)


_NOT_ALLOWED = {"twitter": r"[^a-z0-9_]", "instagram": r"[^a-z0-9._]", "linkedin": r"[^a-z0-9-]"}
_MAX_LEN = {"twitter": 15, "instagram": 30, "linkedin": 100}


def _slow_handle(stem: str, platform: str, suffix: str) -> str:
    """The handle rules as first written: replace each character, then collapse repeats."""
    stem = stem.lower()
    if platform == "twitter":
        base = re.sub(_NOT_ALLOWED[platform], "_", stem)
    elif platform == "instagram":
        base = re.sub(r"\.{2,}", ".", re.sub(_NOT_ALLOWED[platform], ".", stem)).strip(".")
    else:
        base = re.sub(r"-{2,}", "-", re.sub(_NOT_ALLOWED[platform], "-", stem)).strip("-")
    base = (base or "user")[: _MAX_LEN[platform] - len(suffix)]
    if platform == "instagram":
        base = base.rstrip(".")
    handle = base + suffix
    return handle if len(handle) >= 3 else (handle + "000")[:3]


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40), st.text(alphabet="aZ9_.-- !\u00e9\u0130\u212a\u65e5", max_size=20)
    ),
    st.sampled_from(sorted(RULES)),
    st.sampled_from(["", "_7", "42", "_9999"]),
)
def test_ascii_handle_keeps_the_rules(stem: str, platform: str, suffix: str) -> None:
    assert ascii_handle(stem, platform, suffix) == _slow_handle(stem, platform, suffix)
