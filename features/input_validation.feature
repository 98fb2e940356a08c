@input_validation
Feature: Bad input gets a clear error and changes nothing
  Handles arrive from the outside world. A malformed handle, an unknown channel, an oversized
  value or one carrying control characters is refused with an error that names the field and
  what is allowed, and the identity store is left exactly as it was.
  Control characters are written as their Unicode code point in square brackets, e.g. [U+0007].

  Background:
    Given these customers:
      | customer | name     | tier | email            | platform | user id | handle   |
      | CRM_1    | John Doe | Gold | john@example.com | twitter  | 123     | john_doe |

  @smoke
  Scenario Outline: Malformed handles are refused
    When a message arrives on <channel> from "<handle>" with user id "123"
    Then the request is refused with an error naming the field "handle"
    And nothing was changed in the identity store

    Examples: the problem
      | channel   | handle                          | problem                              |
      | twitter   | @john doe                       | a space inside                       |
      | twitter   | @john-doe                       | a hyphen is not allowed on X         |
      | twitter   | @this_handle_is_far_too_long    | longer than 15 characters on X       |
      | twitter   | @@john_doe                      | two leading @ signs                  |
      | twitter   | @john<b>doe</b>                 | markup                               |
      | twitter   | @{{john_doe}}                   | template text                        |
      | instagram | @.jane                          | leading period on Instagram          |
      | instagram | @jane.                          | trailing period on Instagram         |
      | instagram | @jane..roe                      | double period on Instagram           |
      | linkedin  | linkedin.com/in/jo              | vanity name shorter than 3           |
      | linkedin  | linkedin.com/company/acme       | not a person's profile               |
      | twitter   | @john[U+0007]doe                | a bell control character             |
      | twitter   | @john[U+0000]doe                | a NUL character                      |
      | twitter   | @john[U+000A]doe                | a line break inside                  |
      | twitter   | @john[U+D800]doe                | a lone surrogate                     |

  Scenario: An empty handle is refused
    When a message arrives on twitter with an empty handle
    Then the request is refused with an error naming the field "handle"
    And nothing was changed in the identity store

  Scenario Outline: Oversized input is refused
    When a message arrives on twitter from a handle of <length> characters
    Then the request is refused with an error naming the field "handle"
    And nothing was changed in the identity store

    Examples:
      | length |
      | 16     |
      | 1000   |
      | 10000  |

  Scenario Outline: Unknown channels are refused, naming the channels that are allowed
    When a message arrives on <channel> from "@john_doe" with user id "123"
    Then the request is refused with an error naming the field "channel"
    And the error lists "twitter" among the allowed values
    And nothing was changed in the identity store

    Examples:
      | channel  |
      | myspace  |
      | facebook |
      | TWITTER! |

  Scenario: An unknown sender with a malformed handle does not become a lead
    When the guest flow handles a message on twitter from "@bad handle" with user id "4242" and email "bad@example.com"
    Then the request is refused with an error naming the field "handle"
    And nothing was changed in the identity store

  Scenario: A user id made of control characters is refused
    When a message arrives on twitter from "@john_doe" with user id "12[U+0007]3"
    Then the request is refused with an error naming the field "user_id"
    And nothing was changed in the identity store

  Scenario: A user id sent as a number instead of text is refused
    When a message arrives on twitter from "@john_doe" with its user id sent as a number
    Then the request is refused with an error naming the field "user_id"
    And nothing was changed in the identity store
