@stale_profile
Feature: Fresh profile data for the agent
  Agents trust what the profile panel shows. Profile data may be cached for at most five
  minutes; Platinum customers always get a real-time lookup; and when a profile changed within
  the last hour the agent gets a notice to verify the customer's preferences.

  Background:
    Given these customers:
      | customer | name      | tier     | email            | platform | user id | handle    | language | preferred channel |
      | CRM_G    | Gina Gold | Gold     | gina@example.com | twitter  | 100     | gina_gold | es-ES    | sms               |
      | CRM_P    | Paul Plat | Platinum | paul@example.com | twitter  | 200     | paul_plat | es-ES    | sms               |

  @in_process_only
  Scenario Outline: The profile cache keeps data for at most five minutes
    When the profile cache is configured to keep profiles for <seconds> seconds
    Then the configuration is <verdict>

    Examples:
      | seconds | verdict  |
      | 60      | accepted |
      | 300     | accepted |
      | 301     | refused  |
      | 86400   | refused  |

  @in_process_only
  Scenario Outline: A Gold customer's cached profile is refreshed once it is older than the cache lifetime
    Given a message arrived on twitter from "@gina_gold" with user id "100"
    And customer "CRM_G" changed their language to "en-US"
    When <seconds> seconds pass
    And a message arrives on twitter from "@gina_gold" with user id "100"
    Then the profile shows the language "<language>"

    Examples:
      | seconds | language |
      | 10      | es-ES    |
      | 299     | es-ES    |
      | 301     | en-US    |

  @smoke
  Scenario: A Platinum customer always sees the latest profile
    Given a message arrived on twitter from "@paul_plat" with user id "200"
    And customer "CRM_P" changed their language to "en-US"
    When a message arrives on twitter from "@paul_plat" with user id "200"
    Then the profile shows the language "en-US"

  Scenario Outline: The agent is told when the profile changed recently
    Given customer "<customer>" updated their profile <minutes> minutes ago
    When a message arrives on twitter from "<handle>" with user id "<user id>"
    Then the message is resolved to customer "<customer>"
    And the agent notice is "<notice>"

    Examples:
      | customer | handle     | user id | minutes | notice                 |
      | CRM_G    | @gina_gold | 100     | 5       | shown, saying 5 minutes  |
      | CRM_G    | @gina_gold | 100     | 45      | shown, saying 45 minutes |
      | CRM_G    | @gina_gold | 100     | 120     | not shown              |
      | CRM_P    | @paul_plat | 200     | 20      | shown, saying 20 minutes |
      | CRM_P    | @paul_plat | 200     | 1500    | not shown              |

  Scenario: No notice for a profile that never changed
    When a message arrives on twitter from "@gina_gold" with user id "100"
    Then the agent notice is "not shown"
