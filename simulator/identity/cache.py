"""Profile freshness: a TTL cache of CRM profiles and the agent's "recently updated" notice.

The seed's trap: agents trust what the CRM widget shows, so cached profiles live at most
five minutes, Platinum customers are always read in real time, and a profile that changed
recently comes with a notice giving the real elapsed time.
"""

from __future__ import annotations

from simulator.errors import InvalidInput
from simulator.identity.store import Customer

#: The longest TTL the cache accepts (five minutes).
MAX_TTL_S = 300.0


class ProfileCache:
    """Customer profiles cached for at most ``ttl_s`` seconds (never more than 300).

    Args:
        ttl_s: time to live in seconds, in (0, 300].
        max_entries: bound on cached profiles; the oldest entry goes first.

    Raises:
        InvalidInput: a TTL above 300 s, or not positive.
    """

    def __init__(self, ttl_s: float = 300.0, *, max_entries: int = 100_000) -> None:
        if isinstance(ttl_s, bool) or not isinstance(ttl_s, int | float):
            raise InvalidInput("ttl_s", ttl_s, f"seconds in (0, {MAX_TTL_S:g}]")
        if not 0 < ttl_s <= MAX_TTL_S:
            raise InvalidInput("ttl_s", ttl_s, f"seconds in (0, {MAX_TTL_S:g}]")
        if max_entries < 1:
            raise InvalidInput("max_entries", max_entries, "a positive integer")
        self.ttl_s = float(ttl_s)
        self._max = max_entries
        self._entries: dict[str, tuple[Customer, float]] = {}

    def get(self, customer_id: str, now: float) -> Customer | None:
        """The cached profile if it is younger than the TTL, else ``None`` (and drop it)."""
        entry = self._entries.get(customer_id)
        if entry is None:
            return None
        if now - entry[1] >= self.ttl_s or now < entry[1]:
            del self._entries[customer_id]
            return None
        return entry[0]

    def put(self, customer: Customer, now: float) -> None:
        """Cache a profile read from the CRM at ``now``."""
        self._entries.pop(customer.customer_id, None)
        if len(self._entries) >= self._max:
            del self._entries[next(iter(self._entries))]
        self._entries[customer.customer_id] = (customer, now)

    def invalidate(self, customer_id: str) -> None:
        """Forget one customer's profile (after a write to it)."""
        self._entries.pop(customer_id, None)

    def __len__(self) -> int:
        return len(self._entries)


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'} ago"


def elapsed_text(seconds: float) -> str:
    """Human wording of an elapsed time: ``just now``, ``5 minutes ago``, ``2 hours ago``."""
    seconds = max(0.0, seconds)
    if seconds < 1:
        return "just now"
    if seconds < 60:
        return _plural(int(seconds), "second")
    if seconds < 3_600:
        return _plural(int(seconds // 60), "minute")
    if seconds < 86_400:
        return _plural(int(seconds // 3_600), "hour")
    return _plural(int(seconds // 86_400), "day")


def agent_notice(updated_at: float | None, now: float, window_s: float) -> str | None:
    """The system message for the agent if the profile changed within ``window_s``.

    Returns:
        ``"Note: Customer profile updated 2 hours ago. Verify preferences."`` (with the
        real elapsed time), or ``None`` when the profile is older or its age unknown.
    """
    if updated_at is None or now - updated_at > window_s:
        return None
    return f"Note: Customer profile updated {elapsed_text(now - updated_at)}. Verify preferences."
