@duplicate_leads
Feature: No duplicate leads for unknown senders
  An unresolved sender becomes a guest and, where the business captures leads, a prospect.
  Before a lead is created the IRP looks for an existing record by user id and by email, so
  that sales never receive "new leads" that are really existing customers or repeat writers.

  Background:
    Given these customers:
      | customer | name     | tier | email            | platform | user id | handle   |
      | CRM_1    | John Doe | Gold | john@example.com | twitter  | 123     | john_doe |

  @smoke
  Scenario: An unknown user who writes five times makes one lead
    When an unknown sender writes 5 times on twitter as "@new_person" with user id "4242"
    Then the first message created a lead
    And every later message found that same lead

  Scenario: A lead follows its sender through a handle change
    Given an unknown sender wrote on twitter as "@new_person" with user id "4242"
    When an unknown sender writes 1 time on twitter as "@new_person_2" with user id "4242"
    Then every message found that same lead

  Scenario: A lead is found again by its email on another platform
    Given an unknown sender wrote on twitter as "@pat_prospect" with user id "4343" and email "pat@example.com"
    When an unknown sender writes 1 time on instagram as "@pat.prospect" with user id "8080" and email "pat@example.com"
    Then every message found that same lead

  Scenario Outline: An unknown account whose email matches a customer becomes an alias, not a lead
    When the guest flow handles a message on <channel> from "<handle>" with user id "<user id>" and email "<email>"
    Then no new lead is created
    And the sender is linked to customer "CRM_1"
    And customer "CRM_1" has 2 linked accounts

    Examples:
      | channel   | handle          | user id | email             |
      | twitter   | @john_personal  | 9001    | john@example.com  |
      | instagram | @john.doe.pics  | 9002    | John@Example.com  |

  Scenario: A new lead that looks like a known customer is tagged for review
    When the guest flow handles a message on twitter from "@j0hn_doe" with user id "6666"
    Then a new lead is created
    And the lead is tagged needs_review

  Scenario: Every new lead is tagged so a data steward can merge it later
    When the guest flow handles a message on twitter from "@brand_new_fan" with user id "7070"
    Then a new lead is created
    And the lead is tagged needs_review

  Scenario Outline: Repeat writers never multiply leads
    When an unknown sender writes <times> times on <channel> as "<handle>" with user id "<user id>"
    Then the first message created a lead
    And every later message found that same lead

    Examples:
      | times | channel   | handle            | user id            |
      | 2     | twitter   | @curious_cat      | 5001               |
      | 5     | instagram | @window.shopper   | 5002               |
      | 10    | linkedin  | linkedin.com/in/buyer-b | urn:li:person:B2 |
