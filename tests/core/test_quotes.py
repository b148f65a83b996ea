"""Direct quotations and their speakers, on fixture articles written for these tests."""

from __future__ import annotations

import time

import pytest

from tui.core.models import Quote
from tui.core.quotes import find_quotes


def quotes(text: str) -> list[Quote]:
    found = find_quotes(text)
    for q in found:
        assert text[q.start : q.end] == q.text, q
        assert q.start < q.end
    return found


def pairs(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in quotes(text)]


def speaker_of(text: str, words: str) -> str | None:
    """The speaker of the quote that contains ``words``."""
    for q in quotes(text):
        if words in q.text:
            return q.speaker
    raise AssertionError(f"no quote contains {words!r}: {pairs(text)}")


# ------------------------------------------------------------------ the marks


def test_curly_and_straight_quotes_are_found_without_their_marks():
    text = (
        "“We will rebuild the harbour,” said Mayor Ana Ruiz.\n\n"
        'Her deputy, Tom Hale, was blunter: "It will cost more than anyone thinks."'
    )
    assert pairs(text) == [
        ("We will rebuild the harbour,", "Mayor Ana Ruiz"),
        ("It will cost more than anyone thinks.", "Her deputy, Tom Hale"),
    ]


def test_a_quote_inside_a_quote_belongs_to_the_outer_one():
    text = "“He said ‘go home’ and left the room,” she said, recalling the night."
    found = quotes(text)
    assert [q.text for q in found] == ["He said ‘go home’ and left the room,"]


def test_a_quote_that_runs_over_paragraphs_is_one_quote():
    text = (
        "Chief Inspector Maya Lund described the raid in detail.\n\n"
        "“We arrived at six in the morning and the door was already open. "
        "Nobody was inside, but the kettle was still warm.\n\n"
        "“Whoever lived there had left in a hurry,” Lund said."
    )
    found = quotes(text)
    assert len(found) == 1
    q = found[0]
    assert q.text.startswith("We arrived at six")
    assert q.text.endswith("left in a hurry,")
    assert "\n\n" in q.text
    assert q.speaker == "Maya Lund"


def test_a_quote_broken_by_its_attribution_is_one_quote():
    text = "“The figures are clear,” the economist Rita Moss said. “Wages have not kept up.”"
    found = quotes(text)
    assert len(found) == 1
    assert (
        found[0].text
        == "The figures are clear,” the economist Rita Moss said. “Wages have not kept up."
    )
    assert found[0].speaker == "the economist Rita Moss"


def test_a_quote_broken_by_its_attribution_keeps_its_pieces():
    text = "“The figures are clear,” said Rita Moss, an economist, “and wages have not kept up.”"
    (quote,) = quotes(text)
    assert quote.piece_texts() == ("The figures are clear,", "and wages have not kept up.")
    assert [text[start:end] for start, end in quote.pieces] == list(quote.piece_texts())
    # the joined span still runs from the first piece to the last (what is scored)
    assert (quote.start, quote.end) == (quote.pieces[0][0], quote.pieces[-1][1])
    assert "said Rita Moss" in quote.text


def test_a_quote_in_one_piece_has_one_piece():
    text = "“We will rebuild the harbour,” said Mayor Ana Ruiz."
    (quote,) = quotes(text)
    assert quote.pieces == ((quote.start, quote.end),)


def test_a_quote_broken_by_a_whole_attribution_sentence_is_one_quote():
    text = (
        "“The harbour will reopen in May,” said Port Director Ilse Berg, summing up a "
        "meeting that ran late into the night. “The ferries will be back by June.”"
    )
    found = quotes(text)
    assert len(found) == 1
    assert found[0].text.startswith("The harbour will reopen")
    assert found[0].text.endswith("back by June.")
    assert found[0].speaker == "Port Director Ilse Berg"


def test_a_new_clause_that_introduces_the_next_piece_keeps_the_pieces_apart():
    text = (
        "“We need the votes,” Nina Falk sings to the crowd before asking them, "
        "“Where will we go from here?”"
    )
    assert [q.text for q in quotes(text)] == ["We need the votes,", "Where will we go from here?"]


def test_a_participle_clause_that_introduces_new_words_keeps_the_pieces_apart():
    text = (
        "“The budget is a mess,” Mayor Ana Ruiz said, listing a few questions, including, "
        "“Who pays for the bridge? Who pays for the schools?”"
    )
    assert [q.text for q in quotes(text)] == [
        "The budget is a mess,",
        "Who pays for the bridge? Who pays for the schools?",
    ]


def test_a_participle_clause_inside_one_sentence_does_not_split_it():
    text = (
        "“Every time you say that,” Ana Ruiz said, pointing at the chart, "
        "“you give the other side another argument.”"
    )
    found = quotes(text)
    assert len(found) == 1
    assert found[0].text.endswith("another argument.")


def test_a_long_attribution_between_short_pieces_keeps_them_apart():
    text = (
        "“Ana is a real builder,” said Tom Hale, one of several retired harbour pilots "
        "who came back to work with Ms. Ruiz on the new pier last spring. “She does it.”"
    )
    assert [q.text for q in quotes(text)] == ["Ana is a real builder,", "She does it."]


def test_a_programme_named_in_the_attribution_does_not_split_the_quote():
    text = (
        "“We are ready for the vote,” Lena Holm, the party whip, said on Sunday on "
        "CBS’s “Face the Nation.” “The numbers are there.”"
    )
    found = quotes(text)
    assert len(found) == 1
    assert found[0].text.startswith("We are ready")
    assert found[0].text.endswith("The numbers are there.")
    assert found[0].speaker == "Lena Holm, the party whip"


def test_a_document_can_be_the_speaker():
    text = (
        "“We ask the board to think again,” the letter reads. "
        "“Our children are doing well in these schools.”"
    )
    found = quotes(text)
    assert len(found) == 1
    assert found[0].speaker == "the letter"
    assert found[0].text.endswith("doing well in these schools.")


def test_a_plural_noun_before_a_quote_is_not_read_as_a_verb():
    text = "The senator said the phone calls “were never made by anyone on my staff.”"
    assert pairs(text) == [("were never made by anyone on my staff.", "The senator")]


def test_interview_transcript_lines_are_not_quotations():
    text = (
        'The mayor, Ana Lopes, said the bridge would open in May. "We are on time and '
        'on budget," Lopes said.\n\n'
        "A partial transcript of the interview follows:\n\n"
        '"HOST: Will the bridge really open in May, as the council promised last year?\n\n'
        '"LOPES: It will, and the ferry keeps running until the first car crosses it.\n\n'
        '"Q: What about the cost of the approach roads?\n\n'
        '"A: Those are paid for by the regional government, not by the town."'
    )
    found = quotes(text)
    assert [(q.text, q.speaker) for q in found] == [("We are on time and on budget,", "Ana Lopes")]


def test_quotes_with_their_own_speakers_stay_apart():
    text = "“Yes,” said Ann Lee, “we agreed to it.”\n\n“No, we never did,” replied Bo Chen."
    assert pairs(text) == [
        ("Yes,” said Ann Lee, “we agreed to it.", "Ann Lee"),
        ("No, we never did,", "Bo Chen"),
    ]


def test_british_single_quotes_are_quotes_when_they_are_the_house_style():
    text = (
        "‘We will not back down,’ the health secretary, Wes Lane, said on Monday.\n\n"
        "‘The strike is over,’ a union official told the BBC."
    )
    assert pairs(text) == [
        ("We will not back down,", "the health secretary, Wes Lane"),
        ("The strike is over,", "a union official"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The company's profits rose while its rivals' shares fell.",
        "He grew up on rock 'n' roll and '90s hip-hop.",
        "The players' union met the owners' lawyers on Tuesday.",
        "It was the summer of ’69, and the band’s van broke down.",
        "Ma'am, the 'tis season is here, said nobody ever.",
    ],
)
def test_apostrophes_are_not_quotation_marks(text):
    assert quotes(text) == []


def test_scare_quotes_and_titles_are_not_quotes():
    text = (
        "The so-called “experts” dismissed the “fake news” about the bridge. "
        "She discussed it on “Meet the Press” and in “The Daily Show.”"
    )
    assert quotes(text) == []


def test_a_coined_phrase_in_capitals_is_a_quote_but_a_programme_is_not():
    text = (
        "Back then, a local paper hailed her as “The Harbour Queen” for the new pier. "
        "She later spoke on CBS’s “Face the Nation” and in an episode of “Town Hall Live.”"
    )
    assert [q.text for q in quotes(text)] == ["The Harbour Queen"]


def test_a_hedged_short_quote_is_not_a_quotation():
    text = (
        "The secretary general condemned what he called a “blatant breach” of the rules, "
        "and the board may call a “special session” next week."
    )
    assert quotes(text) == []


def test_a_named_object_frames_a_short_quote():
    text = "Senator Ida Moss called Ross a “serial fabricator” on Monday."
    assert pairs(text) == [("serial fabricator", "Senator Ida Moss")]


def test_a_straight_mark_left_open_in_a_curly_text_is_not_a_quote():
    text = (
        "“We will win,” Ruiz said.\n\n"
        '"The crowd went home early.\n\n'
        "“It was a long night,” Ruiz said later."
    )
    assert [q.text for q in quotes(text)] == ["We will win,", "It was a long night,"]


def test_a_short_quote_framed_as_a_quotation_is_kept():
    text = (
        "NATO Secretary-General Mark Rutte confirmed the deployment on Monday and "
        "called it a “significant escalation” of the war."
    )
    assert pairs(text) == [("significant escalation", "NATO Secretary-General Mark Rutte")]


def test_reported_speech_is_not_a_quote():
    text = (
        "About 10,000 troops are heading to the border, Dana Park, a Pentagon spokeswoman, "
        "told reporters on Monday."
    )
    assert quotes(text) == []


# ------------------------------------------------------------------ speakers


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("“The vote was fair,” Omar Said said.", "Omar Said"),
        ("“The vote was fair,” said Lena Holm, a judge.", "Lena Holm, a judge"),
        ("Lena Holm said, “The vote was fair.”", "Lena Holm"),
        ("Lena Holm told reporters: “The vote was fair.”", "Lena Holm"),
        ("“The vote was fair,” Lena Holm told Reuters.", "Lena Holm"),
        ("“The vote was fair,” according to Lena Holm.", "Lena Holm"),
        ("Lena Holm added: “The vote was fair.”", "Lena Holm"),
        ("Lena Holm wrote that the vote was “fair and free of fraud.”", "Lena Holm"),
        ("Lena Holm says the vote was “fair and free of fraud.”", "Lena Holm"),
        ("“Was the vote fair?” asked Lena Holm.", "Lena Holm"),
        ("“The vote was fair,” Lena Holm insisted.", "Lena Holm"),
        ("“The vote was fair,” Lena Holm warned on Twitter.", "Lena Holm"),
        ("“The vote was fair,” Lena Holm tweeted.", "Lena Holm"),
        ("“The vote was fair” ― Lena Holm", "Lena Holm"),
    ],
)
def test_attribution_patterns(text, speaker):
    assert pairs(text) == [(text[text.index("“") + 1 : text.index("”")], speaker)]


def test_names_keep_their_titles_and_roles():
    text = (
        "“Sanctions are coming,” said Sen. Elizabeth Warren, D-Mass., in a statement.\n\n"
        "“We are ready,” said the White House press secretary, Karine Jean-Pierre.\n\n"
        "Trump campaign spokesman Jason Miller said: “The polls are wrong.”\n\n"
        "“It will pass,” Rep. John Mica (R-Fla.) said."
    )
    assert [q.speaker for q in quotes(text)] == [
        "Sen. Elizabeth Warren, D-Mass.",
        "the White House press secretary, Karine Jean-Pierre",
        "Trump campaign spokesman Jason Miller",
        "Rep. John Mica (R-Fla.)",
    ]


def test_a_surname_resolves_to_the_full_name_mentioned_before():
    text = (
        "Norwegian Prime Minister Erna Solberg met the press in Oslo on Friday.\n\n"
        "“We will keep our promises,” Solberg said."
    )
    assert speaker_of(text, "promises") == "Erna Solberg"


def test_a_pronoun_resolves_to_the_person_the_sentence_before_is_about():
    text = (
        "Governor Alan Brooks signed the budget on Tuesday after a long fight with the "
        "teachers' union led by Carla Diaz.\n\n"
        "“This budget keeps every school open,” he said."
    )
    assert speaker_of(text, "every school") == "Alan Brooks"


def test_a_pronoun_skips_names_of_the_wrong_title():
    text = (
        "Mr. Paul Grant spoke first. Then Ms. Irene Vogt took the stage.\n\n"
        "“We have waited long enough,” he said."
    )
    assert speaker_of(text, "waited") == "Paul Grant"


def test_a_pronoun_with_nobody_to_stand_for_stays_as_written():
    assert pairs("“I am not leaving,” she said.") == [("I am not leaving,", "she")]


def test_a_quote_paragraph_continues_the_previous_speaker():
    text = (
        "“The river rose faster than anyone expected,” said Fire Chief Dan Ortiz.\n\n"
        "“By midnight the whole street was under water.”\n\n"
        "The city council will meet on Thursday."
    )
    found = quotes(text)
    assert [q.speaker for q in found] == ["Fire Chief Dan Ortiz", "Fire Chief Dan Ortiz"]


def test_a_partial_quote_belongs_to_the_subject_of_its_sentence():
    text = "Mayor Ana Ruiz promised new housing and “jobs for every young person in town.”"
    assert pairs(text) == [("jobs for every young person in town.", "Mayor Ana Ruiz")]


def test_a_time_phrase_before_the_subject_is_not_the_speaker():
    text = "Two years ago, a local paper hailed the mayor as “the best builder in the state.”"
    assert pairs(text) == [("the best builder in the state.", "a local paper")]


def test_a_quote_after_an_introduction_with_a_colon():
    text = "The minister, Per Alm, was defiant:\n\n“We will not raise taxes this year.”"
    assert speaker_of(text, "raise taxes") == "The minister, Per Alm"


def test_a_quote_without_any_attribution_has_no_speaker():
    assert pairs("“Nothing lasts forever.”") == [("Nothing lasts forever.", None)]


# ------------------------------------------------------------- forms of speaker


def test_a_name_in_apposition_to_a_role_is_part_of_the_speaker():
    text = (
        "The council met on Monday.\n\n"
        "Her campaign manager, Tom Hale, argued that the plan “would leave the harbour "
        "without a single ferry.”"
    )
    assert speaker_of(text, "single ferry") == "Her campaign manager, Tom Hale"


def test_an_appositive_keeps_its_place_to_the_end():
    text = (
        "“We will keep the ferry running until the bridge opens,” said Jane Roe, a nurse "
        "from Fresno, Calif., who rides it daily."
    )
    assert speaker_of(text, "bridge opens").startswith("Jane Roe, a nurse from Fresno, Calif.")


def test_an_appositive_that_names_a_role_with_a_possessive_is_kept():
    text = (
        "“The figures do not add up,” Tom Hale, Ana Ruiz’s longtime campaign manager, "
        "told reporters."
    )
    assert speaker_of(text, "figures") == "Tom Hale, Ana Ruiz’s longtime campaign manager"


def test_a_role_alone_is_given_with_the_name_it_stands_for():
    text = (
        "Sen. Maria Lopez of Oregon toured the flooded valley on Sunday.\n\n"
        "The water had reached the church steps. “We are going to rebuild every house "
        "on this street,” the senator said."
    )
    assert speaker_of(text, "rebuild") == "Maria Lopez, the senator"


def test_a_role_resolves_to_the_person_the_text_gives_that_role():
    text = (
        "Gov. Peter Grant and Mayor Ana Ruiz met on Monday to discuss the budget.\n\n"
        "“There is no more money for the harbour,” the governor told reporters."
    )
    assert speaker_of(text, "no more money") == "Peter Grant, the governor"


def test_a_pronoun_across_paragraphs_skips_someone_the_text_calls_she():
    text = (
        "Tom Hale, the harbour master, has run the port for thirty years. Ana Ruiz, the "
        "mayor, said she would not close it.\n\n"
        "“It will never pay for itself,” he said."
    )
    assert speaker_of(text, "pay for itself") == "Tom Hale"


def test_an_organisation_speaks_in_a_statement():
    text = (
        "Ana Ruiz asked when the ferries would run again. “The ferry will be back on "
        "Friday,” the port authority shot back in a statement."
    )
    assert speaker_of(text, "back on Friday") == "the port authority"


def test_a_document_speaks():
    text = (
        "The inquiry published its findings on Thursday. “The failures were systemic "
        "and avoidable,” the report states."
    )
    assert speaker_of(text, "systemic") == "the report"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "The council voted on Tuesday night.\n\n“We will not close the harbour.” That "
            "was the promise Mayor Ana Ruiz made to a packed hall.",
            "Mayor Ana Ruiz",
        ),
        (
            "The vote was close.\n\n“This is a dark day for the town.” Councillor Tom "
            "Hale did not hide his anger as he left the chamber.",
            "Councillor Tom Hale",
        ),
    ],
    ids=["promise", "anger"],
)
def test_a_quote_opening_a_paragraph_takes_the_speaker_of_the_next_sentence(text, speaker):
    assert [q.speaker for q in quotes(text)] == [speaker]


def test_names_of_things_in_quotation_marks_are_not_quotes():
    text = (
        "Ruiz wore a “Make the Harbour Great” hat to the meeting. She also hosts the "
        "podcast “Ferry Tales From The Coast” every week."
    )
    assert quotes(text) == []


def test_the_shipped_ranker_weights_fit_its_features_and_say_where_they_came_from():
    import json

    from tui.core.quotes import ranker
    from tui.core.quotes.candidates import FEATURES

    payload = json.loads(ranker.WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert payload["features"] == list(FEATURES)
    assert len(payload["weights"]) == len(FEATURES)
    assert "PolNeAR train" in payload["about"] and "not shipped" in payload["about"]
    assert ranker.shipped_weights() is not None


def test_finding_quotes_loads_no_numerical_library():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tui.core.quotes import find_quotes\n"
        "q = find_quotes('“We will win,” the senator said.')\n"
        "assert q and q[0].speaker == 'the senator', q\n"
        "print(sorted(m for m in ('numpy', 'torch', 'sklearn') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# ------------------------------------------------------------------ hostile input


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n\n", "No quotes in this text at all.", "“", "”", '"', "'", "“”", '""'],
)
def test_degenerate_input(text):
    assert quotes(text) == []


def test_unbalanced_quotes_do_not_swallow_the_article():
    opening = "“This quote is never closed and goes on. " * 200
    text = "Intro paragraph.\n\n" + opening + "\n\nA normal paragraph follows, with no quotes."
    for q in quotes(text):
        assert "normal paragraph" not in q.text
        assert len(q.text) < 3000
    assert len(quotes("“Open " * 50_000)) == 0


def test_a_mark_left_open_ends_with_its_paragraph():
    text = "“We will win, Ruiz said at the rally.\n\nThe crowd went home early."
    found = quotes(text)
    assert [q.text for q in found] == ["We will win, Ruiz said at the rally."]


@pytest.mark.parametrize(
    "text",
    [
        '"' * 1_000_000,
        "\u201c" * 300_000 + "\u201d" * 300_000,
        ("He said “hello there my friend” and left. " * 20_000),
        ("“This opens and never closes. " * 30_000),
        ("“A paragraph that opens a quote and keeps going on\n\n" * 5_000),
        ("the company's rock 'n' roll players' union '90s " * 20_000),
        ('<a href="x">"quote here now"</a> ' * 20_000),
    ],
    ids=["straight", "curly", "dense", "unclosed", "paragraphs", "apostrophes", "markup"],
)
def test_a_megabyte_of_hostile_input_returns_quickly(text):
    t0 = time.perf_counter()
    found = quotes(text)
    assert time.perf_counter() - t0 < 1.5
    assert all(q.end - q.start < 10_000 for q in found)


def test_markup_attributes_are_not_quotes():
    assert pairs('<a href="https://example.com/a">link</a> and <img alt="a b c d">') == []


def test_a_thousand_word_article_finds_every_quote():
    paragraph = (
        "“We will finish the bridge before winter,” said Mayor Ana Ruiz, who took office "
        "last year. The council approved the budget on Tuesday after a long debate. "
        "Critics called the plan a “reckless gamble with public money.” She dismissed "
        "them. “They said the same about the tunnel,” she said.\n\n"
    )
    text = paragraph * 15  # about 1,000 words
    # Speed is measured by benchmarks/text.py, not asserted here.
    found = find_quotes(text)
    assert len(found) == 45
    assert {q.speaker.split(",")[0] for q in found} == {"Mayor Ana Ruiz", "Critics"}


def test_random_mixtures_of_marks_and_words_keep_the_span_invariant():
    import random

    pieces = ['"', "'", "“", "”", "‘", "’", " ", " ", "\n", "\n\n", ".", ",", ":", "?"]
    pieces += ["—", "(", ")", "he", "said", "Said", "told", "according to", "Mr.", "Ann"]
    pieces += ["Lee", "the", "called", "it", "We", "win", "Sen.", "D-Mass.", "''", "U.S."]
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 80)))
        for q in quotes(text):
            assert q.speaker is None or q.speaker.strip()
