"""The kinds of card, and a card in brief: apart from the cards themselves, so a command that only
names kinds (`--topic`) or plans from the cache's index loads none of the card and fact classes."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


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


class CardHead(NamedTuple):
    """What ordering and choosing cards needs of one: no text. A thousand muscles make tens of
    thousands of cards; the quiz plans with these, made from the cache's index in milliseconds,
    and reads a whole card only when it asks it. (A named tuple: ten times cheaper to make than a
    frozen dataclass, and as immutable.)"""

    key: str
    kind: CardKind
    muscle_id: str
    trigger_point_id: str | None  # the trigger point a card is about; None for a muscle's other cards
