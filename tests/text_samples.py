"""Real sentences in many scripts, and the characters a feed may slip between them.

Shared by the text-integrity property tests and the fuzzers. The invisible characters
are written as escapes so a reader of this file can see them.
"""

from __future__ import annotations

ZWNJ, ZWJ, LRM, RLM, ALM = "\u200c", "\u200d", "\u200e", "\u200f", "\u061c"
VS15, VS16 = "\ufe0e", "\ufe0f"

SENTENCES: dict[str, tuple[str, ...]] = {
    "persian": (
        f"من این کتاب{ZWNJ}ها را دیروز از کتابخانه امانت گرفتم.",
        f"بچه{ZWNJ}ها در حیاط مدرسه بازی می{ZWNJ}کنند.",
        f"او می{ZWNJ}خواهد سال آینده به دانشگاه برود.",
    ),
    "arabic": (
        "ذهبتُ إلى السوقِ صباحَ اليومِ لشراءِ الخبزِ.",
        "قال الوزير إن المشروع سيكتمل في العام المقبل.",
        f"بلغ عدد السكان {ALM}٣٫٥ مليون نسمة.",
    ),
    "hindi": (
        # बाज़ार with the precomposed ज़ (U+095B), which NFC would decompose.
        "मैं कल सुबह बा\u095bार जाऊँगा।",
        # ...and with ज + nukta (U+0939 U+093C) written apart.
        "उसने बाज\u093cार से ताज़ा सब्ज़ियाँ ख़रीदीं।",
        "भारत की राजधानी नई दिल्ली है।",
        f"विद्यार्थियों ने क्{ZWJ}षमा माँगी और परीक्षा की तैयारी पूरी की।",
    ),
    "thai": (
        "วันนี้อากาศดีมาก เราจึงไปเดินเล่นที่สวนสาธารณะ",
        "ฉันกำลังเรียนภาษาไทยที่มหาวิทยาลัย",
    ),
    "chinese": (
        "今天的天气很好，我们去公园散步吧。",
        "这座城市的地铁系统每天运送数百万乘客。",
    ),
    "japanese": (
        "東京は日本の首都です。",
        "私は毎朝コーヒーを飲みます。",
        # An ideographic variation sequence: 葛 with the selector U+E0100.
        "葛\U000e0100飾区に住んでいます。",
        # A paragraph that opens with an ideographic space, as Japanese prose does.
        "\u3000吾輩は猫である。名前はまだ無い。",
    ),
    "korean": (
        "저는 매일 아침 공원에서 산책을 합니다.",
        "서울은 한국의 수도입니다.",
    ),
    "hebrew": (
        "שָׁלוֹם, מָה שְׁלוֹמְךָ?",
        "הממשלה אישרה את התקציב החדש ביום שלישי.",
        f"הוא נולד ב{RLM}-1990 בתל אביב.",
    ),
    "emoji": (
        f"We did it! 🎉 👩{ZWJ}💻 👨{ZWJ}👩{ZWJ}👧",
        f"Weather today: ☀{VS16} then 🌧{VS16}, take 1{VS16}\u20e3 umbrella 👍🏽",
        "Go 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f and 🇯🇵!",
        f"Text style ☺{VS15} or emoji style ☺{VS16}: both are kept.",
    ),
}
ALL_SENTENCES: tuple[str, ...] = tuple(s for group in SENTENCES.values() for s in group)

KEPT = (ZWNJ, ZWJ, LRM, RLM, ALM, VS15, VS16, "\u0301", "\u0651", "\u00a0", "\u00ad", "\u2060")
"""Characters that are part of the text and must come out as they went in."""
CONTROLS = ("\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1f", "\x7f")
"""C0 controls (not tab or newline) and DEL: removed everywhere."""
C1 = ("\x81", "\x85", "\x8d", "\x9b", "\x9f")
"""C1 controls: removed; in RSS and Atom first read as cp1252, as feedparser does."""
ESCAPES = (
    "\x1b[31m",
    "\x1b[0m",
    "\x1b[2J",
    "\x1b]0;owned\x07",
    "\x1b]8;;http://evil.example/\x1b\\",
    "\x1b(B",
)
"""Whole escape sequences: removed everywhere."""
BIDI = ("\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069")
"""Embeddings, overrides and isolates: removed from titles, kept in article text."""
LAYOUT = (" ", "  ", "\t", "\n")
"""White space that HTML and one-line titles collapse to one space."""
