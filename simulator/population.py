"""Synthetic CRM: customers, their accounts, stranger names and bots.

:func:`build_population` makes a Faker CRM (several locales, so names are not all
ASCII-Latin; handles are derived ASCII-safe per platform rules), a pool of prospects
and a pool of bots; :class:`simulator.traffic.TrafficGenerator` then draws who writes
each message and as which case of ``records.CASES``, with its ground truth.
Everything is deterministic given the seed: Faker instances are seeded one per
locale and every draw comes from a ``random.Random`` passed in, never the global RNG.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from faker import Faker

from simulator.identity._frozen import maker

if TYPE_CHECKING:
    from simulator.identity import IdentityStore
    from simulator.scenario import Population as PopulationConfig
    from simulator.scenario import Scenario

__all__ = [
    "EPOCH_S",
    "SPAM_KEYWORDS",
    "Bot",
    "Customer",
    "Message",
    "Pools",
    "Population",
    "SocialAccount",
    "build_population",
]

#: POSIX time of simulated t = 0 at clock hour 0 (Monday 2 March 2026, 00:00 UTC).
EPOCH_S = 1_772_409_600.0
DAY_S = 86_400.0
PLATFORMS: tuple[str, ...] = ("twitter", "instagram", "linkedin")
#: Spam phrases bots write; the engine hands the same list to the bot guard.
SPAM_KEYWORDS: tuple[str, ...] = (
    "free crypto",
    "giveaway",
    "click here",
    "earn $$$",
    "dm for promo",
)
_LANG = {"en_US": "en-US", "de_DE": "de-DE", "fr_FR": "fr-FR", "ja_JP": "ja-JP", "ru_RU": "ru-RU"}
_MAX_LEN = {"twitter": 15, "instagram": 30, "linkedin": 100}
_NOT_TWITTER = re.compile(r"[^a-z0-9_]")
# A run of what Instagram (LinkedIn) does not allow, dots (dashes) included, becomes one
# dot (dash): the same as replacing each such character, then collapsing repeated ones.
_NOT_INSTAGRAM_RUN = re.compile(r"[^a-z0-9_]+")
_NOT_LINKEDIN_RUN = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class SocialAccount:
    """One platform account of a customer, as linked in the CRM."""

    platform: str
    user_id: str
    handle: str
    created_at: float


@dataclass(frozen=True, slots=True)
class Customer:
    """A CRM customer with its accounts (1-3, on distinct platforms)."""

    customer_id: str
    name: str
    tier: str
    emails: tuple[str, ...]
    preferences: dict[str, str] = field(hash=False, compare=False)
    accounts: tuple[SocialAccount, ...]
    last_interaction: float
    profile_updated_at: float

    def account(self, platform: str) -> SocialAccount | None:
        """The customer's account on ``platform``, if any."""
        for account in self.accounts:  # a plain loop: called for most drawn messages
            if account.platform == platform:
                return account
        return None


@dataclass(frozen=True, slots=True)
class Bot:
    """An automated sender and the evidence it gives the bot guard."""

    user_id: str
    handle: str
    known: bool
    spammy: bool
    created_at: float


@dataclass(frozen=True, slots=True)
class Message:
    """One inbound message with its ground truth."""

    channel: str
    case: str
    true_customer_id: str | None
    sender_key: str
    handle: str
    user_id: str
    email: str | None
    display_name: str
    text: str
    account_created_at: float
    is_bot: bool

    def request(self) -> dict[str, Any]:
        """The resolve request the data action sends."""
        req: dict[str, Any] = {
            "handle": self.handle,
            "channel": self.channel,
            "user_id": self.user_id,
            "display_name": self.display_name,
        }
        if self.email is not None:
            req["email"] = self.email
        return req


#: ``Message(...)`` with every field given, in order, three times faster (see
#: :func:`simulator.identity._frozen.maker`): one message is drawn per contact.
make_message = maker(Message)


@dataclass(frozen=True, slots=True)
class Pools:
    """The customers a message on a platform can come from, in population order."""

    with_account: dict[str, tuple[Customer, ...]]
    without_account: dict[str, tuple[Customer, ...]]


@dataclass(frozen=True, slots=True)
class Population:
    """The synthetic world of one replication: CRM, prospect names and bots."""

    customers: tuple[Customer, ...]
    names: tuple[tuple[str, str], ...]  # (display name, ASCII handle stem) for strangers
    bots: tuple[Bot, ...]
    config: PopulationConfig
    _store: list[IdentityStore] = field(default_factory=list, compare=False, repr=False)
    _pools: list[Pools] = field(default_factory=list, compare=False, repr=False)

    @property
    def known_bot_ids(self) -> tuple[str, ...]:
        """User ids on the known-bot list."""
        return tuple(b.user_id for b in self.bots if b.known)

    def store(self) -> IdentityStore:
        """A private copy of the CRM for one design (built once, then cloned)."""
        if not self._store:
            self._store.append(self.build_store())
        return self._store[0].clone()

    def pools(self) -> Pools:
        """Customers with and without an account on each platform (computed once)."""
        if not self._pools:
            with_account: dict[str, list[Customer]] = {p: [] for p in PLATFORMS}
            without: dict[str, list[Customer]] = {p: [] for p in PLATFORMS}
            for c in self.customers:
                for p in PLATFORMS:
                    (with_account if c.account(p) else without)[p].append(c)
            self._pools.append(
                Pools(
                    {p: tuple(cs) for p, cs in with_account.items()},
                    {p: tuple(cs) for p, cs in without.items()},
                )
            )
        return self._pools[0]

    def build_store(self) -> IdentityStore:
        """A fresh identity store holding the CRM."""
        from simulator.identity import IdentityStore

        store = IdentityStore()
        for c in self.customers:
            store.add_customer(
                c.customer_id,
                name=c.name,
                tier=c.tier,
                emails=c.emails,
                preferences=dict(c.preferences),
                last_interaction=c.last_interaction,
                profile_updated_at=c.profile_updated_at,
            )
            for a in c.accounts:
                store.link_account(c.customer_id, a.platform, a.user_id, a.handle, at=a.created_at)
        return store


def ascii_handle(stem: str, platform: str, suffix: str = "") -> str:
    """A handle valid on ``platform`` built from an ASCII stem (and a suffix)."""
    stem = stem.lower()
    # Most stems (9 in 10) are plain: ASCII letters, digits and _ only, which Twitter and
    # Instagram allow as they are (LinkedIn all but _), so the patterns would change nothing.
    plain = stem.isascii() and stem.replace("_", "0").isalnum()
    if platform == "twitter":
        base = stem if plain else _NOT_TWITTER.sub("_", stem)
    elif platform == "instagram":
        base = stem if plain else _NOT_INSTAGRAM_RUN.sub(".", stem).strip(".")
    else:
        base = stem if plain and "_" not in stem else _NOT_LINKEDIN_RUN.sub("-", stem).strip("-")
    base = (base or "user")[: _MAX_LEN[platform] - len(suffix)]
    if platform == "instagram":
        base = base.rstrip(".")
    handle = base + suffix
    return handle if len(handle) >= 3 else (handle + "000")[:3]


def build_population(scenario: Scenario, *, seed: int) -> Population:
    """Make the CRM, stranger names and bots for ``scenario`` from one seed."""
    cfg = scenario.population
    rng = random.Random(seed)
    fakers = []
    for i, locale in enumerate(cfg.locales):
        fake = Faker(locale)
        fake.seed_instance(seed * 1_000 + i)
        fakers.append((locale, fake))
    tiers, tier_weights = zip(*cfg.tier_mix.weights().items(), strict=True)
    used: dict[str, set[str]] = {p: set() for p in PLATFORMS}
    next_uid = iter(range(10**11, 10**12))
    customers = []
    for n in range(cfg.customers):
        locale, fake = fakers[rng.randrange(len(fakers))]
        name, stem = fake.name(), fake.user_name()
        platforms = rng.sample(PLATFORMS, rng.choice((1, 1, 2, 2, 3)))
        accounts = []
        for platform in platforms:
            handle = _unique_handle(stem, platform, used[platform], rng)
            created = EPOCH_S - rng.uniform(60, 3_000) * DAY_S
            accounts.append(SocialAccount(platform, str(next(next_uid)), handle, created))
        emails = tuple(
            f"{ascii_handle(stem, 'linkedin')}{n}{k or ''}@{fake.free_email_domain()}"
            for k in range(rng.choice((1, 1, 2)))
        )
        recent = rng.random() < cfg.recent_profile_update_share
        customers.append(
            Customer(
                customer_id=f"CRM_{n + 1:07d}",
                name=name,
                tier=rng.choices(tiers, tier_weights)[0],
                emails=emails,
                preferences={
                    "preferred_channel": rng.choice(("sms", "email", *platforms)),
                    "language": _LANG.get(locale, locale.replace("_", "-")),
                },
                accounts=tuple(accounts),
                last_interaction=EPOCH_S - rng.uniform(1, 400) * DAY_S,
                profile_updated_at=EPOCH_S
                - (rng.uniform(0, 3_600) if recent else rng.uniform(2, 700) * DAY_S),
            )
        )
    names = []
    for _ in range(max(200, cfg.customers // 2)):
        _, fake = fakers[rng.randrange(len(fakers))]
        names.append((fake.name(), fake.user_name()))
    bots = []
    bot_cfg = scenario.bots
    for k in range(2_000):
        young = rng.random() < bot_cfg.young_account_share
        age_days = rng.uniform(0, bot_cfg.min_account_age_days) if young else rng.uniform(30, 900)
        bots.append(
            Bot(
                user_id=f"9{k:08d}",
                handle=f"promo_{rng.getrandbits(24):06x}",
                known=rng.random() < bot_cfg.known_bot_share,
                spammy=rng.random() < bot_cfg.spam_text_share,
                created_at=EPOCH_S - age_days * DAY_S,
            )
        )
    return Population(tuple(customers), tuple(names), tuple(bots), cfg)


def _unique_handle(stem: str, platform: str, used: set[str], rng: random.Random) -> str:
    handle = ascii_handle(stem, platform)
    while handle in used:
        handle = ascii_handle(
            stem, platform, f"{'_' if platform == 'twitter' else ''}{rng.randrange(100, 9999)}"
        )
    used.add(handle)
    return handle
