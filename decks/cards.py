"""The cards, derived from the facts in one place.

The Anki package, the terminal quiz and anything else that shows cards read
this list. It stays plain (text, ids, enums) and light to import: no HTML, no
genanki, no matplotlib. A card's identity is its `key`, built from ids and never
from text, so fixing a typo in a fact changes a card's content but not which card
it is (the Anki note GUID and the quiz's record both hang on the key).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from decks.card_kind import CardHead, CardKind
from decks.diagrams import Variant
from decks.errors import FactError, FactsInvalid
from decks.regions import REGIONS

if TYPE_CHECKING:  # annotations only: the fact classes load when a question first reads a muscle
    from decks.model import Attachment, Facts, Muscle, Term
    from decks.outline import TriggerPoint

# Made by inverting the facts (`decks.reasoning`); each is answered with a set of names.
REASONING_KINDS = (CardKind.PAIN_MAP, CardKind.MOVERS, CardKind.STRETCH, CardKind.ANTAGONISTS)
# The labels of a set answer's lines on a card's back (`decks.reasoning` writes them, the Anki
# card sets them apart): what is required, then what is credited.
ANSWER_LABELS = (
    "Prime movers: ",
    "Assistants: ",
    "Opposite of its main actions: ",
    "Also credited (undo another of its actions): ",
    "Essential zone there: ",
    "Also credited (spillover zone there, or a zone overlapping it): ",
)


class Side(StrEnum):
    FRONT = "front"
    BACK = "back"


@dataclass(frozen=True)
class CardDiagram:
    """Which trigger-point picture a card shows, and on which side; a front picture may be
    followed on the back by another (the pattern card's answer: the same zones with the X)."""

    muscle_id: str
    trigger_point_id: str
    variant: Variant
    side: Side
    back_variant: Variant | None = None


@dataclass(frozen=True)
class AnswerItem:
    """One thing a set answer names: shown as `name`, accepted as any of `forms`."""

    name: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class AnswerSet:
    """What a set answer must name (`required`) and what else earns credit (`credited`)."""

    required: tuple[AnswerItem, ...]
    credited: tuple[AnswerItem, ...] = ()


@dataclass(frozen=True)
class Card:
    """One flashcard. `front` and `back` are plain text; lines are separated by newlines.

    `answer_set`, on cards made by inverting the facts, is what a typed answer is graded against.
    """

    key: str
    kind: CardKind
    muscle_id: str
    front: str
    back: str
    diagram: CardDiagram | None
    sources: tuple[str, ...]
    tags: tuple[str, ...]
    answer_set: AnswerSet | None = None

    @property
    def head(self) -> CardHead:
        trigger_point_id = self.diagram.trigger_point_id if self.diagram is not None else None
        return CardHead(self.key, self.kind, self.muscle_id, trigger_point_id)


PATTERN_QUESTION = "Which muscle and trigger point refer pain here?"


def derive_cards(facts: Facts, kinds: Iterable[CardKind] = tuple(CardKind)) -> list[Card]:
    """Every card of `kinds` for the muscles of `facts`: muscle by muscle, in a fixed order, then the
    cards made by inverting the facts (they name muscles of every region, so they come once all are
    met: the quiz's new cards follow this order).

    Raises FactsInvalid when two cards of a muscle would share a key (two heads or
    two treatments whose names differ only in case or punctuation).
    """
    wanted = set(kinds)
    cards: list[Card] = []
    errors: list[FactError] = []
    look_alikes = _same_pattern(facts)
    for muscle in facts.muscles:
        muscle_cards = [
            _with_terms(card, facts.glossary) for card in _muscle_cards(muscle, look_alikes) if card.kind in wanted
        ]
        errors.extend(_duplicate_keys(muscle, muscle_cards))
        cards.extend(muscle_cards)
    if errors:
        raise FactsInvalid(errors)
    if wanted & set(REASONING_KINDS):
        cards += [_with_terms(card, facts.glossary) for card in _reasoning_cards(facts) if card.kind in wanted]
    return cards


def _with_terms(card: Card, glossary: tuple[Term, ...]) -> Card:
    """The card with the glossary's explanation of each term its front or back uses, under its back."""
    used = terms_in(f"{card.front}\n{card.back}", glossary)
    if not used:
        return card
    explained = "\n".join(explanation(term) for term in used)
    return dataclasses.replace(card, back=f"{card.back}\n{explained}")


def explanation(term: Term) -> str:
    """The line a card's back gives a glossary term."""
    return f"{term.term[0].upper()}{term.term[1:]}: {term.definition}"


def terms_in(text: str, glossary: tuple[Term, ...]) -> list[Term]:
    """The glossary terms `text` uses (as whole words, any case; a number may follow: TrP1), in glossary order."""
    if not glossary:
        return []
    pattern, by_word = _term_pattern(glossary)
    found = {by_word[match.casefold()] for match in pattern.findall(text)}
    return [term for term in glossary if term in found]


@cache
def _term_pattern(glossary: tuple[Term, ...]) -> tuple[re.Pattern[str], dict[str, Term]]:
    """One expression for every word of the glossary (longest first), and which term each word is."""
    by_word = {word.casefold(): term for term in glossary for word in (term.term, *term.forms)}
    words = sorted(by_word, key=len, reverse=True)
    alternatives = "|".join(re.escape(word) for word in words)
    return re.compile(rf"(?<![^\W\d_-])({alternatives})(?![^\W\d_-])", re.IGNORECASE), by_word


def slug(text: str) -> str:
    """The id form of a label: 'Medial head' -> 'medial-head'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _card(
    muscle: Muscle,
    key: str,
    kind: CardKind,
    front: str,
    back: str,
    diagram: CardDiagram | None,
    sources: tuple[str, ...],
    answer_set: AnswerSet | None = None,
) -> Card:
    """A card filed under `muscle`: its tags, and (in the Anki package) its compartment's deck."""
    tags = (
        f"myodeck::muscle::{muscle.id}",
        f"myodeck::topic::{kind.value}",
        f"myodeck::compartment::{muscle.group}::{muscle.compartment}",
    )
    return Card(key, kind, muscle.id, front, back, diagram, sources, tags, answer_set)


def _muscle_cards(muscle: Muscle, look_alikes: dict[tuple[str, str], list[str]]) -> Iterable[Card]:
    """All cards of one muscle, in study order: anatomy first, then trigger points, then care."""
    every_source = _all_citations(muscle)

    def card(
        key: str,
        kind: CardKind,
        front: str,
        back: str,
        diagram: CardDiagram | None = None,
        sources: tuple[str, ...] = every_source,
    ) -> Card:
        return _card(muscle, f"{muscle.id}/{key}", kind, front, back, diagram, sources)

    for end, attachments in (("origin", muscle.origin), ("insertion", muscle.insertion)):
        for attachment in attachments:
            yield card(
                _attachment_key(end, attachment),
                CardKind.ATTACHMENTS,
                _attachment_question(muscle, end, attachment),
                attachment.description,
            )
    yield card("actions", CardKind.ACTIONS, f"{muscle.name} — actions", _bullets(tuple(a.text for a in muscle.actions)))
    nerve = muscle.innervation
    innervation = f"{nerve.nerve} ({', '.join(nerve.roots)})" + (f"\n{nerve.note}" if nerve.note else "")
    yield card(
        "innervation", CardKind.INNERVATION, f"{muscle.name} — innervation (nerve and spinal roots)", innervation
    )
    for trp in muscle.trigger_points:
        cited = _citations(muscle, trp.sources) or every_source
        yield card(
            f"{trp.id}/location",
            CardKind.LOCATION,
            f"{muscle.name}, {trp.name} — where is this trigger point?",
            trp.location,
            CardDiagram(muscle.id, trp.id, Variant.LOCATION, Side.BACK),
            cited,
        )
        yield card(
            f"{trp.id}/referral",
            CardKind.REFERRAL,
            f"{muscle.name}, {trp.name} — where does it refer pain?",
            _referral(trp),
            CardDiagram(muscle.id, trp.id, Variant.FULL, Side.BACK),
            cited,
        )
        yield card(
            f"{trp.id}/pattern-to-muscle",
            CardKind.PATTERN,
            PATTERN_QUESTION,
            "\n".join(
                [f"{muscle.name}, {trp.name}", trp.location]
                + [f"Same pattern: {other}" for other in look_alikes[muscle.id, trp.id]]
            ),
            CardDiagram(muscle.id, trp.id, Variant.PATTERN, Side.FRONT, back_variant=Variant.FULL),
            cited,
        )
    if muscle.activated_by:
        yield card(
            "activators",
            CardKind.ACTIVATORS,
            f"{muscle.name} — what activates or perpetuates its trigger points?",
            _bullets(muscle.activated_by),
        )
    if muscle.symptoms:
        yield card(
            "symptoms",
            CardKind.SYMPTOMS,
            f"{muscle.name} — symptoms of its trigger points",
            _bullets(muscle.symptoms),
        )
    for treatment in muscle.treatment:
        lines = ([f"Position: {treatment.position}"] if treatment.position else []) + [
            f"Technique: {treatment.technique}"
        ]
        yield card(
            f"treatment/{slug(treatment.name)}",
            CardKind.TREATMENT,
            f"{muscle.name} — treatment: {treatment.name}",
            "\n".join(lines),
            sources=_citations(muscle, treatment.sources) or every_source,
        )


def _reasoning_cards(facts: Facts) -> list[Card]:
    """The cards made by inverting the facts: pain maps, movements, then each muscle's stretch and antagonists.

    A movement's card is filed under its first prime mover but keyed by the movement
    (`movers/hip-abduction`), so a muscle added to the facts never changes its key.
    Each cites every muscle whose facts give its answer.
    """
    from decks.reasoning import antagonists, every_movers, presentations, stretch  # deriving only, not at start

    cards: list[Card] = []
    for found in presentations(facts):
        referrers = found.required + found.credited
        cited = _union(_citations(m, t.sources) or _all_citations(m) for m, trps in referrers for t in trps)
        key = f"{found.muscle.id}/{found.trigger_point.id}/pain-map"
        pain = CardDiagram(found.muscle.id, found.trigger_point.id, Variant.PAIN_MAP, Side.FRONT)
        cards.append(
            _card(found.muscle, key, CardKind.PAIN_MAP, found.prompt(), found.back(), pain, cited, found.answer)
        )
    for doing in every_movers(facts):
        movement = doing.movement
        key = f"movers/{slug(movement.joint)}-{slug(movement.movement)}"
        front = f"Which muscles {movement.verb_phrase}?"
        cited = _union(map(_all_citations, doing.prime + doing.assistants))
        cards.append(_card(doing.prime[0], key, CardKind.MOVERS, front, doing.back(), None, cited, doing.answer))
    for muscle in facts.muscles:
        if (lengthened := stretch(muscle)) is not None:
            front = f"{muscle.name} — which movements stretch it?"
            key, cited = f"{muscle.id}/stretch", _all_citations(muscle)
            cards.append(_card(muscle, key, CardKind.STRETCH, front, lengthened.back(), None, cited, lengthened.answer))
        if (opposed := antagonists(facts, muscle)) is not None:
            opposing = opposed.opposing
            front = f"{muscle.name} — its main action is {opposed.movement.name}: which muscles are its antagonists?"
            back = f"They perform {opposing.movement.name}.\n{opposing.back()}"
            cited = _union(map(_all_citations, (muscle, *opposing.prime, *opposing.assistants)))
            key = f"{muscle.id}/antagonists"
            cards.append(_card(muscle, key, CardKind.ANTAGONISTS, front, back, None, cited, opposing.answer))
    return cards


def _all_citations(muscle: Muscle) -> tuple[str, ...]:
    """Every source of the muscle's fact file, for a card that draws on the whole file."""
    return tuple(source.citation for source in muscle.sources)


def _union(citations: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for group in citations for c in group))


def pattern_of(trp: TriggerPoint) -> tuple[frozenset[str], frozenset[str]]:
    """What a pattern picture shows: two trigger points with equal patterns draw the same picture."""
    return frozenset(trp.referral.essential), frozenset(trp.referral.spillover)


def _same_pattern(facts: Facts) -> dict[tuple[str, str], list[str]]:
    """For each trigger point, the others whose referral zones are the same (so their pictures are too).

    A pattern card's picture then has several right answers, and its back says so.
    """
    by_zones: dict[tuple[frozenset[str], frozenset[str]], list[tuple[str, str, str]]] = {}
    for muscle in facts.muscles:
        for trp in muscle.trigger_points:
            by_zones.setdefault(pattern_of(trp), []).append((muscle.id, trp.id, f"{muscle.name}, {trp.name}"))
    return {
        (muscle_id, trp_id): [label for other_m, other_t, label in group if (other_m, other_t) != (muscle_id, trp_id)]
        for group in by_zones.values()
        for muscle_id, trp_id, _ in group
    }


def _attachment_key(end: str, attachment: Attachment) -> str:
    return f"{end}/{slug(attachment.part)}" if attachment.part else end


def _attachment_question(muscle: Muscle, end: str, attachment: Attachment) -> str:
    return f"{muscle.name} — {end} of the {attachment.part}" if attachment.part else f"{muscle.name} — {end}"


def _referral(trp: TriggerPoint) -> str:
    lines = ["Essential zone: " + "; ".join(REGIONS[r].name for r in trp.referral.essential)]
    if trp.referral.spillover:
        lines.append("Spillover zone: " + "; ".join(REGIONS[r].name for r in trp.referral.spillover))
    if trp.notes:
        lines.append(trp.notes)
    return "\n".join(lines)


def _bullets(items: tuple[str, ...]) -> str:
    return "\n".join(f"• {item}" for item in items)


def _citations(muscle: Muscle, source_ids: tuple[str, ...]) -> tuple[str, ...]:
    by_id = {source.id: source.citation for source in muscle.sources}
    return tuple(by_id[source_id] for source_id in source_ids)


def _duplicate_keys(muscle: Muscle, cards: list[Card]) -> list[FactError]:
    seen: set[str] = set()
    errors = []
    for card in cards:
        if card.key in seen:
            errors.append(
                FactError(
                    muscle.path or Path(muscle.id),
                    None,
                    "",
                    f"two cards would have the key '{card.key}' "
                    "(name heads and treatments so that they differ in letters or digits)",
                )
            )
        seen.add(card.key)
    return errors
