@bot
Feature: Bot traffic is closed before identity resolution
  Spam bots can flood a social channel and starve the IRP. A bot check runs before the
  resolution call: a known bot id, spam keywords or an account younger than 7 days close the
  contact at once, and the IRP is never called for them.

  Background:
    Given these customers:
      | customer | name     | tier | email            | platform | user id | handle   |
      | CRM_1    | John Doe | Gold | john@example.com | twitter  | 123     | john_doe |

  @smoke @in_process_only
  Scenario: A known bot is closed without calling the IRP
    Given the known bot list contains user id "bot-001"
    When the message flow receives "Hello, where is my order?" on twitter from "@helper_bot" with user id "bot-001" whose account is 400 days old
    Then the contact is closed as a bot
    And the IRP was not called

  Scenario: A customer's ordinary message goes on to identity resolution
    When the message flow receives "Hello, where is my order?" on twitter from "@john_doe" with user id "123" whose account is 400 days old
    Then the contact is not treated as a bot
    And the IRP was called 1 time
    And the message is resolved to customer "CRM_1"

  Scenario Outline: Spam keywords mark a message as a bot's
    When the message flow receives "<message>" on twitter from "@promo_account" with user id "2001" whose account is 400 days old
    Then the contact is closed as a bot
    And the IRP was not called

    Examples:
      | message                                         |
      | FREE CRYPTO giveaway, send 1 BTC to get 2 back  |
      | Click here to claim your prize now              |
      | Make money fast, work from home                  |

  Scenario Outline: Accounts younger than 7 days are treated as bots
    When the message flow receives "Hello, where is my order?" on twitter from "@fresh_account" with user id "3001" whose account is <age> days old
    Then the outcome of the bot check is "<verdict>"

    Examples:
      | age | verdict |
      | 0   | bot     |
      | 1   | bot     |
      | 6   | bot     |
      | 7   | not bot |
      | 8   | not bot |
      | 365 | not bot |

  @in_process_only
  Scenario: A flood of bot messages never reaches the IRP
    Given the known bot list contains user id "bot-001"
    When the message flow receives 50 messages from user id "bot-001"
    Then all 50 contacts are closed as bots
    And the IRP was not called
