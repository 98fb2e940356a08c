"""Engine stories: a few hand-placed messages, every event time asserted as one timeline."""

from __future__ import annotations

from simulator.engine.records import ContactRecord
from simulator.population import Population

from .conftest import customer, make_scenario, returning, run, spam_bot, stranger


def story(records: list[ContactRecord]) -> list[tuple[float, str]]:
    """The whole timeline: (time, "event #contact"), by time, then in causal order."""
    log: list[tuple[float, str]] = []
    for r in records:
        i = r.contact_id
        log.append((r.arrival_s, f"arrive #{i}"))
        if r.irp_end_s is not None and r.irp_outcome != "rate_limited":
            log.append((round(r.irp_end_s, 6), f"irp {r.irp_outcome} #{i}"))
        if r.answer_s is not None:
            log.append((round(r.answer_s, 6), f"answer #{i} by {r.agent} in {r.queue}"))
        if r.end_s is not None:
            what = "abandon" if r.abandoned else "closed" if r.bot_blocked else "end"
            log.append((round(r.end_s, 6), f"{what} #{i}"))
    return sorted(log, key=lambda entry: entry[0])


def test_sync_resolution_time_counts_towards_the_wait(world: Population) -> None:
    gold = customer(world, "Gold")
    records = run(make_scenario(), world, [(0.0, returning(gold)), (10.0, stranger(1))])
    assert story(records) == [
        (0.0, "arrive #0"),
        (0.5, "irp ok #0"),
        (0.5, "answer #0 by desk#1 in General_Social_Queue"),
        (10.0, "arrive #1"),
        (10.5, "irp ok #1"),
        (100.5, "end #0"),
        (100.5, "answer #1 by desk#1 in General_Social_Queue"),
        (200.5, "end #1"),
    ]
    first, second = records
    assert (first.resolved_customer_id, first.tier, first.priority) == (gold.customer_id, "Gold", 5)
    assert (second.resolved, second.lead_action, second.priority) == (False, "created", 1)
    assert second.wait_s == 90.5  # 0.5 s IRP + 0.3 s lead, then the agent is busy until 100.5


def test_platinum_gets_a_real_time_crm_lookup(world: Population) -> None:
    platinum = customer(world, "Platinum")
    (record,) = run(make_scenario(), world, [(0.0, returning(platinum))])
    assert (record.queue, record.priority, record.tier) == ("Platinum_Social_Queue", 10, "Platinum")
    assert record.answer_s == 0.7  # 0.5 s IRP + 0.2 s CRM lookup, before routing


def test_irp_slot_wait_counts_and_timeout_takes_the_guest_branch(world: Population) -> None:
    gold = customer(world, "Gold")
    scenario = make_scenario(irp={"concurrency": 1, "timeout_s": 2})
    records = run(
        scenario,
        world,
        [(0.0, stranger(1)), (0.1, returning(gold))],
        latency_s=[1.5, 1.0],
    )
    assert [(r.irp_start_s, r.irp_end_s, r.irp_outcome) for r in records] == [
        (0.0, 1.5, "ok"),
        (0.1, 2.1, "timeout"),  # waited 1.4 s for the slot, gave up at 2 s
    ]
    timed_out = records[1]
    assert (timed_out.resolved, timed_out.queue, timed_out.priority) == (
        False,
        "General_Social_Queue",
        1,
    )
    assert timed_out.lead_action == "created"  # a duplicate lead for a known customer
    assert timed_out.answer_s == 101.8  # the stranger's lead ends at 1.8, its service at 101.8


def test_bots_are_closed_before_the_irp(world: Population) -> None:
    records = run(make_scenario(), world, [(0.0, spam_bot())])
    assert story(records) == [(0.0, "arrive #0"), (0.0, "closed #0")]
    assert (records[0].bot_blocked, records[0].irp_outcome, records[0].queue) == (
        True,
        "skipped",
        None,
    )
    unguarded = run(make_scenario(bots={"guard": False}), world, [(0.0, spam_bot())])
    assert (unguarded[0].bot_blocked, unguarded[0].irp_outcome) == (False, "ok")
    assert unguarded[0].lead_action == "created"


def test_rate_limit_per_user_id(world: Population) -> None:
    scenario = make_scenario(irp={"rate_limit_per_minute": 2})
    same = [(float(t), stranger(1, user_id="42")) for t in range(3)]
    records = run(scenario, world, [*same, (61.0, stranger(1, user_id="42"))])
    assert [r.irp_outcome for r in records] == ["ok", "ok", "rate_limited", "ok"]
    assert records[2].irp_start_s == records[2].irp_end_s == 2.0


def test_priority_then_fifo(world: Population) -> None:
    gold = customer(world, "Gold")
    arrivals = [(0.0, stranger(1)), (1.0, stranger(2)), (2.0, returning(gold)), (3.0, stranger(3))]
    records = run(make_scenario(), world, arrivals)
    order = sorted((r.answer_s or 0.0, r.contact_id) for r in records)
    assert [i for _, i in order] == [0, 2, 1, 3]  # the Gold customer (priority 5) jumps the guests


def test_abandonment_never_swallows_a_contact(world: Population) -> None:
    arrivals = [(0.0, stranger(1)), (1.0, stranger(2)), (2.0, stranger(3))]
    records = run(make_scenario(), world, arrivals, patience_s=[1e9, 30.0, 1e9])
    assert story(records) == [
        (0.0, "arrive #0"),
        (0.5, "irp ok #0"),
        (0.8, "answer #0 by desk#1 in General_Social_Queue"),  # after 0.3 s lead creation
        (1.0, "arrive #1"),
        (1.5, "irp ok #1"),
        (2.0, "arrive #2"),
        (2.5, "irp ok #2"),
        (31.0, "abandon #1"),  # patience runs from arrival
        (100.8, "end #0"),
        (100.8, "answer #2 by desk#1 in General_Social_Queue"),
        (200.8, "end #2"),
    ]
    served = [r.contact_id for r in records if r.answer_s is not None]
    assert served == [0, 2]
    assert records[1].abandoned and records[1].end_s == 31.0 and records[1].answer_s is None


def test_async_routes_at_once_and_reroutes_platinum(world: Population) -> None:
    platinum = customer(world, "Platinum")
    scenario = make_scenario(irp={"latency": {"kind": "fixed", "values_ms": [2000]}})
    records = run(
        scenario, world, [(0.0, stranger(1)), (5.0, returning(platinum))], design_name="async"
    )
    first, second = records
    assert (first.answer_s, first.context_missing) == (0.0, True)  # answered before resolution
    assert (second.queue, second.priority, second.reroutes) == ("Platinum_Social_Queue", 10, 1)
    assert second.context_missing is False
    assert second.answer_s == 100.0
    sync = run(scenario, world, [(0.0, stranger(1)), (5.0, returning(platinum))])
    assert [r.context_missing for r in sync] == [False, False]
    assert sync[0].answer_s == 2.3  # 2 s IRP + 0.3 s lead creation first


def test_schedule_puts_agents_on_shift(world: Population) -> None:
    scenario = make_scenario(
        horizon_s=7200,
        agent_groups=[
            {
                "name": "desk",
                "agents": 1,
                "skills": ["General_Social_Queue", "Platinum_Social_Queue", "Supervisor_Review"],
                "handle_time": {"kind": "fixed", "mean_s": 100},
                "schedule": [{"from_hour": 0, "agents": 0}, {"from_hour": 1, "agents": 1}],
            }
        ],
    )
    (record,) = run(scenario, world, [(10.0, stranger(1))])
    assert record.answer_s == 3600.0


def test_concurrency_lets_one_agent_hold_two_messages(world: Population) -> None:
    scenario = make_scenario(
        agent_groups=[
            {
                "name": "desk",
                "agents": 1,
                "concurrency": 2,
                "skills": ["General_Social_Queue", "Platinum_Social_Queue", "Supervisor_Review"],
                "handle_time": {"kind": "fixed", "mean_s": 100},
            }
        ]
    )
    records = run(scenario, world, [(0.0, stranger(1)), (1.0, stranger(2)), (2.0, stranger(3))])
    assert [r.answer_s for r in records] == [0.8, 1.8, 100.8]


def test_attributes_follow_the_guide(world: Population) -> None:
    from simulator.engine.draws import ContactDraws
    from simulator.engine.model import Model
    from simulator.flow import design

    gold = customer(world, "Gold")
    scenario = make_scenario()
    messages = [returning(gold), stranger(1)]
    draws = ContactDraws(messages, [0.5, 0.5], [False] * 2, [0.2] * 2, [0.3] * 2, [1.0] * 2,
                         [0.0] * 2, [float("inf")] * 2)  # fmt: skip
    model = Model(scenario, design("sync"), world, draws, [0.0, 1.0])
    model.run()
    known, guest = (c.attributes for c in model.contacts)
    handle = gold.account("twitter").handle  # type: ignore[union-attr]
    assert known == {"socialHandle": handle, "resolvedCustomerId": gold.customer_id,
                     "customerTier": "Gold"}  # fmt: skip
    assert guest == {"socialHandle": "stranger_1", "isGuest": True}
