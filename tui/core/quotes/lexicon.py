"""Word lists shared by the quote finder and the sentence splitter.

Speech verbs, titles, abbreviations and the closed-class words the phrase rules walk
over live here once. ``tui.core.sentences`` takes its titles, abbreviations and
attribution verbs from here too; where the two need different subsets, the subset
is named here with the reason.
"""

from __future__ import annotations

import re

# ------------------------------------------------------------------ speech verbs

ATTRIBUTION_VERBS = frozenset(
    """
    said says asked asks added adds told tells wrote writes shouted shouts replied replies
    explained explains insisted insists recalled recalls noted notes continued continues
    declared declares exclaimed cried wondered joked jokes quipped argued argues warned warns
    admitted admits stated states tweeted
    """.split()
)
"""The commonest verbs of saying: the sentence splitter's sign that a quotation is
followed by its attribution ('"Why?" Smith asked')."""

_NOUNS_TOO = frozenset({"continues", "jokes", "shouts", "states"})
"""Attribution verbs the quote finder leaves out: it looks for a verb anywhere in a
sentence, where these are more often nouns or other senses; the splitter only
looks right after a quotation and a name."""

SPEECH_VERBS = (
    (ATTRIBUTION_VERBS - _NOUNS_TOO)
    | frozenset(
        """
    say saying tell telling add adding explain explaining noting argue arguing ask asking insist
    insisting warn warning declaring write writing tweets tweeting reply recall recalling
    acknowledge acknowledges acknowledged claim claims claimed claiming responded
    responds answered remarked commented observed quipped joked yelled chanted chanting
    screamed announced admit admitting concede concedes conceded confirmed denies denied
    suggest suggests suggested predict predicts predicted promised vowed pledged boasted
    complained lamented contend contends contended maintain maintains maintained assert
    asserts asserted testified emphasized emphasised stressed mused whispered urged
    demanded countered concluded agreed reminded cautioned opined retorted texted emailed
    describe describes described describing call calls called calling dubbed labeled
    labelled termed branded muttered sings sang singing proclaimed scolded recounted
    reported reports reads read posted blasted slammed mocked accused thanked charged
    mocks quips continues boasts complains laments observes concludes cautions urges
    recounts proclaims whispers mutters retorts testifies stresses emphasizes announces
    confirms wonders agrees reiterated reiterates elaborated elaborates snapped groused
    fumed marveled gushed chimed interjected
    jokes shouts states promises vows pledges remarks comments counters demands answers
    """.split()
    )
    | {
        "went on",
        "goes on",
        "shot back",
        "shoots back",
        "fired back",
        "fires back",
        "pointed out",
        "points out",
        "chimed in",
        "cut in",
        "weighed in",
    }
)
"""Verbs that attribute a quotation, in the forms news copy uses."""

PRE_ONLY = frozenset(
    """
    call calls called calling dubbed labeled labelled termed branded describe describes
    described describing blasted slammed mocked accused thanked charged posted
    """.split()
)
"""Verbs that introduce a quotation but never follow one as its attribution."""
POST_ONLY = frozenset({"read", "reads"})
"""Verbs that attribute only after the quotation ('..., the letter reads')."""
AMBIGUOUS_S = frozenset({"notes", "tweets", "claims", "calls", "reads", "sings", "answers"})
AMBIGUOUS_S |= {"reports", "jokes", "shouts", "states", "promises", "vows", "pledges"}
AMBIGUOUS_S |= {"remarks", "comments", "counters", "demands", "urges", "stresses"}
"""Plural nouns as often as verbs: a verb only after a name or a pronoun."""
TAKES_TO = frozenset({"continued", "promised", "vowed", "pledged", "agreed", "demanded"})
TAKES_TO |= {"urged", "said", "claimed", "reported", "asked", "call", "calls", "called"}
TAKES_TO |= {"calling"}
"""Verbs that mean something else before "to"/"for"/"on" + a lowercase word."""
TO_OBJECT = frozenset({"said", "claimed", "reported"})
"""... except these, which only change sense before "to be"."""

# ---------------------------------------------------------------- titles of people

PERSONAL_TITLE_ABBREVIATIONS = frozenset(
    "Mr Mrs Ms Dr Prof Gen Sen Rep Gov Lt Col Capt Cmdr Maj Sgt Adm Rev Pres Supt Insp Amb".split()
)
"""Abbreviated titles the quote finder reads as part of a name ('Sen. Warren')."""

TITLE_ABBREVIATIONS = PERSONAL_TITLE_ABBREVIATIONS | frozenset(
    """Messrs Mmes Mme Mlle Drs Profs Gens Sens Reps Govs Cmdt Brig Cpl Pvt Revs Hon Atty
    Msgr Fr Sr Sra Srta Det Mt Ft St Ste Pt""".split()
)
"""Abbreviations written before a name: never the end of a sentence. The plurals,
foreign titles and place prefixes (``St. Louis``) are the splitter's alone; the
quote finder's name rules treat them as ordinary words."""

TITLE_WORDS = frozenset(
    """
    president vice secretary general minister prime foreign chancellor chairman
    chairwoman chair chief senator representative governor mayor judge justice attorney
    director spokesman spokeswoman spokesperson leader speaker majority minority
    professor del del. officer commissioner ambassador deputy assistant press host pope
    king queen prince princess sir lord lady dame rabbi father bishop archbishop cardinal
    sheriff detective inspector coach editor executive ceo founder senior nominee
    candidate congressman congresswoman councilman councilwoman state former democratic
    republican democrat gop party campaign manager adviser advisor strategist economist
    analyst sec. sec mp mep envoy treasurer chairperson commander marshal superintendent
    first widow reverend
    """.split()
) | frozenset(
    form for title in PERSONAL_TITLE_ABBREVIATIONS for form in (title.lower(), title.lower() + ".")
)
"""Lower-cased words of a title or role written before a name, with and without
the abbreviation's period."""

ROLE_NOUNS = frozenset(
    """
    spokesman spokeswoman manager lawyer widow widower host anchor writer author
    aide pastor rapper singer actor actress comedian player owner mother father wife
    husband son daughter sister brother niece nephew friend neighbor neighbour
    cousin uncle aunt grandmother grandfather chairman chairwoman treasurer general
    commander governor senator lawmaker legislator congressman congresswoman
    delegate diplomat envoy ambassador judge justice prosecutor detective sheriff
    superintendent chancellor premier minister secretary president vice deputy
    assistant associate principal dean provost coordinator surgeon doctor physician
    nurse pollster economist strategist operative volunteer voter supporter critic
    editor director professor chair spokesperson adviser advisor analyst official
    attorney executive founder member leader head chief correspondent reporter
    columnist researcher fellow scholar historian scientist commissioner
    representative mayor candidate nominee consultant expert partner ceo cofounder
    co-founder organizer activist resident veteran student teacher director-general
    officer
    """.split()
)
"""Nouns that describe a person by role ('a spokesman for the campaign')."""

# ------------------------------------------------------------------ abbreviations

MONTH_ABBREVIATIONS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
"""Abbreviated months, lower-cased ('Jan.')."""

STATE_ABBREVIATIONS = frozenset(
    """Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss
    Mo Mont Neb Nev Okla Ore Pa Penn Tenn Tex Va Vt Wash Wis Wisc Wyo""".split()
)
"""AP-style state abbreviations ('Rep. John Mica (R-Fla.)'), capitalised: several
are words in lower case (Ill, Mass, Miss)."""

ABBREVIATIONS = (
    frozenset(t.lower() for t in PERSONAL_TITLE_ABBREVIATIONS)
    | MONTH_ABBREVIATIONS
    | frozenset(state.lower() for state in STATE_ABBREVIATIONS)
    | frozenset(
        """
        st jr sr del inc corp co ltd vs etc no mt ft fig u.s u.k u.n d.c a.m p.m e.g i.e
        n.y n.j n.c s.c n.d s.d n.h n.m r.i w.va d-mass r-ky
        """.split()
    )
)
"""Lower-cased words whose period does not end the quote finder's sentences."""

_INITIALS = re.compile(r"(?:[A-Z]-)?(?:[A-Z]\.)*[A-Z]")


def is_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at ``text[dot]`` ends an abbreviation or an initial."""
    if text[dot] != ".":
        return False
    j = dot
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] in ".-"):
        j -= 1
    word = text[j:dot].lower()
    raw = text[j:dot]
    if len(word) == 1 and word.isalpha() and word.upper() == raw:
        return True  # an initial
    if _INITIALS.fullmatch(raw):
        return True  # G.K. / U.S. / D-N.C.
    return word in ABBREVIATIONS


# ------------------------------------------------------------- closed-class words

PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it", "you", "him", "her", "them"})
PERSON_PRONOUNS = frozenset({"he", "she"})
SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it", "you"})
DETERMINERS = frozenset(
    """the a an one another two three some many his her their its our my several both
    other most""".split()
)
"""Words that open a noun phrase, counting numerals and possessives."""

PREPOSITIONS = frozenset(
    """
    of on at for in from with to by into onto through over under about against
    between within without across behind beyond toward towards during after before
    via per upon among around near like unlike
    """.split()
)

STOP_BACK = frozenset(
    """
    is was are were be been being has had have having will would can could should may
    might must do does did to that which who whom whose by with from into onto than then
    and or but so if because as when while after before about over under through during
    against between without within it he she they we i you him them us me this these
    those there here not also just even only still yet very too however where what why
    how said says told say tell asked wrote added its it’s it's said, like unlike via
    per upon toward towards across behind beyond since until
    """.split()
)
"""Words a noun phrase cannot run back over: verbs, conjunctions, pronouns."""

OK_PARTICIPLES = frozenset(
    """
    retired elected unnamed embattled indicted acting outgoing incoming presiding ruling
    founding managing visiting governing leading ranking reigning sitting serving
    longtime so-called self-described self-proclaimed united related interested
    concerned registered unidentified anonymous aging ailing
    """.split()
)
"""Words ending in -ed/-ing that still describe a noun ('the outgoing mayor')."""

SMALL_WORDS = frozenset(
    """a an the of and or for in on at to with from into by as vs vs. & -""".split()
) | {"\u2014", "\u2013"}
"""Words left in lower case in a title-case name of a work."""

# ------------------------------------------------------- capitalised non-names

NOT_NAMES = frozenset(
    """
    The A An In On At After Before During Over When While As Since Later Earlier But And
    Or So Yet Still Then Meanwhile However Instead Also Asked Speaking Last This That
    These Those It He She They We I You His Her Their Our Its My Your If Although Though
    Because Despite For From With Without Under Until Unlike Like Not No Yes Why How What
    Who Where Which There Here Now Today Tonight Yesterday Tomorrow Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday January February March April June July
    August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct
    Nov Dec According Among Between Both Each Every Many Most Some Such Even Just Only
    Once Again Already Indeed Perhaps Maybe Thus Hence Either Neither Another Other
    Several Few One Two Three Four Five To By Of Do Does Did Is Are Was Were Would
    Can Could Should Must Let Please Thank Thanks Dear Oh Yeah Okay OK All
    Read Follow Click Sign Subscribe Watch See Photo Related
    """.split()
)
"""Capitalised words that open sentences rather than names."""

NOT_PERSON_WORDS = frozenset(
    """
    House Senate Congress Committee Department Party University College School Times
    Post News Journal Street Press Reuters Agency Association Council Court Office
    Church Center Centre Institute Foundation Bank Fund Group Union League Company Corp
    Inc Club Campaign Administration Republicans Democrats America American States
    Korea Russia China Ukraine Europe European Washington York City County Square
    Hospital Commission Service Services Network Twitter Facebook Television Radio
    Magazine Report Review Avenue Road Airport Station Army Navy Force Guard Police
    Tribune Herald Globe Ministry Embassy Parliament Assembly Government Republic Kingdom
    Nations Summit Forum Festival Day Week Month Year Act Bill Law Award Prize Cup Games
    Olympics Obamacare Medicare Medicaid Project Program Caucus Amendment Constitution
    Agreement Treaty Plan Initiative Board Bureau Federation Coalition Alliance Movement
    Organization Society Show Hill Relations Affairs Security Defense Channel
    """.split()
)
"""Words that make a capitalised run an institution or a thing, not a person."""

OPENERS = frozenset(
    """
    Following Speaking According Responding Asked Writing Citing Referring Reacting
    Commenting Addressing Appearing Noting Adding Echoing Pointing Calling During
    Including Considering Given Having Being Despite Amid After Before Since Unlike
    Like Under Over Across Throughout Within Without Earlier Later
    """.split()
)
"""Capitalised words that open an adverbial phrase, not a subject."""


def strip_possessive(word: str) -> str:
    """``Clinton's`` -> ``Clinton``."""
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word
