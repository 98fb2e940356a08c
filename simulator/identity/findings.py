"""What the resolver gathers while it climbs the evidence ladder, and the answer it makes.

A :class:`Findings` collects reason codes (in the order they were found) and review
candidates with their best confidence; when no rung resolved the sender, it makes the
unresolved answer: a review of the candidates, best first, or "no match".
"""

from __future__ import annotations

from simulator.identity._frozen import maker
from simulator.identity.answer import ResolveAnswer

__all__ = ["Findings", "make_answer"]

#: ``ResolveAnswer(...)`` with every field given, in order (see :func:`._frozen.maker`).
make_answer = maker(ResolveAnswer)
#: The answer to a sender that nothing matched and nothing flagged (most new senders).
#: Answers are frozen, so this one instance serves them all.
_NO_MATCH = make_answer(False, None, 0.0, "none", False, ("no_match",), None, (), None, None, ())


def _by_score(item: tuple[str, float]) -> tuple[float, str]:
    return -item[1], item[0]


class Findings:
    """Reasons and review candidates gathered while climbing the ladder."""

    __slots__ = ("candidates", "reasons")

    def __init__(self) -> None:
        self.reasons: list[str] = []
        self.candidates: dict[str, float] = {}

    def reason(self, code: str) -> None:
        if code not in self.reasons:
            self.reasons.append(code)

    def candidate(self, customer_id: str, confidence: float, code: str) -> None:
        self.reason(code)
        if confidence > self.candidates.get(customer_id, -1.0):
            self.candidates[customer_id] = confidence

    def answer(self) -> ResolveAnswer:
        """The unresolved answer: a review of the best candidates, else no match."""
        if not self.candidates:
            if not self.reasons:
                return _NO_MATCH
            self.reason("no_match")
            reasons = tuple(self.reasons)
            return make_answer(False, None, 0.0, "none", False, reasons, None, (), None, None, ())
        self.reason("below_threshold")
        ranked = list(self.candidates.items())
        if len(ranked) > 1:  # most reviews have one candidate: nothing to sort
            ranked.sort(key=_by_score)
        return make_answer(
            False,  # resolved
            None,  # customer_id
            ranked[0][1],  # confidence
            "review",  # method
            True,  # review
            tuple(self.reasons),
            None,  # agent_notice
            tuple(cid for cid, _ in ranked),  # candidates
            None,  # profile_source
            None,  # customer
            (),  # accounts
        )
