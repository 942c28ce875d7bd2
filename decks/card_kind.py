"""The kinds of card: apart from the cards themselves, so a command that only names
kinds (`--topic`) loads none of the card and fact classes."""

from __future__ import annotations

from enum import StrEnum


class CardKind(StrEnum):
    """What a card asks about; also the values of `myodeck build --topic`."""

    ATTACHMENTS = "attachments"
    ACTIONS = "actions"
    INNERVATION = "innervation"
    LOCATION = "location"
    REFERRAL = "referral"
    PATTERN = "pattern"
    ACTIVATORS = "activators"
    SYMPTOMS = "symptoms"
    TREATMENT = "treatment"
    PAIN_MAP = "pain-map"
    MOVERS = "movers"
    STRETCH = "stretch"
    ANTAGONISTS = "antagonists"
    CONTRAST = "contrast"  # made by the quiz from a student's own mistakes (`quiz.contrast`), never in the deck
