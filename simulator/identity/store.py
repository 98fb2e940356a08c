"""The identity store interface: values and the storage primitives the resolver needs.

:class:`StoreBackend` is the one abstract interface behind which the identity graph lives.
The in-memory implementation (:mod:`simulator.identity.memory`) serves simulations and
benchmarks; a SQLite implementation (:mod:`simulator.service.sqlite_store`) serves the HTTP
IRP. The :class:`~simulator.identity.resolver.Resolver` uses nothing but this interface.

Rules every backend keeps:

* values are immutable (frozen dataclasses); "updating" means putting a replacement;
* an account is keyed by ``(platform, user_id)``, so it can be linked to one customer only;
* lookups by user id, normalized handle, skeleton, loose key and email are index lookups
  (O(1)), never scans;
* every write made inside :meth:`StoreBackend.transaction` is all-or-nothing: if the block
  raises, the store is exactly as it was before the block.

Index keys of an account are derived from its platform and handle with
:func:`simulator.identity.keys.handle_keys`; backends call that function, they do not
invent keys of their own, so that two backends always agree.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from simulator.identity._frozen import maker

#: Customer tiers, highest first.
TIERS: tuple[str, ...] = ("Platinum", "Gold", "Silver", "Bronze")

#: How an account came to be linked to a customer (provenance ``method``).
LINK_METHODS: tuple[str, ...] = ("crm", "user_id", "email", "review", "handle")

_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Customer:
    """A CRM customer record.

    Attributes:
        customer_id: CRM identifier (``CRM_987654321``).
        name: display name.
        tier: one of :data:`TIERS`.
        emails: verified emails held by the CRM, normalized (stripped, lower case).
        preferences: ``preferred_channel``, ``language`` and any other CRM preferences.
        last_interaction: POSIX seconds of the last interaction, if known.
        profile_updated_at: POSIX seconds of the last profile change, if known.
    """

    customer_id: str
    name: str
    tier: str
    emails: tuple[str, ...] = ()
    preferences: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    last_interaction: float | None = None
    profile_updated_at: float | None = None


@dataclass(frozen=True, slots=True)
class HandleChange:
    """One entry of an account's handle history: the handle it had until ``until``."""

    handle: str
    until: float | None


@dataclass(frozen=True, slots=True)
class Account:
    """A platform account linked to a customer, with the provenance of that link.

    Attributes:
        platform: ``twitter``, ``instagram`` or ``linkedin``.
        user_id: the platform's immutable id, always a string.
        handle: current handle, normalized (see :func:`~simulator.identity.handles.parse_handle`).
        customer_id: the one customer this account is linked to.
        method: how the link was made, one of :data:`LINK_METHODS`.
        confidence: confidence of the link in [0, 1].
        linked_at: POSIX seconds when the link was made, if known.
        history: earlier handles, oldest first.
    """

    platform: str
    user_id: str
    handle: str
    customer_id: str
    method: str = "crm"
    confidence: float = 1.0
    linked_at: float | None = None
    history: tuple[HandleChange, ...] = ()

    @property
    def link(self) -> Link:
        """The link of this account as a provenance value."""
        return Link(
            self.customer_id,
            self.platform,
            self.user_id,
            self.method,
            self.confidence,
            self.linked_at,
        )


@dataclass(frozen=True, slots=True)
class Link:
    """Provenance of one account-to-customer link: who, how, how sure, when."""

    customer_id: str
    platform: str
    user_id: str
    method: str
    confidence: float
    at: float | None


@dataclass(frozen=True, slots=True)
class Lead:
    """A prospect created for a sender that no customer matched.

    Attributes:
        lead_id: ``LEAD-00000001`` style identifier, assigned in creation order.
        platform: platform of the first message.
        handle: normalized handle of the latest message.
        user_id: platform user id, if the platform gave one.
        email: email, if the platform shared one.
        created_at: POSIX seconds of the first message.
        messages: how many messages this sender has sent as a lead.
        needs_review: a data steward should look (every new lead; see ``leads``).
        candidates: customer ids of the near candidates.
    """

    lead_id: str
    platform: str
    handle: str
    user_id: str | None
    email: str | None
    created_at: float
    messages: int = 1
    needs_review: bool = False
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One decision, appended to the store's audit log and never changed.

    Attributes:
        at: POSIX seconds of the decision.
        action: ``link``, ``handle_changed``, ``not_same``, ``lead_created``, ...
        customer_id: customer concerned, if any.
        platform: platform concerned, if any.
        user_id: account concerned, if any.
        detail: short free text (method, confidence, old handle, ...).
    """

    at: float
    action: str
    customer_id: str | None = None
    platform: str | None = None
    user_id: str | None = None
    detail: str = ""


#: ``AuditEntry(...)`` with every field given, in order (see :func:`._frozen.maker`): the
#: lead and link writers append one per write.
make_audit = maker(AuditEntry)


class StoreBackend(abc.ABC):
    """Storage primitives of the identity graph; the resolver's only view of the data.

    Subclasses implement the abstract methods (marked ``Abstract:`` below). The concrete
    helpers at the end (:meth:`add_customer`, :meth:`link_account`) validate their input and
    are built on the primitives, so every backend shares them.
    """

    # -- customers ---------------------------------------------------------------------

    @abc.abstractmethod
    def get_customer(self, customer_id: str) -> Customer | None:
        """Abstract: the customer with this id, or ``None``."""

    @abc.abstractmethod
    def put_customer(self, customer: Customer) -> None:
        """Abstract: insert or replace a customer, keeping the email index in step.

        Emails the replacement no longer holds are removed from the index.
        """

    @abc.abstractmethod
    def customer_ids_by_email(self, email: str) -> tuple[str, ...]:
        """Abstract: ids of the customers holding this (normalized) email, in insertion order."""

    @abc.abstractmethod
    def customer_count(self) -> int:
        """Abstract: how many customers the store holds."""

    # -- accounts ----------------------------------------------------------------------

    @abc.abstractmethod
    def get_account(self, platform: str, user_id: str) -> Account | None:
        """Abstract: the account ``(platform, user_id)``, or ``None`` if not linked."""

    @abc.abstractmethod
    def put_account(self, account: Account) -> None:
        """Abstract: insert or replace the account ``(account.platform, account.user_id)``.

        Keeps the handle, skeleton and loose-key indexes and the per-customer list in step
        (an old handle's index entries are removed). The caller has checked that the
        customer exists and that a replacement keeps the same ``customer_id``.
        """

    @abc.abstractmethod
    def delete_account(self, platform: str, user_id: str) -> None:
        """Abstract: unlink the account and drop its index entries; no-op if absent."""

    @abc.abstractmethod
    def accounts_of(self, customer_id: str) -> tuple[Account, ...]:
        """Abstract: every account linked to the customer, in link order."""

    @abc.abstractmethod
    def accounts_by_handle(self, platform: str, handle: str) -> tuple[Account, ...]:
        """Abstract: accounts on ``platform`` whose normalized handle is ``handle``."""

    @abc.abstractmethod
    def accounts_by_skeleton(self, platform: str, skeleton: str) -> tuple[Account, ...]:
        """Abstract: accounts on ``platform`` whose handle has this UTS #39 skeleton."""

    @abc.abstractmethod
    def accounts_by_loose_key(self, platform: str, loose: str) -> tuple[Account, ...]:
        """Abstract: accounts on ``platform`` whose handle has this loose ASCII key."""

    @abc.abstractmethod
    def account_count(self) -> int:
        """Abstract: how many accounts are linked."""

    # -- leads -------------------------------------------------------------------------

    @abc.abstractmethod
    def get_lead(self, lead_id: str) -> Lead | None:
        """Abstract: the lead with this id, or ``None``."""

    @abc.abstractmethod
    def put_lead(self, lead: Lead) -> None:
        """Abstract: insert or replace a lead; index it by user id, email and handle."""

    @abc.abstractmethod
    def lead_by_user(self, platform: str, user_id: str) -> Lead | None:
        """Abstract: the lead created for this platform user id, or ``None``."""

    @abc.abstractmethod
    def lead_by_email(self, email: str) -> Lead | None:
        """Abstract: the lead holding this email, or ``None``."""

    @abc.abstractmethod
    def lead_by_handle(self, platform: str, handle: str) -> Lead | None:
        """Abstract: the lead for this normalized handle on ``platform``, or ``None``."""

    @abc.abstractmethod
    def lead_count(self) -> int:
        """Abstract: how many leads exist (used to number the next one)."""

    # -- decisions and audit -----------------------------------------------------------

    @abc.abstractmethod
    def add_not_same(self, customer_id: str, platform: str, user_id: str) -> None:
        """Abstract: store "account (platform, user_id) is not this customer"."""

    @abc.abstractmethod
    def is_not_same(self, customer_id: str, platform: str, user_id: str) -> bool:
        """Abstract: whether that "not the same person" decision is stored."""

    @abc.abstractmethod
    def append_audit(self, entry: AuditEntry) -> None:
        """Abstract: append one decision to the audit log (never rewritten)."""

    @abc.abstractmethod
    def audit_log(self) -> tuple[AuditEntry, ...]:
        """Abstract: the whole audit log, oldest first."""

    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """Abstract: a block whose writes all happen, or none does if it raises.

        Nested use joins the outer transaction.
        """

    # -- shared helpers built on the primitives ----------------------------------------

    def add_customer(
        self,
        customer_id: str,
        *,
        name: str,
        tier: str,
        emails: Iterable[str] = (),
        preferences: Mapping[str, str] | None = None,
        last_interaction: float | None = None,
        profile_updated_at: float | None = None,
    ) -> None:
        """Insert or replace a customer after validating every field.

        Raises:
            InvalidRequest: a field has the wrong type or value (nothing is written).
        """
        from simulator.identity.validate import customer_from_fields

        customer = customer_from_fields(
            customer_id,
            name=name,
            tier=tier,
            emails=emails,
            preferences=preferences,
            last_interaction=last_interaction,
            profile_updated_at=profile_updated_at,
        )
        self.put_customer(customer)

    def link_account(
        self,
        customer_id: str,
        platform: str,
        user_id: str,
        handle: str,
        *,
        method: str = "crm",
        confidence: float = 1.0,
        at: float | None = None,
    ) -> None:
        """Link a platform account to a customer (or refresh that link's handle).

        Raises:
            InvalidInput: bad platform, user id, handle, method or confidence.
            NotFound: the customer does not exist.
            ConflictError: the account is linked to another customer, or a stored
                "not the same person" decision forbids this link.
        """
        from simulator.identity.linking import link_account

        link_account(
            self,
            customer_id,
            platform,
            user_id,
            handle,
            method=method,
            confidence=confidence,
            at=at,
        )

    def key_version(self) -> str:
        """The Unicode data version that built this store's skeleton and loose-key indexes.

        In-memory stores build their keys with the running data. A persistent backend
        should record :data:`~simulator.identity.keys.UNICODE_DATA_VERSION` with its keys,
        return the recorded value here, and rebuild the keys when the two differ.
        """
        from simulator.identity.keys import UNICODE_DATA_VERSION

        return UNICODE_DATA_VERSION

    def snapshot_stats(self) -> dict[str, Any]:
        """Counts and key version, for logs and benchmarks."""
        return {
            "customers": self.customer_count(),
            "accounts": self.account_count(),
            "leads": self.lead_count(),
            "unicode_data_version": self.key_version(),
        }
