@irp_timeout
Feature: A slow or failing IRP must not leave the customer waiting
  Social and CRM lookups take from 200 ms to 2 s. In the synchronous design the data action
  waits for the IRP and, at its timeout, takes the failure branch: a known customer is routed
  as a guest, without the identity the agent needs. In the hybrid (asynchronous) design the
  contact is queued at once to meet the SLA and re-routed when the identity arrives.
  Data action failures (timeouts, server errors, malformed answers, "too many requests")
  always end on a failure branch of the data action, never on a dropped message.

  Background:
    Given these customers:
      | customer | name        | tier     | email             | platform | user id | handle      |
      | CRM_P1   | Paul Plat   | Platinum | paul@example.com  | twitter  | 101     | paul_plat   |
      | CRM_P2   | Petra Plat  | Platinum | petra@example.com | twitter  | 102     | petra_plat  |
      | CRM_P3   | Pia Plat    | Platinum | pia@example.com   | twitter  | 103     | pia_plat    |
      | CRM_P4   | Pedro Plat  | Platinum | pedro@example.com | twitter  | 104     | pedro_plat  |
      | CRM_P5   | Priya Plat  | Platinum | priya@example.com | twitter  | 105     | priya_plat  |

  @simulated_flow @smoke
  Scenario: With a slow IRP the synchronous design takes the failure branch at the timeout
    Given the IRP takes 5 seconds to answer
    And the data action timeout is 3 seconds
    When 5 messages from known Platinum customers go through the synchronous design
    Then every contact takes the failure branch 3 seconds after the IRP was called
    And every contact is routed as a guest, without the customer's identity

  @simulated_flow
  Scenario: With a slow IRP the asynchronous design still queues every contact at once
    Given the IRP takes 5 seconds to answer
    And the data action timeout is 3 seconds
    When 5 messages from known Platinum customers go through the asynchronous design
    Then every contact is queued on arrival, without waiting for the IRP

  @simulated_flow
  Scenario Outline: The asynchronous design routes at once and re-routes when the identity arrives
    Given the IRP takes <latency> seconds to answer
    And the data action timeout is 3 seconds
    And no agent is free in the general queue
    When 5 messages from known Platinum customers go through the asynchronous design
    Then every contact is queued on arrival, without waiting for the IRP
    And every contact is re-routed to "Platinum_Social_Queue" when the identity arrives

    Examples:
      | latency |
      | 0.2     |
      | 2       |

  @simulated_flow
  Scenario Outline: With a timely IRP the synchronous design routes with the identity
    Given the IRP takes <latency> seconds to answer
    And the data action timeout is 3 seconds
    When 5 messages from known Platinum customers go through the synchronous design
    Then no contact takes the failure branch
    And every contact is routed to "Platinum_Social_Queue" with the customer's identity
    And every contact waited <latency> seconds for the IRP before it was queued

    Examples:
      | latency |
      | 0.2     |
      | 2       |

  @mocked_service @smoke
  Scenario Outline: Data action outcomes for every way the identity service can answer
    Given the identity service <behaviour>
    When the resolve data action runs for "@paul_plat" on twitter with user id "101"
    Then the data action ends on the "<branch>" branch

    Examples:
      | behaviour                                             | branch  |
      | answers correctly                                     | success |
      | does not answer within the data action timeout        | timeout |
      | cannot be reached                                     | failure |
      | fails with a server error                             | failure |
      | answers with malformed content                        | failure |
      | answers with content missing the resolved flag        | failure |
      | answers "too many requests", retry after 30 seconds   | failure |

  @mocked_service
  Scenario: A correct answer reaches the flow with the customer's identity
    Given the identity service answers correctly
    When the resolve data action runs for "@paul_plat" on twitter with user id "101"
    Then the data action ends on the "success" branch
    And the flow receives the customer "CRM_P1" with the tier "Platinum"

  @mocked_service
  Scenario: A handle with quotes does not break the data action's request
    Given the identity service answers correctly
    When the resolve data action runs for the handle 'paul"s_shop' on twitter
    Then the identity service received the handle exactly as it was written
