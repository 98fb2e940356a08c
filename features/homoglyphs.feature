@homoglyph
Feature: Look-alike handles and normalization
  Handles are matched after normalization (trimmed, one leading "@" removed, case ignored).
  Anything more than that - another script's look-alike letters, digit swaps, "rn" for "m",
  invisible characters, fullwidth forms - is how impostors write, not how a platform sends a
  handle. Such look-alikes are suspects: they go to review and are never merged automatically.
  Invisible characters are written as their Unicode code point in square brackets, e.g. [U+200B].

  Background:
    Given these customers:
      | customer | name       | tier     | email             | platform  | user id | handle     |
      | CRM_1    | John Doe   | Platinum | john@example.com  | twitter   | 123     | john_doe   |
      | CRM_2    | Mike Jones | Gold     | mike@example.com  | twitter   | 456     | mike_jones |
      | CRM_3    | Lisa Lane  | Silver   | lisa@example.com  | instagram | 789     | lisa.lane  |

  @smoke
  Scenario Outline: Case, surrounding spaces and a leading @ are the same handle
    When a message arrives on <channel> from "<handle>" without a user id
    Then the message is resolved to customer "<customer>"
    And the answer is not sent to review

    Examples:
      | channel   | handle         | customer |
      | twitter   | @john_doe      | CRM_1    |
      | twitter   | john_doe       | CRM_1    |
      | twitter   | @John_Doe      | CRM_1    |
      | twitter   | JOHN_DOE       | CRM_1    |
      | x         | @john_doe      | CRM_1    |
      | instagram | @Lisa.Lane     | CRM_3    |

  Scenario: Spaces around the handle are ignored
    When a message arrives on twitter from "   @John_Doe  " without a user id
    Then the message is resolved to customer "CRM_1"

  @smoke
  Scenario Outline: A look-alike from a stranger is a suspect sent to review
    When a message arrives on <channel> from "<handle>" with user id "666"
    Then the message is not resolved
    And the answer is sent to review
    And the answer gives the reason "homoglyph_suspect"
    And customer "<customer>" has 1 linked account

    Examples: the trick used
      | channel   | handle         | customer | trick                                  |
      | twitter   | @j0hn_doe      | CRM_1    | digit zero for the letter o            |
      | twitter   | @john_d0e      | CRM_1    | digit zero for the letter o            |
      | twitter   | @jоhn_doe      | CRM_1    | Cyrillic small o                       |
      | twitter   | @јohn_doe      | CRM_1    | Cyrillic small je for j                |
      | twitter   | @jοhn_doe      | CRM_1    | Greek small omicron                    |
      | twitter   | @rnike_jones   | CRM_2    | "rn" for "m"                           |
      | twitter   | @mike_j0nes    | CRM_2    | digit zero for the letter o            |
      | instagram | @1isa.lane     | CRM_3    | digit one for the letter l             |
      | instagram | @lisa.1ane     | CRM_3    | digit one for the letter l             |

  Scenario Outline: A handle the platform could not have sent is a suspect, even when it normalizes to the customer's handle
    When a message arrives on twitter from "<handle>" with user id "666"
    Then the message is not resolved
    And the answer is sent to review
    And customer "CRM_1" has 1 linked account

    Examples: the trick used
      | handle             | trick                             |
      | @ｊｏｈｎ＿ｄｏｅ   | fullwidth letters                 |
      | @john[U+200B]_doe  | zero-width space                  |
      | @john_doe[U+200D]  | zero-width joiner at the end      |
      | @[U+FEFF]john_doe  | byte order mark in front          |
      | @john[U+00AD]_doe  | soft hyphen                       |
      | @𝐣𝐨𝐡𝐧_𝐝𝐨𝐞         | mathematical bold letters         |

  Scenario Outline: A look-alike without a user id is still only a suspect
    When a message arrives on twitter from "<handle>" without a user id
    Then the message is not resolved
    And the answer is sent to review

    Examples:
      | handle            |
      | @j0hn_doe         |
      | @jоhn_doe         |
      | @ｊｏｈｎ＿ｄｏｅ  |

  Scenario: The customer's own user id still resolves a message with an odd-looking handle
    When a message arrives on twitter from "@ｊｏｈｎ＿ｄｏｅ" with user id "123"
    Then the message is resolved to customer "CRM_1"

  @in_process_only
  Scenario: A look-alike is never merged automatically, however low the threshold
    Given the confidence threshold is 0.10
    When a message arrives on twitter from "@j0hn_doe" with user id "666"
    Then the message is not resolved
    And the answer is sent to review
    And the answer gives the reason "homoglyph_suspect"

  Scenario Outline: A handle that differs only by its separators is sent to review, never merged
    When a message arrives on <channel> from "<handle>" with user id "666"
    Then the message is not resolved
    And the answer is sent to review
    And customer "<customer>" has 1 linked account

    Examples:
      | channel   | handle      | customer |
      | instagram | @lisa_lane  | CRM_3    |
      | instagram | @lisalane   | CRM_3    |
      | twitter   | @johndoe    | CRM_1    |

  Scenario: An unrelated handle is not a suspect
    When a message arrives on twitter from "@total_stranger" with user id "777"
    Then the message is not resolved
    And the answer is not sent to review
    And the answer does not give the reason "homoglyph_suspect"
