@routing @simulated_flow
Feature: Routing by the resolved identity
  After resolution the inbound message flow writes the identity onto the contact
  (resolvedCustomerId, customerTier, socialHandle, isGuest) and routes by tier: Platinum to
  the Platinum queue, Gold and Silver to the general queue, guests to the general queue at a
  lower priority, and answers that need review to Supervisor_Review.
  These scenarios drive the simulator's inbound flow (the synchronous design) for a few
  contacts around the in-process resolver.

  Background:
    Given these customers:
      | customer | name       | tier     | email             | platform | user id | handle     |
      | CRM_P    | Paul Plat  | Platinum | paul@example.com  | twitter  | 100     | paul_plat  |
      | CRM_G    | Gina Gold  | Gold     | gina@example.com  | twitter  | 200     | gina_gold  |
      | CRM_S    | Sid Silver | Silver   | sid@example.com   | twitter  | 300     | sid_silver |

  @smoke
  Scenario Outline: The customer's tier decides the queue
    When the message flow routes a message on twitter from "<handle>" with user id "<user id>"
    Then the contact is routed to the queue "<queue>"
    And the contact's customer tier is "<tier>"

    Examples:
      | handle        | user id | queue                 | tier     |
      | @paul_plat    | 100     | Platinum_Social_Queue | Platinum |
      | @gina_gold    | 200     | General_Social_Queue  | Gold     |
      | @sid_silver   | 300     | General_Social_Queue  | Silver   |
      | @new_prospect | 999     | General_Social_Queue  | Guest    |

  Scenario: The resolved identity is written onto the contact
    When the message flow routes a message on twitter from "@paul_plat" with user id "100"
    Then the contact attributes are:
      | attribute          | value     |
      | resolvedCustomerId | CRM_P     |
      | customerTier       | Platinum  |
      | isGuest            | false     |

  Scenario: An unknown sender is handled as a guest
    When the message flow routes a message on twitter from "@new_prospect" with user id "999"
    Then the contact attributes are:
      | attribute    | value        |
      | isGuest      | true         |
    And the contact has no resolved customer id
    And a lead was captured for the contact

  Scenario Outline: The social handle is written onto every contact
    When the message flow routes a message on twitter from "<handle>" with user id "<user id>"
    Then the contact attributes are:
      | attribute    | value           |
      | socialHandle | <social handle> |

    Examples:
      | handle        | user id | social handle |
      | @paul_plat    | 100     | paul_plat     |
      | @new_prospect | 999     | new_prospect  |

  Scenario: A guest waits at a lower priority than a known customer in the same queue
    When the message flow routes a message on twitter from "@new_prospect" with user id "999"
    And the message flow routes a message on twitter from "@gina_gold" with user id "200"
    Then the guest's contact has a lower priority than the Gold customer's contact

  Scenario: An answer that needs review goes to supervisor review
    When the message flow routes a message on twitter from "@gina_g0ld" with user id "666"
    Then the contact is routed to the queue "Supervisor_Review"
    And the contact has no resolved customer id

  Scenario: A renamed customer is routed by their tier, not as a guest
    When the message flow routes a message on twitter from "@paul_platinum" with user id "100"
    Then the contact is routed to the queue "Platinum_Social_Queue"
    And the contact attributes are:
      | attribute          | value          |
      | resolvedCustomerId | CRM_P          |
