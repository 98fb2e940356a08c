"""Population and traffic: deterministic per seed, valid handles, every case with ground truth."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from simulator.engine.records import CASES
from simulator.population import Message, Population, build_population
from simulator.scenario import Scenario, parse_scenario
from simulator.traffic import TrafficGenerator, lookalike_ascii, lookalike_unicode

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
    gen = TrafficGenerator(population, rng=random.Random(9))
    weights = population.config.case_mix.weights()
    expected = random.Random(9).choices(CASES, [weights[c] for c in CASES], k=500)
    assert [gen._draw_case() for _ in range(500)] == expected


def test_messages_equal_the_constructor(population: Population) -> None:
    for m in traffic(population, 8, n=300):
        assert m == Message(*(getattr(m, f) for f in Message.__slots__))
