@handle_change
Feature: Handle changes and released handles
  People rename themselves on social platforms, but the platform's user id never changes.
  The IRP follows the person by that immutable user id, keeps the stored handle current
  with its history, and never hands a customer's old handle to the stranger who takes it.
  (The guide's example renames @john_doe to @johndoe_real; that is 16 characters, one
  more than X allows, so on X the rename is shown as @johndoe_real and the guide's exact
  handle is used on Instagram, which allows 30.)

  Background:
    Given these customers:
      | customer | name     | tier     | email            | platform | user id             | handle   |
      | CRM_1    | John Doe | Platinum | john@example.com | twitter  | 123456789           | john_doe |
      | CRM_2    | Ana Lima | Gold     | ana@example.com  | twitter  | 1712345678901234567 | ana_lima |
      | CRM_3    | Jo Doe   | Silver   | jo@example.com   | instagram | 5550001            | jo.doe   |

  @smoke
  Scenario: A renamed customer is still recognised by the user id
    When a message arrives on twitter from "@johndoe_real" with user id "123456789"
    Then the message is resolved to customer "CRM_1"
    And the answer gives the reason "handle_changed"

  Scenario: The stored handle follows the rename and keeps its history
    When a message arrives on twitter from "@johndoe_real" with user id "123456789"
    Then customer "CRM_1" is known on twitter as "johndoe_real"
    And the handle history of customer "CRM_1" on twitter includes "john_doe"

  Scenario: The guide's rename, on Instagram
    When a message arrives on instagram from "@johndoe_official" with user id "5550001"
    Then the message is resolved to customer "CRM_3"
    And customer "CRM_3" is known on instagram as "johndoe_official"
    And the handle history of customer "CRM_3" on instagram includes "jo.doe"

  Scenario: After the rename the new handle is enough on its own
    Given a message arrived on twitter from "@johndoe_real" with user id "123456789"
    When a message arrives on twitter from "@johndoe_real" without a user id
    Then the message is resolved to customer "CRM_1"

  Scenario: A released handle taken by a stranger does not resolve to the old owner
    Given a message arrived on twitter from "@johndoe_real" with user id "123456789"
    When a message arrives on twitter from "@john_doe" with user id "555000111"
    Then the message is not resolved to customer "CRM_1"
    And customer "CRM_1" is known on twitter as "johndoe_real"
    And customer "CRM_1" has 1 linked account

  Scenario: A stranger writing with a customer's current handle is flagged as a reused handle
    When a message arrives on twitter from "@john_doe" with user id "555000111"
    Then the message is not resolved to customer "CRM_1"
    And the answer gives the reason "handle_reused"

  Scenario: The stranger's message does not touch the old owner's record
    When a message arrives on twitter from "@john_doe" with user id "555000111"
    Then customer "CRM_1" is known on twitter as "john_doe"
    And customer "CRM_1" has 1 linked account

  Scenario Outline: The user id outweighs the handle
    When a message arrives on twitter from "<handle>" with user id "<user id>"
    Then the outcome is "<outcome>"

    Examples:
      | handle            | user id             | outcome              |
      | @john_doe         | 123456789           | resolved to CRM_1    |
      | @johndoe_real | 123456789           | resolved to CRM_1    |
      | @someone_else     | 123456789           | resolved to CRM_1    |
      | @john_doe         | 555000111           | not resolved         |
      | @ana_lima         | 1712345678901234567 | resolved to CRM_2    |
      | @ana_lima_new     | 1712345678901234567 | resolved to CRM_2    |
      | @ana_lima         | 1712345678901234568 | not resolved         |

  Scenario Outline: A message without a user id falls back on the current handle
    When a message arrives on twitter from "<handle>" without a user id
    Then the outcome is "<outcome>"

    Examples:
      | handle            | outcome           |
      | @john_doe         | resolved to CRM_1 |
      | @ana_lima         | resolved to CRM_2 |
      | @nobody_we_know   | not resolved      |
