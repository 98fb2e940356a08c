@confidence
Feature: Confidence threshold
  Every answer carries a confidence between 0 and 1. Only answers at or above the threshold
  (85% by default) are merged automatically; below it the answer is "not resolved" and, where
  there is a candidate, it goes to supervisor review instead of a merge. The threshold is
  configurable.

  Background:
    Given these customers:
      | customer | name        | tier   | email              | platform | user id | handle        |
      | CRM_1    | John Doe    | Gold   | john@example.com   | twitter  | 123     | john_doe      |
      | CRM_2    | Maria Perez | Silver | maria@example.com  | twitter  | 456     | maria_perez   |

  @smoke
  Scenario: A near match below the threshold goes to review, not to a merge
    When a message arrives on twitter from "@maria_perez_" with user id "9999"
    Then the message is not resolved
    And the answer is sent to review
    And the confidence is below 0.85
    And customer "CRM_2" has 1 linked account

  Scenario Outline: Every answer respects the default threshold
    When a message arrives on twitter from "<handle>" <identified by>
    Then the confidence is between 0 and 1
    And the answer is resolved exactly when its confidence is at least 0.85
    And the outcome is "<outcome>"

    Examples:
      | handle         | identified by           | outcome           |
      | @john_doe      | with user id "123"      | resolved to CRM_1 |
      | @john_doe      | without a user id       | resolved to CRM_1 |
      | @maria_perez   | without a user id       | resolved to CRM_2 |
      | @j0hn_doe      | with user id "9998"     | sent to review    |
      | @maria_perez_  | with user id "9999"     | sent to review    |
      | @someone_else  | with user id "9997"     | not resolved      |

  @in_process_only
  Scenario Outline: The threshold is configurable
    Given the confidence threshold is <threshold>
    When a message arrives on twitter from "@john_doe" <identified by>
    Then the answer is resolved exactly when its confidence is at least <threshold>
    And the outcome is "<outcome>"

    Examples:
      | threshold | identified by       | outcome           |
      | 0.85      | without a user id   | resolved to CRM_1 |
      | 0.99      | without a user id   | sent to review    |
      | 0.99      | with user id "123"  | resolved to CRM_1 |
      | 1.00      | with user id "123"  | resolved to CRM_1 |

  @in_process_only
  Scenario Outline: A threshold outside 0 to 1 is refused
    When the confidence threshold is set to <threshold>
    Then the setting is refused with an error naming the field "threshold"

    Examples:
      | threshold |
      | 1.5       |
      | -0.1      |
