@cross_platform
Feature: One customer across X, Instagram and LinkedIn
  A customer known on one platform who writes from another must land on the same customer
  record, not on a second one. Accounts are linked through a verified email or a supervisor's
  confirmed review, and every answer lists all of the customer's linked accounts. Handles are
  not unique across platforms, and weak, shared identifiers never merge two people.

  Background:
    Given these customers:
      | customer | name      | tier     | email               | platform  | user id              | handle                  |
      | CRM_1    | John Doe  | Platinum | john@example.com    | twitter   | 123                  | john_doe                |
      | CRM_2    | Jane Roe  | Gold     | jane@example.com    | twitter   | 200                  | jane_roe                |
      | CRM_2    | Jane Roe  | Gold     | jane@example.com    | instagram | 201                  | jane.roe                |
      | CRM_2    | Jane Roe  | Gold     | jane@example.com    | linkedin  | urn:li:person:JaneR0 | linkedin.com/in/janeroe |
      | CRM_3    | Sam Green | Silver   | family@example.com  | twitter   | 300                  | sam_green               |
      | CRM_4    | Kim Green | Silver   | family@example.com  | twitter   | 400                  | kim_green               |

  @smoke
  Scenario: A customer known on X writes from LinkedIn with a verified email
    When a message arrives on linkedin from "https://www.linkedin.com/in/john-doe-77/" with user id "urn:li:person:AbC123" and email "john@example.com"
    Then the message is resolved to customer "CRM_1"
    And the answer's social graph lists these accounts:
      | platform | user id             |
      | twitter  | 123                 |
      | linkedin | urn:li:person:AbC123 |

  Scenario: Once linked through email, the new account resolves on its user id alone
    Given a message arrived on instagram from "@johnd.photos" with user id "9001" and email "john@example.com"
    When a message arrives on instagram from "@johnd.photos" with user id "9001"
    Then the message is resolved to customer "CRM_1"
    And customer "CRM_1" has 2 linked accounts

  Scenario Outline: The email match ignores case and surrounding spaces
    When a message arrives on <channel> from "<handle>" with user id "<user id>" and email "<email>"
    Then the message is resolved to customer "CRM_1"

    Examples:
      | channel   | handle                    | user id            | email              |
      | instagram | @johnd.photos             | 9001               | John@Example.COM   |
      | linkedin  | linkedin.com/in/johndoe77 | urn:li:person:Z9x8 | JOHN@EXAMPLE.COM   |
      | x         | @jd_second                | 9002               | john@example.com   |

  Scenario Outline: Every linked account comes back in the answer, whichever platform is used
    When a message arrives on <channel> from "<handle>" with user id "<user id>"
    Then the message is resolved to customer "CRM_2"
    And the answer's social graph lists these accounts:
      | platform  | user id              |
      | twitter   | 200                  |
      | instagram | 201                  |
      | linkedin  | urn:li:person:JaneR0 |

    Examples:
      | channel   | handle                   | user id              |
      | twitter   | @jane_roe                | 200                  |
      | instagram | @jane.roe                | 201                  |
      | linkedin  | linkedin.com/in/janeroe  | urn:li:person:JaneR0 |

  Scenario: A supervisor's confirmed review links an account that carried no email
    Given a message arrived on instagram from "@jd.travels" with user id "9100"
    And the message was not resolved
    When a supervisor confirms that instagram user id "9100" with handle "jd.travels" is customer "CRM_1"
    And a message arrives on instagram from "@jd.travels" with user id "9100"
    Then the message is resolved to customer "CRM_1"
    And the answer's social graph lists these accounts:
      | platform  | user id |
      | twitter   | 123     |
      | instagram | 9100    |

  Scenario: The same handle on another platform belongs to someone else until proven otherwise
    When a message arrives on instagram from "@john_doe" with user id "5555"
    Then the message is not resolved to customer "CRM_1"
    And customer "CRM_1" has 1 linked account

  Scenario: An email shared by two customers does not merge anyone
    When a message arrives on instagram from "@green.family" with user id "7007" and email "family@example.com"
    Then the message is not resolved
    And customer "CRM_3" has 1 linked account
    And customer "CRM_4" has 1 linked account

  Scenario: A stored "not the same person" decision is respected later
    Given a supervisor decided that instagram user id "9200" is not customer "CRM_1"
    When a message arrives on instagram from "@johnny.d" with user id "9200" and email "john@example.com"
    Then the message is not resolved to customer "CRM_1"
    And customer "CRM_1" has 1 linked account
