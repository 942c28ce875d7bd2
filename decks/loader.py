"""Load and validate a directory of fact files.

The YAML is composed (never constructed) from the safe parser's events, so every
value keeps its line number and no tag can run code. Aliases are refused and
nesting is bounded while composing, so no file can make reading slow or deep.
Validation collects every problem of every file before failing, so an instructor
fixes them in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from decks.body.muscle_shapes import MUSCLE_SHAPES
from decks.cards import slug as card_slug
from decks.errors import FactError, FactsInvalid, shown, unprintable
from decks.fact_folder import Unreadable, fact_files, read_fact_file
from decks.kinesiology import JOINTS, MOVEMENTS, Movement, Role
from decks.model import Action, Attachment, Facts, Innervation, Muscle, Source, Term, Treatment
from decks.outline import Position, Referral, TriggerPoint
from decks.regions import COMPARTMENTS, REGIONS, View, suggest
from decks.typed_words import answer_items

T = TypeVar("T")

# libyaml's safe parser gives the same events (with line marks) several times faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()  # the safe loader's implicit tags: int, float, bool, null, timestamp
_MAX_DEPTH = 20  # a muscle nests six levels deep; more is a mistake, and deep enough to exhaust a stack
_MAX_NAME = 80  # a name is a diagram's title, drawn on one line
_DECIMAL = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
# Words that end card keys (`<muscle>/<word>...`): a trigger point with one of these ids would
# give its cards the keys of other cards.
_CARD_KEY_WORDS = ("origin", "insertion", "actions", "innervation", "activators", "symptoms", "treatment")
_YAML = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
_SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_ROOT = re.compile(r"^(T1[0-2]|T[1-9]|L[1-5]|S[1-5])$")

MUSCLE_REQUIRED = [
    "id",
    "name",
    "group",
    "compartment",
    "updated",
    "attachments",
    "actions",
    "innervation",
    "trigger_points",
    "sources",
]
MUSCLE_KEYS = [*MUSCLE_REQUIRED, *["aliases", "key_facts", "symptoms", "activated_by", "treatment", "notes", "shape"]]


class _Invalid(Exception):
    """Raised inside one field's validation once its error is recorded."""


@dataclass
class _FileReader:
    """Reads one composed YAML document, recording errors against its file."""

    path: Path
    errors: list[FactError] = field(default_factory=list)

    def fail(self, node: Node | None, where: str, message: str) -> _Invalid:
        line = node.start_mark.line + 1 if node is not None else None
        self.errors.append(FactError(self.path, line, where, message))
        return _Invalid()

    def guarded(self, read: Callable[[], T]) -> T | None:
        """Run one field's reader; a recorded error yields None so reading goes on."""
        try:
            return read()
        except _Invalid:
            return None

    def mapping(
        self, node: Node, where: str, allowed: list[str], required: list[str], *, partial: bool = False
    ) -> dict[str, Node]:
        """The fields of a mapping; a missing required key fails it unless `partial`."""
        if not isinstance(node, MappingNode):
            raise self.fail(node, where, f"expected a mapping with keys {', '.join(required)}, found {_kind(node)}")
        fields: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            key_where = _join(where, shown(str(key)))
            if key is None:
                self.fail(key_node, where, "expected a plain key, found a " + _kind(key_node))
            elif key in fields:
                self.fail(key_node, key_where, "duplicate key (each key may appear once)")
            elif key not in allowed:
                hint = suggest(key, allowed) or f" (expected one of: {', '.join(allowed)})"
                self.fail(key_node, key_where, f"unknown key '{shown(key)}'{hint}")
            else:
                fields[key] = value_node
        missing = [key for key in required if key not in fields]
        for key in missing:
            self.fail(node, _join(where, key), "missing required key")
        if missing and not partial:
            raise _Invalid()
        return fields

    def text(self, node: Node, where: str) -> str:
        if not (isinstance(node, ScalarNode) and node.tag == _YAML + "str"):
            raise self.fail(node, where, f"expected text, found {_kind(node)}")
        text = " ".join(node.value.split())
        if not text:
            raise self.fail(node, where, "expected text, found an empty string")
        if bad := unprintable().search(text):
            what = "a lone surrogate" if bad.group() >= "\ud800" else "a control character"
            escaped = shown(bad.group())
            raise self.fail(node, where, f"'{shown(text)}' holds {what} ({escaped}), which no card can show")
        return text

    def name(self, node: Node, where: str) -> str:
        """Text short enough to be a title on one line."""
        text = self.text(node, where)
        if len(text) > _MAX_NAME:
            raise self.fail(node, where, f"a name of {len(text)} characters (expected at most {_MAX_NAME})")
        return text

    def answer(self, node: Node, where: str, example: str, read: Callable[[Node, str], str] | None = None) -> str:
        """Text (by `read`, else `name`) that a typed answer is graded against, a muscle's name or alias
        or a nerve: it needs a word that is not a filler, or the quiz would have nothing to grade against."""
        text = (read or self.name)(node, where)
        if not answer_items(text):
            raise self.fail(
                node,
                where,
                f"'{shown(text)}' has no word to grade a typed answer against "
                f'("muscle", "nerve", "the", "of" and "and" do not count; expected e.g. \'{example}\')',
            )
        return text

    def slug(self, node: Node, where: str) -> str:
        text = self.text(node, where)
        if not _SLUG.match(text):
            raise self.fail(
                node,
                where,
                f"'{shown(text)}' is not a valid id (expected lowercase words joined by '-', e.g. 'tibialis-anterior')",
            )
        return text

    def choice(self, node: Node, where: str, choices: tuple[str, ...] | list[str], what: str) -> str:
        text = self.text(node, where)
        if text not in choices:
            listing = (
                f"run `myodeck {what}s` to list them" if len(choices) > 12 else "expected one of: " + ", ".join(choices)
            )
            hint = suggest(text, choices) or f" ({listing})"
            raise self.fail(node, where, f"unknown {what} '{shown(text)}'{hint}")
        return text

    def sequence(self, node: Node, where: str, *, allow_empty: bool = False) -> list[Node]:
        if not isinstance(node, SequenceNode):
            raise self.fail(node, where, f"expected a list, found {_kind(node)}")
        if not node.value and not allow_empty:
            raise self.fail(node, where, "expected at least one item, found an empty list")
        return list(node.value)

    def items(
        self, node: Node, where: str, read: Callable[[Node, str], T], *, allow_empty: bool = False
    ) -> tuple[T, ...]:
        """Read every item of a list, skipping (after recording) the bad ones."""
        results = []
        for index, item in enumerate(self.sequence(node, where, allow_empty=allow_empty)):
            value = self.guarded(lambda item=item, index=index: read(item, f"{where}[{index}]"))
            if value is not None:
                results.append(value)
        return tuple(results)

    def fraction(self, node: Node, where: str) -> float:
        if not (isinstance(node, ScalarNode) and node.tag in (_YAML + "int", _YAML + "float")):
            raise self.fail(node, where, f"expected a number from 0 to 1, found {_kind(node)}")
        if not _DECIMAL.match(node.value):  # YAML 1.1 also reads 0x1, 0b1, 1:30, .inf and .nan as numbers
            raise self.fail(
                node, where, f"'{shown(node.value)}' is not a decimal number (expected a number from 0 to 1, e.g. 0.5)"
            )
        value = float(node.value)
        if not 0.0 <= value <= 1.0:
            raise self.fail(node, where, f"{shown(node.value)} is out of range (expected a number from 0 to 1)")
        return value

    def date(self, node: Node, where: str) -> dt.date:
        if not (isinstance(node, ScalarNode) and node.tag == _YAML + "timestamp"):
            raise self.fail(node, where, f"expected a date like 2026-11-25, found {_kind(node)}")
        try:
            return dt.date.fromisoformat(node.value)
        except ValueError:
            raise self.fail(node, where, f"'{shown(node.value)}' is not a date (expected YYYY-MM-DD)") from None


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _YAML + "null":
        return "nothing"
    if node.tag == _YAML + "str":
        return f"text '{shown(node.value)}'"
    return f"{shown(node.tag.removeprefix(_YAML), 40)} '{shown(node.value)}'"


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _walk(node: Node) -> Iterator[Node]:
    """Every node of a tree, parents before children, keys before values (without recursion)."""
    pending = [node]
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, MappingNode):
            pending.extend(reversed([part for pair in node.value for part in pair]))
        elif isinstance(node, SequenceNode):
            pending.extend(reversed(node.value))


class _Refused(Exception):
    """YAML that fact files have no use for and that could make reading slow or deep."""

    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.line = mark.line + 1


def _compose_events(text: str, loader_class: type) -> Node | None:
    """The node tree of a one-document stream, built from the parser's events without recursion.

    An alias is refused where it stands: fact files write every value out, and
    expanding nested aliases grows exponentially (a "billion laughs"), while a
    recursive one never ends. So is nesting deeper than `_MAX_DEPTH`. (Written as one
    flat loop: it runs at every quiz start.)
    """
    root: Node | None = None
    open_nodes: list[Node] = []  # the sequences and mappings being filled, innermost last
    keys: list[Node | None] = []  # per open mapping, its key awaiting a value
    documents = 0
    resolve = _RESOLVER.resolve
    loader = loader_class(text)
    try:
        while (event := loader.get_event()) is not None:
            kind = type(event)
            if kind is yaml.ScalarEvent:
                tag = event.tag
                if tag is None or tag == "!":
                    tag = resolve(ScalarNode, event.value, event.implicit)
                node: Node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
            elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                if len(open_nodes) >= _MAX_DEPTH:
                    raise _Refused(
                        event.start_mark, f"nested more than {_MAX_DEPTH} levels deep (a muscle needs about 6)"
                    )
                node_class = SequenceNode if kind is yaml.SequenceStartEvent else MappingNode
                tag = event.tag
                if tag is None or tag == "!":
                    tag = resolve(node_class, None, event.implicit)
                node = node_class(tag, [], event.start_mark, event.start_mark, flow_style=event.flow_style)
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                open_nodes.pop().end_mark = event.end_mark
                keys.pop()
                continue
            elif kind is yaml.AliasEvent:
                anchor = shown(str(event.anchor), 40)
                raise _Refused(event.start_mark, f"alias '*{anchor}' is not allowed (write the value out in full)")
            else:
                if kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise _Refused(event.start_mark, "a second YAML document (expected one muscle per file)")
                continue
            if not open_nodes:
                root = node
            elif type(parent := open_nodes[-1]) is SequenceNode:
                parent.value.append(node)
            elif keys[-1] is None:
                keys[-1] = node
            else:
                parent.value.append((keys[-1], node))
                keys[-1] = None
            if type(node) is not ScalarNode:
                open_nodes.append(node)
                keys.append(None)
    finally:
        loader.dispose()
    return root


def _compose_text(text: str) -> Node | None:
    """Compose with libyaml's parser when present; on a syntax error, re-read with the pure-Python
    parser so the message (and so the tests) are the same on every machine."""
    try:
        return _compose_events(text, _SAFE_LOADER)
    except yaml.YAMLError:
        if _SAFE_LOADER is yaml.SafeLoader:
            raise
        return _compose_events(text, yaml.SafeLoader)


def _compose(path: Path, reader: _FileReader) -> Node | None:
    """Parse one file to a node tree, recording reading, encoding, syntax and tag problems."""
    try:
        raw = read_fact_file(path)
    except Unreadable as exc:
        reader.errors.append(FactError(path, None, "", str(exc)))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        reader.errors.append(
            FactError(path, line, "", f"not valid UTF-8 text (byte 0x{raw[exc.start]:02x}; save the file as UTF-8)")
        )
        return None
    try:
        root = _compose_text(text)
    except _Refused as exc:
        reader.errors.append(FactError(path, exc.line, "", str(exc)))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(str(exc.problem or exc.context).split())
        reader.errors.append(FactError(path, line, "", f"YAML syntax error: {problem}"))
        return None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        what = f"unacceptable character #x{exc.character:04x}" if isinstance(exc.character, int) else "bad text"
        reader.errors.append(FactError(path, line, "", f"YAML syntax error: {what}: {exc.reason}"))
        return None
    except yaml.YAMLError as exc:
        reader.errors.append(FactError(path, None, "", f"YAML error: {' '.join(str(exc).split())}"))
        return None
    if root is None:
        reader.errors.append(
            FactError(path, 1, "", "the file is empty (expected a muscle: id, name, attachments, ...)")
        )
        return None
    bad_tags = [n for n in _walk(root) if n.tag not in _PLAIN_TAGS]
    for node in bad_tags:
        tag = shown(node.tag.replace(_YAML, "!!"), 60)
        reader.fail(node, "", f"tag '{tag}' is not allowed (fact files hold plain text, numbers, lists and mappings)")
    return None if bad_tags else root


def _read_attachments(r: _FileReader, node: Node, where: str) -> tuple[Attachment, ...]:
    """An attachment is one text, or a mapping from a head (or part) to its text."""
    if isinstance(node, MappingNode):
        parts = r.mapping(node, where, [k.value for k, _ in node.value if isinstance(k, ScalarNode)], [])
        if not parts:
            raise r.fail(node, where, "expected text or a mapping of head to text, found an empty mapping")
        first_keys: dict[str, Node] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                first_keys.setdefault(key_node.value, key_node)  # mapping() reports a repeated key
        heads = {key: r.guarded(lambda key=key: r.name(key, where)) for key in first_keys.values()}
        end = where.rpartition(".")[2]
        _check_card_keys(r, end, [(key, f"{where}.{shown(key.value)}", head) for key, head in heads.items() if head])
        if None in heads.values():
            raise _Invalid()
        return tuple(Attachment(part, r.text(value, _join(where, part))) for part, value in parts.items())
    return (Attachment(None, r.text(node, where)),)


def _check_card_keys(r: _FileReader, key_prefix: str, named: list[tuple[Node, str, str]]) -> None:
    """Heads of one attachment, or treatments: each name must give its card a key of its own.

    Card keys are made from names as slugs, so 'Compression' and 'compression' would be one card.
    """
    first: dict[str, tuple[Node, str, str]] = {}
    for node, where, name in named:
        key = card_slug(name)
        if not key:
            r.fail(node, where, f"'{shown(name)}' gives no card key (expected a name with letters or digits)")
        elif key in first:
            other, other_where, other_name = first[key]
            r.fail(
                node,
                where,
                f"'{shown(name)}' and '{shown(other_name)}' ({other_where}, line {other.start_mark.line + 1}) "
                f"give the same card key {r.path.stem}/{key_prefix}/{key} (expected names that differ in letters "
                "or digits)",
            )
        else:
            first[key] = (node, where, name)


def _read_source_ref(r: _FileReader, node: Node, where: str, known: set[str]) -> str:
    ref = r.text(node, where)
    if known and ref not in known:
        hint = suggest(ref, sorted(known)) or " (expected an id from sources)"
        raise r.fail(node, where, f"unknown source '{shown(ref)}'{hint}")
    return ref


def _read_source_refs(r: _FileReader, node: Node, where: str, known: set[str]) -> tuple[str, ...]:
    return r.items(node, where, lambda item, item_where: _read_source_ref(r, item, item_where, known))


def _read_regions(r: _FileReader, node: Node, where: str, *, allow_empty: bool) -> tuple[str, ...]:
    names = r.items(node, where, lambda n, w: r.choice(n, w, list(REGIONS), "region"), allow_empty=allow_empty)
    for index, name in enumerate(names):
        if name in names[:index]:
            r.fail(node, where, f"region '{name}' is listed twice")
    return names


def _read_position(r: _FileReader, node: Node, where: str) -> Position:
    fields = r.mapping(node, where, ["region", "view", "across", "down"], ["region", "across", "down"])
    region_id = r.choice(fields["region"], _join(where, "region"), list(REGIONS), "region")
    region = REGIONS[region_id]
    view = region.views[0]
    if "view" in fields:
        view_name = r.choice(fields["view"], _join(where, "view"), [v.value for v in View], "view")
        view = View(view_name)
        if view not in region.views:
            drawn = ", ".join(v.value for v in region.views)
            raise r.fail(
                fields["view"],
                _join(where, "view"),
                f"region '{region_id}' is not drawn in the {view_name} view (it is drawn in: {drawn})",
            )
    across = r.fraction(fields["across"], _join(where, "across"))
    down = r.fraction(fields["down"], _join(where, "down"))
    return Position(region_id, view, across, down)


def _read_referral(r: _FileReader, node: Node, where: str) -> Referral:
    fields = r.mapping(node, where, ["essential", "spillover"], ["essential"])
    essential = _read_regions(r, fields["essential"], _join(where, "essential"), allow_empty=False)
    spillover: tuple[str, ...] = ()
    if "spillover" in fields:
        spillover = _read_regions(r, fields["spillover"], _join(where, "spillover"), allow_empty=True)
        for name in set(essential) & set(spillover):
            r.fail(
                fields["spillover"],
                _join(where, "spillover"),
                f"region '{name}' is both essential and spillover (expected it in one list)",
            )
    return Referral(essential, spillover)


def _read_trigger_point(r: _FileReader, node: Node, where: str, sources: set[str]) -> TriggerPoint:
    keys = ["id", "name", "location", "position", "referral", "notes", "sources"]
    fields = r.mapping(node, where, keys, keys[:5], partial=True)
    values = {
        key: r.guarded(lambda key=key, read=read: read(fields[key], _join(where, key)))
        for key, read in (
            ("id", lambda n, w: _read_trigger_point_id(r, n, w)),
            ("name", r.name),
            ("location", r.text),
            ("position", lambda n, w: _read_position(r, n, w)),
            ("referral", lambda n, w: _read_referral(r, n, w)),
        )
        if key in fields
    }
    notes = r.guarded(lambda: r.text(fields["notes"], _join(where, "notes"))) if "notes" in fields else None
    refs = (
        r.guarded(lambda: _read_source_refs(r, fields["sources"], _join(where, "sources"), sources))
        if "sources" in fields
        else ()
    )
    if any(values.get(key) is None for key in keys[:5]):
        raise _Invalid()
    return TriggerPoint(**values, notes=notes, sources=refs or ())


def _read_trigger_point_id(r: _FileReader, node: Node, where: str) -> str:
    trp_id = r.slug(node, where)
    if trp_id in _CARD_KEY_WORDS:
        raise r.fail(node, where, f"'{trp_id}' is a word of other cards' keys (expected an id such as 'trp1')")
    return trp_id


def _read_treatment(r: _FileReader, node: Node, where: str, sources: set[str]) -> Treatment:
    fields = r.mapping(node, where, ["name", "position", "technique", "sources"], ["name", "technique"])
    name = r.guarded(lambda: r.name(fields["name"], _join(where, "name")))
    technique = r.guarded(lambda: r.text(fields["technique"], _join(where, "technique")))
    position = r.guarded(lambda: r.text(fields["position"], _join(where, "position"))) if "position" in fields else None
    refs = (
        r.guarded(lambda: _read_source_refs(r, fields["sources"], _join(where, "sources"), sources))
        if "sources" in fields
        else ()
    )
    if name is None or technique is None:
        raise _Invalid()
    return Treatment(name, technique, position, refs or ())


def _read_action(r: _FileReader, node: Node, where: str) -> Action:
    """A sentence, or a mapping of the sentence with its joint, movement and role."""
    if isinstance(node, ScalarNode):
        return Action(r.text(node, where))
    fields = r.mapping(node, where, ["text", "joint", "movement", "role"], ["text"])
    text = r.text(fields["text"], _join(where, "text"))
    given = [key for key in ("joint", "movement", "role") if key in fields]
    if not given:
        return Action(text)
    for key in ("joint", "movement", "role"):
        if key not in fields:
            r.fail(node, _join(where, key), "missing required key (joint, movement and role go together)")
    if len(given) < 3:
        raise _Invalid()
    joint = r.choice(fields["joint"], _join(where, "joint"), JOINTS, "joint")
    movement = r.choice(fields["movement"], _join(where, "movement"), MOVEMENTS[joint], f"movement of the {joint}")
    role = r.choice(fields["role"], _join(where, "role"), [role.value for role in Role], "role")
    return Action(text, Movement(joint, movement), Role(role))


def _read_source(r: _FileReader, node: Node, where: str) -> Source:
    fields = r.mapping(node, where, ["id", "citation"], ["id", "citation"])
    return Source(r.slug(fields["id"], _join(where, "id")), r.text(fields["citation"], _join(where, "citation")))


def _read_root(r: _FileReader, node: Node, where: str) -> str:
    root = r.text(node, where)
    if not _ROOT.match(root):
        raise r.fail(node, where, f"'{shown(root)}' is not a spinal root (expected e.g. L4, L5, S1)")
    return root


def _read_innervation(r: _FileReader, node: Node, where: str) -> Innervation:
    fields = r.mapping(node, where, ["nerve", "roots", "note"], ["nerve", "roots"])
    nerve = r.answer(fields["nerve"], _join(where, "nerve"), "Tibial nerve", r.text)
    roots = r.items(fields["roots"], _join(where, "roots"), lambda item, item_where: _read_root(r, item, item_where))
    note = r.text(fields["note"], _join(where, "note")) if "note" in fields else None
    return Innervation(nerve, roots, note)


def _read_muscle(r: _FileReader, root: Node) -> Muscle | None:
    fields = r.guarded(lambda: r.mapping(root, "", MUSCLE_KEYS, MUSCLE_REQUIRED, partial=True))
    if fields is None:
        return None

    def field_value(key: str, read: Callable[[Node, str], T]) -> T | None:
        return r.guarded(lambda: read(fields[key], key)) if key in fields else None

    def text_list(key: str) -> tuple[str, ...]:
        return field_value(key, lambda n, w: r.items(n, w, r.text, allow_empty=True)) or ()

    muscle_id = field_value("id", r.slug)
    if muscle_id is not None and muscle_id != r.path.stem:
        r.fail(
            fields["id"],
            "id",
            f"'{muscle_id}' does not match the file name '{r.path.name}' (expected {muscle_id}.yaml)",
        )
    shape = field_value("shape", lambda n, w: r.choice(n, w, list(MUSCLE_SHAPES), "muscle shape"))
    if shape is None and "shape" not in fields and muscle_id is not None:
        shape = muscle_id
        if muscle_id not in MUSCLE_SHAPES:
            r.fail(
                fields["id"],
                "id",
                f"no muscle shape is drawn for '{muscle_id}' (add `shape:` naming one of the shapes "
                "`myodeck shapes` lists, or add its outline to decks/body/muscle_shapes.py)",
            )
    group = field_value("group", lambda n, w: r.choice(n, w, list(COMPARTMENTS), "group"))
    compartment = None
    if group is not None:
        compartment = field_value(
            "compartment", lambda n, w: r.choice(n, w, COMPARTMENTS[group], f"{group} compartment")
        )
    sources = field_value("sources", lambda n, w: r.items(n, w, lambda item, iw: _read_source(r, item, iw))) or ()
    known = {s.id for s in sources}
    attachments = field_value(
        "attachments", lambda n, w: r.mapping(n, w, ["origin", "insertion"], ["origin", "insertion"], partial=True)
    )
    origin = insertion = None
    if attachments:
        origin = (
            r.guarded(lambda: _read_attachments(r, attachments["origin"], "attachments.origin"))
            if "origin" in attachments
            else None
        )
        insertion = (
            r.guarded(lambda: _read_attachments(r, attachments["insertion"], "attachments.insertion"))
            if "insertion" in attachments
            else None
        )
    trigger_points = field_value(
        "trigger_points", lambda n, w: r.items(n, w, lambda item, iw: _read_trigger_point(r, item, iw, known))
    )
    if trigger_points and len(trigger_points) == len(fields["trigger_points"].value):  # ids only when all items read
        _check_unique_ids(r, fields["trigger_points"], trigger_points)
    treatment = field_value(
        "treatment",
        lambda n, w: r.items(n, w, lambda item, iw: _read_treatment(r, item, iw, known), allow_empty=True),
    )
    if treatment and len(treatment) == len(fields["treatment"].value):  # names only when all items read
        _check_card_keys(
            r,
            "treatment",
            [
                (_field_node(item, "name"), f"treatment[{index}].name", t.name)
                for index, (item, t) in enumerate(zip(fields["treatment"].value, treatment, strict=True))
            ],
        )
    values = dict(
        id=muscle_id,
        name=field_value("name", lambda n, w: r.answer(n, w, "Soleus")),
        aliases=field_value(
            "aliases",
            lambda n, w: r.items(n, w, lambda i, iw: r.answer(i, iw, "peroneus longus", r.text), allow_empty=True),
        )
        or (),
        group=group,
        compartment=compartment,
        updated=field_value("updated", r.date),
        origin=origin,
        insertion=insertion,
        actions=field_value("actions", lambda n, w: r.items(n, w, lambda item, iw: _read_action(r, item, iw))),
        innervation=field_value("innervation", lambda n, w: _read_innervation(r, n, w)),
        trigger_points=trigger_points,
        sources=sources,
        key_facts=text_list("key_facts"),
        symptoms=text_list("symptoms"),
        activated_by=text_list("activated_by"),
        treatment=treatment or (),
        notes=text_list("notes"),
        shape=shape,
    )
    if r.errors:
        return None
    return Muscle(**values, path=r.path)  # type: ignore[arg-type]


def _field_node(mapping: Node, key: str) -> Node:
    """The value node of `key` in a mapping already read (so the key is there)."""
    return next(value for key_node, value in mapping.value if key_node.value == key)


def _check_unique_ids(r: _FileReader, node: Node, trigger_points: tuple[TriggerPoint, ...]) -> None:
    first_seen: dict[str, int] = {}
    for index, (item, trp) in enumerate(zip(node.value, trigger_points, strict=True)):
        if trp.id in first_seen:
            r.fail(
                item,
                f"trigger_points[{index}].id",
                f"duplicate trigger point id '{trp.id}' (already used by trigger_points[{first_seen[trp.id]}])",
            )
        else:
            first_seen[trp.id] = index


GLOSSARY_FILE = "glossary.yaml"


def _read_term(r: _FileReader, node: Node, where: str) -> Term:
    fields = r.mapping(node, where, ["term", "forms", "definition"], ["term", "definition"])
    term = r.text(fields["term"], _join(where, "term"))
    forms = r.items(fields["forms"], _join(where, "forms"), r.text) if "forms" in fields else ()
    return Term(term, r.text(fields["definition"], _join(where, "definition")), forms)


def _read_glossary(path: Path) -> tuple[tuple[Term, ...], list[FactError]]:
    """The terms of `glossary.yaml` (`terms:` a list of term, forms, definition), or none without the file."""
    if not path.exists() and not path.is_symlink():
        return (), []
    reader = _FileReader(path)
    root = _compose(path, reader)
    terms: tuple[Term, ...] = ()
    if root is not None:
        fields = reader.guarded(lambda: reader.mapping(root, "", ["terms"], ["terms"]))
        if fields is not None:
            terms = (
                reader.guarded(lambda: reader.items(fields["terms"], "terms", lambda n, w: _read_term(reader, n, w)))
                or ()
            )
            seen: dict[str, int] = {}
            for index, term in enumerate(terms):
                for word in (term.term, *term.forms):
                    if word.casefold() in seen:
                        reader.fail(
                            fields["terms"].value[index],
                            f"terms[{index}]",
                            f"'{word}' is already explained by terms[{seen[word.casefold()]}]",
                        )
                    seen.setdefault(word.casefold(), index)
    return terms, reader.errors


def load_facts(directory: Path) -> Facts:
    """Load and validate every fact file under `directory`.

    Raises FactsInvalid with every problem found, across all files.
    """
    if not directory.is_dir():
        raise FactsInvalid(
            [FactError(directory, None, "", "no such directory (expected a folder of .yaml fact files)")]
        )
    found, errors = fact_files(directory)
    paths = [path for path in found if path != directory / GLOSSARY_FILE]
    if not paths and not errors:
        raise FactsInvalid([FactError(directory, None, "", "no fact files found (expected one .yaml file per muscle)")])
    glossary, glossary_errors = _read_glossary(directory / GLOSSARY_FILE)
    errors += glossary_errors
    muscles: list[Muscle] = []
    id_lines: dict[str, str] = {}
    for path in paths:
        reader = _FileReader(path)
        root = _compose(path, reader)
        muscle = _read_muscle(reader, root) if root is not None else None
        errors.extend(reader.errors)
        if muscle is None:
            continue
        line = _line_of_key(root, "id")
        if muscle.id in id_lines:
            errors.append(
                FactError(
                    path, line, "id", f"duplicate muscle id '{muscle.id}' (already used in {id_lines[muscle.id]})"
                )
            )
            continue
        id_lines[muscle.id] = f"{path}:{line}"
        muscles.append(muscle)
    if errors:
        raise FactsInvalid(sorted(errors, key=lambda error: str(error.path)))  # stable: each file's in line order
    return Facts(tuple(sorted(muscles, key=lambda m: m.id)), directory, glossary)


def _line_of_key(root: Node, key: str) -> int:
    for key_node, _ in root.value:
        if key_node.value == key:
            return key_node.start_mark.line + 1
    return 1
