@rate_limit
Feature: Rate limiting per user id
  One sender must not be able to overwhelm the IRP. More than 100 resolution requests within a
  minute from the same user id are refused, marked for security review, and the sender is told
  when to try again. Other senders are not affected.

  Background:
    Given these customers:
      | customer | name     | tier | email            | platform | user id | handle   |
      | CRM_1    | John Doe | Gold | john@example.com | twitter  | 123     | john_doe |

  @smoke
  Scenario: The 101st request in a minute from one user id is refused
    When user id "777" sends 100 resolution requests within one minute
    Then all of them are answered
    When user id "777" sends 1 more resolution request
    Then the request is refused as rate limited
    And the refusal says when to try again

  @in_process_only
  Scenario: Refused requests are logged for security review
    Given user id "777" has sent 100 resolution requests within one minute
    When user id "777" sends 3 more resolution requests
    Then the security review log holds 3 refused requests from user id "777"

  Scenario: Another sender is not affected by a noisy one
    Given user id "777" has sent 101 resolution requests within one minute
    When a message arrives on twitter from "@john_doe" with user id "123"
    Then the message is resolved to customer "CRM_1"

  @in_process_only
  Scenario: The sender is served again once the minute has passed
    Given user id "777" has sent 101 resolution requests within one minute
    When 61 seconds pass
    And user id "777" sends 1 more resolution request
    Then all of them are answered

  @in_process_only
  Scenario Outline: The limit is configurable
    Given the rate limit is <limit> requests per minute
    When user id "888" sends <limit> resolution requests within one minute
    Then all of them are answered
    When user id "888" sends 1 more resolution request
    Then the request is refused as rate limited

    Examples:
      | limit |
      | 5     |
      | 100   |
      | 250   |
