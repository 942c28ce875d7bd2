"""Bad fact files: every kind of problem yields `path:line: where: what`, exit 1, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from decks.cli import main

VALID = """\
id: demo
name: Demo muscle
group: leg
compartment: anterior
updated: 2026-11-25
attachments:
  origin: Lateral condyle of the tibia.
  insertion: Medial cuneiform.
actions: [Dorsiflexes the ankle.]
innervation: {nerve: Deep fibular nerve, roots: [L4, L5]}
trigger_points:
  - id: trp1
    name: TrP1
    location: Upper third of the muscle.
    position: {region: shin-upper-lateral, across: 0.5, down: 0.3}
    referral:
      essential: [front-of-ankle, big-toe-dorsal]
      spillover: [shin-lower-medial]
sources:
  - {id: ts, citation: Travell and Simons 1992.}
shape: tibialis-anterior
"""


AFTER = VALID.count("\n")  # the line a text added after the template starts on, less one


def _replace(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new)


# (file name, file content, expected stderr lines before the summary)
CASES = [
    pytest.param(
        "demo.yaml",
        _replace("name: Demo muscle", "name: [Demo"),
        ["demo.yaml:3: YAML syntax error: expected ',' or ']', but got ':'"],
        id="yaml-syntax",
    ),
    pytest.param(
        "demo.yaml",
        "- just\n- a list\n",
        [
            "demo.yaml:1: expected a mapping with keys id, name, group, compartment, updated, attachments, actions, innervation, trigger_points, sources, found a list"
        ],
        id="not-a-mapping",
    ),
    pytest.param(
        "demo.yaml",
        _replace("actions: [Dorsiflexes the ankle.]\n", ""),
        ["demo.yaml:1: actions: missing required key"],
        id="missing-field",
    ),
    pytest.param(
        "demo.yaml",
        _replace("actions: [Dorsiflexes the ankle.]", "actions: Dorsiflexes the ankle."),
        ["demo.yaml:9: actions: expected a list, found text 'Dorsiflexes the ankle.'"],
        id="wrong-type-list",
    ),
    pytest.param(
        "demo.yaml",
        _replace("{nerve: Deep fibular nerve,", "{nerve: Nerve,"),
        [
            "demo.yaml:10: innervation.nerve: 'Nerve' has no word to grade a typed answer against"
            ' ("muscle", "nerve", "the", "of" and "and" do not count; expected e.g. \'Tibial nerve\')'
        ],
        id="nerve-of-fillers",
    ),
    pytest.param(
        "demo.yaml",
        _replace("name: Demo muscle\n", "name: The musle\naliases: [demo, and]\n"),
        [
            "demo.yaml:2: name: 'The musle' has no word to grade a typed answer against"
            ' ("muscle", "nerve", "the", "of" and "and" do not count; expected e.g. \'Soleus\')',
            "demo.yaml:3: aliases[1]: 'and' has no word to grade a typed answer against"
            ' ("muscle", "nerve", "the", "of" and "and" do not count; expected e.g. \'peroneus longus\')',
        ],
        id="names-of-fillers",
    ),
    pytest.param(
        "demo.yaml",
        _replace("across: 0.5", "across: half"),
        ["demo.yaml:15: trigger_points[0].position.across: expected a number from 0 to 1, found text 'half'"],
        id="wrong-type-number",
    ),
    pytest.param(
        "demo.yaml",
        _replace("across: 0.5", "across: 1.5"),
        ["demo.yaml:15: trigger_points[0].position.across: 1.5 is out of range (expected a number from 0 to 1)"],
        id="out-of-range",
    ),
    pytest.param(
        "demo.yaml",
        _replace("actions:", "actoins:"),
        [
            "demo.yaml:9: actoins: unknown key 'actoins' (did you mean 'actions'?)",
            "demo.yaml:1: actions: missing required key",
        ],
        id="unknown-key-typo",
    ),
    pytest.param(
        "demo.yaml",
        _replace("essential: [front-of-ankle, big-toe-dorsal]", "essential: [front-of-ankel, big-toe-dorsal]"),
        [
            "demo.yaml:17: trigger_points[0].referral.essential[0]: unknown region 'front-of-ankel' (did you mean 'front-of-ankle'?)"
        ],
        id="unknown-region",
    ),
    pytest.param(
        "demo.yaml",
        _replace("essential: [front-of-ankle, big-toe-dorsal]", "essential: [forehead, big-toe-dorsal]"),
        [
            "demo.yaml:17: trigger_points[0].referral.essential[0]: unknown region 'forehead' (run `myodeck regions` to list them)"
        ],
        id="unknown-region-no-suggestion",
    ),
    pytest.param(
        "demo.yaml",
        _replace("essential: [front-of-ankle, big-toe-dorsal]", "essential: []"),
        ["demo.yaml:17: trigger_points[0].referral.essential: expected at least one item, found an empty list"],
        id="empty-referral",
    ),
    pytest.param(
        "demo.yaml",
        _replace(
            "sources:",
            "  - id: trp1\n    name: TrP1 again\n    location: Lower.\n"
            "    position: {region: shin-lower-lateral, across: 0.5, down: 0.5}\n"
            "    referral: {essential: [front-of-ankle]}\nsources:",
        ),
        ["demo.yaml:19: trigger_points[1].id: duplicate trigger point id 'trp1' (already used by trigger_points[0])"],
        id="duplicate-trp-id",
    ),
    pytest.param(
        "demo.yaml",
        _replace("id: demo", "id: other"),
        ["demo.yaml:1: id: 'other' does not match the file name 'demo.yaml' (expected other.yaml)"],
        id="id-not-file-name",
    ),
    pytest.param(
        "demo.yaml",
        _replace("name: Demo muscle", "name: !!python/object/apply:os.system [echo pwned]"),
        [
            "demo.yaml:2: tag '!!python/object/apply:os.system' is not allowed (fact files hold plain text, numbers, lists and mappings)"
        ],
        id="unsafe-tag",
    ),
    pytest.param(
        "demo.yaml",
        _replace("roots: [L4, L5]", "roots: [L4, L9]"),
        ["demo.yaml:10: innervation.roots[1]: 'L9' is not a spinal root (expected e.g. L4, L5, S1)"],
        id="bad-root",
    ),
    pytest.param(
        "demo.yaml",
        _replace("compartment: anterior", "compartment: anteror"),
        ["demo.yaml:4: compartment: unknown leg compartment 'anteror' (did you mean 'anterior'?)"],
        id="unknown-compartment",
    ),
    pytest.param(
        "demo.yaml",
        _replace("spillover: [shin-lower-medial]", "spillover: [big-toe-dorsal]"),
        [
            "demo.yaml:18: trigger_points[0].referral.spillover: region 'big-toe-dorsal' is both essential and spillover (expected it in one list)"
        ],
        id="essential-and-spillover",
    ),
    pytest.param(
        "demo.yaml",
        _replace("name: Demo muscle", "name: Demo muscle\nname: Again"),
        ["demo.yaml:3: name: duplicate key (each key may appear once)"],
        id="duplicate-key",
    ),
    pytest.param(
        "demo.yaml",
        _replace("updated: 2026-11-25", "updated: last week"),
        ["demo.yaml:5: updated: expected a date like 2026-11-25, found text 'last week'"],
        id="bad-date",
    ),
    pytest.param(
        "demo.yaml",
        "",
        ["demo.yaml:1: the file is empty (expected a muscle: id, name, attachments, ...)"],
        id="empty-file",
    ),
    pytest.param(
        "demo.yaml",
        _replace("position: {region: shin-upper-lateral,", "position: {region: shin-upper-lateral, view: plantar,"),
        [
            "demo.yaml:15: trigger_points[0].position.view: region 'shin-upper-lateral' is not drawn in the plantar view (it is drawn in: anterior, lateral)"
        ],
        id="region-not-in-view",
    ),
    pytest.param(
        "demo.yaml",
        _replace("roots: [L4, L5]}", "roots: [L4, L5]}\nsources_: oops"),
        ["demo.yaml:11: sources_: unknown key 'sources_' (did you mean 'sources'?)"],
        id="unknown-key-suggestion",
    ),
    # YAML that fact files have no use for, and that could make reading slow or deep.
    pytest.param(
        "demo.yaml",
        _replace("name: Demo muscle", "name: &a [*a]"),
        ["demo.yaml:2: alias '*a' is not allowed (write the value out in full)"],
        id="recursive-alias",
    ),
    pytest.param(
        "demo.yaml",
        "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9))
        + VALID,
        ["demo.yaml:2: alias '*a0' is not allowed (write the value out in full)"],
        id="alias-bomb",
    ),
    pytest.param(
        "demo.yaml",
        _replace("actions: [Dorsiflexes the ankle.]", "actions: " + "[" * 1000 + "]" * 1000),
        ["demo.yaml:9: nested more than 20 levels deep (a muscle needs about 6)"],
        id="deep-nesting",
    ),
    pytest.param(
        "demo.yaml",
        VALID + "---\nid: other\n",
        [f"demo.yaml:{AFTER + 1}: a second YAML document (expected one muscle per file)"],
        id="two-documents",
    ),
    # YAML 1.1 reads these as numbers, and float() does not.
    *(
        pytest.param(
            "demo.yaml",
            _replace("across: 0.5", f"across: {number}"),
            [
                f"demo.yaml:15: trigger_points[0].position.across: '{shown}' is not a decimal number"
                " (expected a number from 0 to 1, e.g. 0.5)"
            ],
            id=f"number-{number}",
        )
        for number, shown in [
            (".inf", ".inf"),
            ("-.inf", "-.inf"),
            (".nan", ".nan"),
            ("0x1", "0x1"),
            ("0b1", "0b1"),
            ("1:0", "1:0"),
            ("1__0.5", "1__0.5"),
            ("!!int abc", "abc"),
            ("!!float abc", "abc"),
        ]
    ),
    # One line per message: what the terminal would act on is escaped, what is long is cut.
    pytest.param(
        "demo.yaml",
        _replace("name: Demo muscle", "name: Demo\x1b[2J muscle"),
        ["demo.yaml:2: YAML syntax error: unacceptable character #x001b: special characters are not allowed"],
        id="raw-escape-character",
    ),
    pytest.param(
        "demo.yaml",
        _replace("name: Demo muscle", 'name: "Demo\\e[2J\\nmuscle"'),
        ["demo.yaml:2: name: 'Demo\\x1b[2J muscle' holds a control character (\\x1b), which no card can show"],
        id="escaped-control-character",
    ),
    pytest.param(
        "demo.yaml",
        _replace("name: Demo muscle", 'name: "Demo \\ud800"'),
        ["demo.yaml:2: name: 'Demo \\ud800' holds a lone surrogate (\\ud800), which no card can show"],
        id="lone-surrogate",
    ),
    pytest.param(
        "demo.yaml",
        _replace("compartment: anterior", "compartment: " + "a" * 500),
        [
            f"demo.yaml:4: compartment: unknown leg compartment '{'a' * 79}… (500 characters)' (expected one of:"
            " anterior, lateral, posterior-superficial, posterior-deep)"
        ],
        id="long-value-shortened",
    ),
    pytest.param(
        "demo.yaml",
        _replace("name: Demo muscle", "name: " + "Long " * 20),
        ["demo.yaml:2: name: a name of 99 characters (expected at most 80)"],
        id="long-name",
    ),
    pytest.param(
        "demo.yaml",
        _replace("name: Demo muscle", "name: !<tag:example.com,2026:" + "z" * 200 + "> Demo"),
        [
            f"demo.yaml:2: tag 'tag:example.com,2026:{'z' * 38}… (221 characters)' is not allowed (fact files hold"
            " plain text, numbers, lists and mappings)"
        ],
        id="long-tag-shortened",
    ),
    # Card keys are made from ids and names: two cards must never share one.
    pytest.param(
        "demo.yaml",
        VALID + "treatment:\n  - {name: Compression, technique: Press.}\n  - {name: compression, technique: Hold.}\n",
        [
            f"demo.yaml:{AFTER + 3}: treatment[1].name: 'compression' and 'Compression' (treatment[0].name, line"
            f" {AFTER + 2}) give the same card key demo/treatment/compression (expected names that differ in letters"
            " or digits)"
        ],
        id="treatments-same-key",
    ),
    pytest.param(
        "demo.yaml",
        _replace("origin: Lateral condyle of the tibia.", "origin:\n    Medial head: Femur.\n    medial-head: Tibia."),
        [
            "demo.yaml:9: attachments.origin.medial-head: 'medial-head' and 'Medial head' (attachments.origin.Medial"
            " head, line 8) give the same card key demo/origin/medial-head (expected names that differ in letters or"
            " digits)"
        ],
        id="heads-same-key",
    ),
    pytest.param(
        "demo.yaml",
        VALID + "treatment:\n  - {name: '...', technique: Press.}\n",
        [f"demo.yaml:{AFTER + 2}: treatment[0].name: '...' gives no card key (expected a name with letters or digits)"],
        id="treatment-without-key",
    ),
    pytest.param(
        "demo.yaml",
        _replace("- id: trp1", "- id: treatment"),
        [
            "demo.yaml:12: trigger_points[0].id: 'treatment' is a word of other cards' keys (expected an id such as"
            " 'trp1')"
        ],
        id="trigger-point-id-a-key-word",
    ),
    pytest.param(
        "demo.yaml",
        _replace("roots: [L4, L5]", "roots: [[x], L9]"),
        [
            "demo.yaml:10: innervation.roots[0]: expected text, found a list",
            "demo.yaml:10: innervation.roots[1]: 'L9' is not a spinal root (expected e.g. L4, L5, S1)",
        ],
        id="bad-root-after-bad-item",
    ),
    pytest.param(
        "demo.yaml",
        _replace("spillover: [shin-lower-medial]", "spillover: [shin-lower-medial]\n    sources: [[x], tss]"),
        [
            "demo.yaml:19: trigger_points[0].sources[0]: expected text, found a list",
            "demo.yaml:19: trigger_points[0].sources[1]: unknown source 'tss' (did you mean 'ts'?)",
        ],
        id="bad-source-after-bad-item",
    ),
]


def _check(tmp_path: Path, files: dict[str, bytes | str]) -> tuple[int, str, str]:
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = CliRunner().invoke(main, ["check", "--facts", str(tmp_path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("name", "content", "expected"), CASES)
def test_each_malformed_file_is_reported_exactly(tmp_path: Path, name: str, content: str, expected: list[str]) -> None:
    code, out, err = _check(tmp_path, {name: content})
    lines = err.splitlines()
    assert code == 1
    assert out == ""
    assert lines[:-1] == [f"{tmp_path}/{line}" for line in expected]
    assert lines[-1].startswith("Error: ") and "nothing was written" in lines[-1]
    assert "Traceback" not in err


def test_valid_template_passes(tmp_path: Path) -> None:
    code, out, err = _check(tmp_path, {"demo.yaml": VALID})
    assert (code, err) == (0, "")
    assert out == f"OK: 1 muscle, 1 trigger points, 4 body regions used ({tmp_path})\n"


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    content = VALID.replace("Medial cuneiform.", "Medial cun\xe9iform.").encode("latin-1")
    code, _, err = _check(tmp_path, {"demo.yaml": content})
    assert code == 1
    assert err.splitlines()[0] == f"{tmp_path}/demo.yaml:8: not valid UTF-8 text (byte 0xe9; save the file as UTF-8)"


def test_duplicate_muscle_ids_across_files(tmp_path: Path) -> None:
    code, _, err = _check(tmp_path, {"a/demo.yaml": VALID, "b/demo.yaml": VALID})
    assert code == 1
    assert err.splitlines()[0] == (
        f"{tmp_path}/b/demo.yaml:1: id: duplicate muscle id 'demo' (already used in {tmp_path}/a/demo.yaml:1)"
    )


def test_empty_directory(tmp_path: Path) -> None:
    code, _, err = _check(tmp_path, {})
    assert code == 1
    assert err.splitlines()[0] == f"{tmp_path}: no fact files found (expected one .yaml file per muscle)"


def test_every_problem_in_every_file_is_reported_at_once(tmp_path: Path) -> None:
    bad_region = VALID.replace("front-of-ankle,", "heal,")
    bad_root = VALID.replace("id: demo", "id: other").replace("[L4, L5]", "[L4, X1]")
    code, _, err = _check(tmp_path, {"demo.yaml": bad_region, "other.yaml": bad_root})
    assert code == 1
    assert err.splitlines()[:-1] == [
        f"{tmp_path}/demo.yaml:17: trigger_points[0].referral.essential[0]: unknown region 'heal'"
        " (did you mean 'heel-back' or 'heel-plantar'?)",
        f"{tmp_path}/other.yaml:10: innervation.roots[1]: 'X1' is not a spinal root (expected e.g. L4, L5, S1)",
    ]
    assert err.splitlines()[-1] == "Error: 2 problems in 2 files; nothing was written"


def test_unsafe_tag_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    content = VALID.replace("name: Demo muscle", f"name: !!python/object/apply:os.system ['touch {marker}']")
    code, _, _ = _check(tmp_path, {"demo.yaml": content})
    assert code == 1
    assert not marker.exists()


GLOSSARY = """\
terms:
  - term: dorsiflexion
    forms: [dorsiflexes]
    definition: Bending the ankle so the top of the foot moves toward the shin.
  - term: taut band
    definition: A tight strand of muscle fibres.
"""


def test_the_glossary_is_read_and_checked(tmp_path: Path) -> None:
    code, out, _ = _check(tmp_path, {"demo.yaml": VALID, "glossary.yaml": GLOSSARY})
    assert code == 0 and out.startswith("OK: 1 muscle,")  # the glossary is not read as a muscle
    bad = GLOSSARY.replace("    definition: A tight strand of muscle fibres.\n", "").replace(
        "forms: [dorsiflexes]", "forms: [dorsiflexes, Taut band]"
    )
    code, _, err = _check(tmp_path, {"demo.yaml": VALID, "glossary.yaml": bad})
    assert code == 1
    assert err.splitlines()[:-1] == [
        f"{tmp_path}/glossary.yaml:5: terms[1].definition: missing required key",
    ]
    duplicate = GLOSSARY.replace("forms: [dorsiflexes]", "forms: [dorsiflexes, Taut band]")
    code, _, err = _check(tmp_path, {"demo.yaml": VALID, "glossary.yaml": duplicate})
    assert err.splitlines()[:-1] == [
        f"{tmp_path}/glossary.yaml:5: terms[1]: 'taut band' is already explained by terms[0]"
    ]


def test_a_muscle_needs_a_drawn_shape(tmp_path: Path) -> None:
    no_shape = VALID.replace("shape: tibialis-anterior\n", "")
    code, _, err = _check(tmp_path, {"demo.yaml": no_shape})
    assert code == 1
    assert err.splitlines()[0] == (
        f"{tmp_path}/demo.yaml:1: id: no muscle shape is drawn for 'demo' (add `shape:` naming one of the shapes "
        "`myodeck shapes` lists, or add its outline to decks/body/muscle_shapes.py)"
    )
    typo = VALID.replace("shape: tibialis-anterior", "shape: tibialis-anteror")
    code, _, err = _check(tmp_path, {"demo.yaml": typo})
    assert err.splitlines()[0] == (
        f"{tmp_path}/demo.yaml:{VALID.count(chr(10))}: shape: unknown muscle shape 'tibialis-anteror'"
        " (did you mean 'tibialis-anterior'?)"
    )


def test_structured_actions_are_checked(tmp_path: Path) -> None:
    actions = """actions:
  - {text: Dorsiflexes the ankle., joint: ankle, movement: dorsiflexion, role: prime}
  - {text: Inverts the foot., joint: foot, movement: abduction, role: prime}
  - {text: Helps the arch., joint: foot}
  - {text: Extends the toes., joint: toes, movement: extension, role: prime}
"""
    content = VALID.replace("actions: [Dorsiflexes the ankle.]\n", actions)
    code, _, err = _check(tmp_path, {"demo.yaml": content})
    assert code == 1
    assert err.splitlines()[:-1] == [
        f"{tmp_path}/demo.yaml:11: actions[1].movement: unknown movement of the foot 'abduction'"
        " (expected one of: inversion, eversion)",
        f"{tmp_path}/demo.yaml:12: actions[2].movement: missing required key (joint, movement and role go together)",
        f"{tmp_path}/demo.yaml:12: actions[2].role: missing required key (joint, movement and role go together)",
        f"{tmp_path}/demo.yaml:13: actions[3].joint: unknown joint 'toes' (expected one of: lumbar spine, pelvis,"
        " hip, knee, ankle, foot, big toe, lesser toes)",
    ]
