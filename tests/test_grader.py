"""Typed answers: spelling forgiven, a different anatomical term never."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decks.typed_words import is_filler
from quiz.grader import CONTRASTS, SYNONYMS, GradeResult, Typo, edit_distance, grade

ACCEPTED = [
    # (answer, expected)
    ("gastrocnemius", "Gastrocnemius"),
    ("  GASTROCNEMIUS!! ", "gastrocnemius"),
    ("Soléus", "soleus"),
    ("fibularis   longus.", "Fibularis longus"),
    ("tibialis-anterior", "tibialis anterior"),
    ("the soleus muscle", "soleus"),
    ("head of the fibula", "head of fibula"),
    # typos
    ("maleolus", "malleolus"),
    ("lateral maleolus", "lateral malleolus"),
    ("gastrocnemeus", "gastrocnemius"),
    ("tibial nerv", "Tibial nerve"),
    ("deep fibular musle", "deep fibular"),
    ("solues", "soleus"),
    ("tibialis anterio", "tibialis anterior"),
    ("extensor digitorum longis", "extensor digitorum longus"),
    ("flexor halucis longus", "flexor hallucis longus"),
    ("solaus", "soleus"),
    ("gastronemus", "gastrocnemius"),
    ("poplitues", "popliteus"),
    ("peronius longus", "fibularis longus"),
    ("Achiles tendon", "calcaneal tendon"),
    # synonyms
    ("peroneus longus", "fibularis longus"),
    ("peroneal longus", "fibularis longus"),
    ("Fibularis brevis", "peroneus brevis"),
    ("common peroneal nerve", "common fibular nerve"),
    ("superficial peroneal nerve", "Superficial fibular (peroneal) nerve"),
    ("superficial fibular", "Superficial fibular (peroneal) nerve"),
    ("Achilles tendon", "calcaneal tendon"),
    ("achilles", "calcaneal tendon"),
    ("tendo calcaneus", "Achilles tendon"),
    ("Achilles' tendon", "tendo calcaneus"),
    ("big toe", "great toe"),
    ("hallux", "big toe"),
    ("kneecap", "patella"),
    ("shin bone", "tibia"),
    ("heel bone", "calcaneus"),
    ("back of the knee", "popliteal fossa"),
    ("back of knee", "popliteal fossa"),
    ("plantarflexion", "plantar flexion"),
    # lists: order free, separators alike, root ranges
    ("S1, S2", "S1 and S2"),
    ("S2 and S1", "S1, S2"),
    ("s1/s2", "S1 and S2"),
    ("S1 & S2", "S1 and S2"),
    ("S1 S2", "S1 and S2"),
    ("L5-S1", "L5 and S1"),
    ("L4\u2013S1", "L4, L5 and S1"),  # an en dash
    ("L4 to S2", "L4, L5, S1, S2"),
    ("L4-5", "L4 and L5"),
    ("inversion and plantar flexion", "plantarflexion, inversion"),
    # a list of acceptable answers
    ("peroneus tertius", ["fibularis tertius", "third fibular"]),
    ("third fibular", ["fibularis tertius", "third fibular"]),
]

REJECTED = [
    # (answer, expected, reason)
    ("lateral", "medial", "'lateral' is not 'medial'"),
    ("medial", "lateral", "'medial' is not 'lateral'"),
    ("lateral malleolus", "medial malleolus", "'lateral malleolus' is not 'medial malleolus'"),
    ("brevis", "longus", "'brevis' is not 'longus'"),
    ("fibularis brevis", "fibularis longus", "'brevis' is not 'longus'"),
    ("fibularis tertius", "fibularis longus", "'tertius' is not 'longus'"),
    ("tibialis posterior", "tibialis anterior", "'posterior' is not 'anterior'"),
    ("anterior", "posterior", "'anterior' is not 'posterior'"),
    ("superior", "inferior", "'superior' is not 'inferior'"),
    ("proximal", "distal", "'proximal' is not 'distal'"),
    ("flexor hallucis longus", "extensor hallucis longus", "'flexor' is not 'extensor'"),
    ("flexor hallucis longus", "flexor digitorum longus", "'hallucis' is not 'digitorum'"),
    ("teres major", "teres minor", "'major' is not 'minor'"),
    ("internal", "external", "'internal' is not 'external'"),
    ("intrnal", "external", "'internal' is not 'external'"),
    # as close to another known term ("medius") as to the expected one: no benefit of the doubt
    ("medias", "medial", "'medias' is not 'medial'"),
    ("dorsal", "plantar", "'dorsal' is not 'plantar'"),
    ("L4", "L5", "'L4' is not 'L5'"),
    ("S1", "S2", "'S1' is not 'S2'"),
    ("tibial nerve", "common fibular nerve", "expected: common fibular nerve"),
    ("tibial", "fibular", "'tibial' is not 'fibular'"),
    ("abductor hallucis", "adductor hallucis", "'abductor' is not 'adductor'"),
    ("inversion", "eversion", "'inversion' is not 'eversion'"),
    ("metacarpal", "metatarsal", "'metacarpal' is not 'metatarsal'"),
    ("popliteal", "popliteus", "'popliteal' is not 'popliteus'"),
    ("perineal", "peroneal", "'perineal' is not 'fibular'"),
    # word order inside a term matters
    ("longus fibularis", "fibularis longus", "right words, wrong order"),
    # a typo budget scaled by length: none in short words, one up to 7 letters
    ("sooleuss", "soleus", "'sooleuss' is not 'soleus'"),
    ("gastrnemus", "gastrocnemius", "'gastrnemus' is not 'gastrocnemius'"),
    ("big tow", "big toe", "expected: big toe"),
    ("tibialis", "tibialis anterior", "expected: tibialis anterior"),
    # sets of roots must be complete and exact
    ("L4, S1", "L4, L5 and S1", "missing L5"),
    ("L5, S1, S2", "L5 and S1", "not S2"),
    ("L4, L5", "L5 and S1", "missing S1; not L4"),
    ("", "soleus", "no answer"),
    ("?!", "soleus", "no answer"),
]


@pytest.mark.parametrize(("answer", "expected"), ACCEPTED)
def test_accepted(answer: str, expected: str | list[str]) -> None:
    result = grade(answer, expected)
    assert result.correct, result.reason


@pytest.mark.parametrize(("answer", "expected", "reason"), REJECTED)
def test_rejected(answer: str, expected: str, reason: str) -> None:
    assert grade(answer, expected) == GradeResult(False, None, (), reason)


def test_a_forgiven_typo_is_a_close_call_naming_the_spelling() -> None:
    result = grade("maleolus", "malleolus")
    assert result == GradeResult(
        True, "malleolus", (Typo("maleolus", "malleolus"),), "correct; spelling: malleolus (not maleolus)"
    )
    assert result.close_call
    exact = grade("Malleolus", "malleolus")
    assert exact == GradeResult(True, "malleolus", (), "correct") and not exact.close_call


def test_matched_names_the_acceptable_answer_that_matched() -> None:
    assert grade("third fibular", ["fibularis tertius", "third fibular"]).matched == "third fibular"
    assert grade("peroneus longus", "Fibularis (peroneus) longus").matched == "Fibularis (peroneus) longus"


def test_the_exact_answer_is_preferred_to_a_typo_match() -> None:
    assert grade("fibularis", ["fibulars", "fibularis"]).typos == ()


def test_nothing_to_grade_against_is_a_bug() -> None:
    with pytest.raises(ValueError, match="nothing to grade against"):
        grade("soleus", "the ()")


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("maleolus", "malleolus", 1),
        ("solues", "soleus", 1),
        ("ab", "ba", 1),
        ("abc", "abc", 0),
        ("medial", "lateral", 5),
    ],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, limit=5) == distance
    assert edit_distance(a, b, limit=0) == min(distance, 1)


@given(st.text(alphabet="abcdefg", min_size=2, max_size=10), st.data())
def test_one_edit_or_swap_is_distance_one(word: str, data) -> None:
    i = data.draw(st.integers(0, len(word) - 2))
    edits = [
        word[:i] + word[i + 1 :],
        word[:i] + "z" + word[i:],
        word[:i] + "z" + word[i + 1 :],
        word[:i] + word[i + 1] + word[i] + word[i + 2 :],
    ]
    assert edit_distance(word, word, limit=2) == 0
    for edited in edits:
        assert edit_distance(word, edited, limit=2) <= 1
        assert edit_distance(edited, word, limit=2) == edit_distance(word, edited, limit=2)


CONTRAST_PAIRS = [(a, b) for group in CONTRASTS for a, b in itertools.permutations(group.split(), 2)]


@pytest.mark.parametrize(("answer", "expected"), CONTRAST_PAIRS)
def test_contrasting_terms_never_match(answer: str, expected: str) -> None:
    assert not grade(answer, expected).correct
    assert not grade(f"musculus {answer}", f"musculus {expected}").correct


SYNONYM_PAIRS = [(a, b) for group in SYNONYMS for a, b in itertools.permutations(group, 2)]


@pytest.mark.parametrize(("answer", "expected"), SYNONYM_PAIRS)
def test_synonyms_always_match(answer: str, expected: str) -> None:
    assert grade(answer, expected) == GradeResult(True, expected, (), "correct")


# Words of 4+ letters can never be a short filler ("a", "the", "of") or a separator ("and"); "muscle",
# "nerve" and their misspellings ("muscl", "nerv") are fillers too: an answer of them alone grades nothing.
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéüñ", min_size=4, max_size=12).filter(lambda w: not is_filler(w))
ANATOMY = st.sampled_from(["soleus", "longus", "brevis", "medial", "lateral", "fibularis", "peroneus", "S1", "L5"])
PHRASE = st.lists(st.one_of(WORD, ANATOMY), min_size=1, max_size=4).map(" ".join)


@given(PHRASE)
def test_the_expected_answer_always_grades_correct(expected: str) -> None:
    result = grade(expected, expected)
    assert result.correct and not result.typos


@given(PHRASE, PHRASE, st.sampled_from([str.upper, str.lower, str.title, str.swapcase]), st.data())
def test_case_and_punctuation_never_change_the_grade(answer: str, expected: str, case, data) -> None:
    decorated = " ".join(
        data.draw(st.sampled_from(["", "(", '"'])) + word + data.draw(st.sampled_from(["", ".", "!", "?", ")", "'"]))
        for word in case(answer).split()
    )
    assert grade(decorated, expected).correct == grade(answer, expected).correct


@given(PHRASE, PHRASE)
def test_grading_is_deterministic_and_never_fails(answer: str, expected: str) -> None:
    assert grade(answer, expected) == grade(answer, expected)
