"""The labelled story set in tests/data/stories, as articles with their true stories."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from pathlib import Path

SET_FILE = Path(__file__).parent / "data" / "stories" / "events.json"


@dataclass(frozen=True, slots=True)
class Version:
    """One outlet's article about an event."""

    id: int
    event: str
    part: str
    feed: str
    title: str
    text: str
    """Paragraphs separated by blank lines."""
    time: int
    link: str

    @property
    def html(self) -> str:
        return "".join(f"<p>{paragraph}</p>" for paragraph in self.text.split("\n\n"))


def load(path: Path = SET_FILE) -> list[Version]:
    data = json.loads(path.read_text("utf-8"))
    start = int(datetime.fromisoformat(data["start"].replace("Z", "+00:00")).timestamp())
    versions: list[Version] = []
    for event in data["events"]:
        made: list[Version] = []
        for number, spec in enumerate(event["versions"]):
            if "copy" in spec:
                original = made[spec["copy"]]
                text, title = original.text, original.title
            else:
                paragraphs = [event["paragraphs"][i] for i in spec["paragraphs"]]
                if "lead" in spec:
                    paragraphs[0] = spec["lead"]
                paragraphs += spec.get("extra", [])
                text, title = "\n\n".join(paragraphs), spec["title"]
            host = spec["feed"].split("/")[2]
            version = Version(
                id=len(versions) + 1,
                event=event["id"],
                part=event["part"],
                feed=spec["feed"],
                title=title,
                text=text,
                time=start + int(spec["hours"] * 3600),
                link=f"https://{host}/news/{event['id']}-{number}",
            )
            made.append(version)
            versions.append(version)
    return versions


def true_pairs(versions: list[Version]) -> set[tuple[int, int]]:
    """Pairs of article ids that are the same story."""
    return {(a.id, b.id) for a, b in combinations(versions, 2) if a.event == b.event}


def found_pairs(stories: dict[int, int], ids: list[int]) -> set[tuple[int, int]]:
    """Pairs of article ids that a grouping (article id -> story id) puts together."""
    return {
        (a, b)
        for a, b in combinations(sorted(ids), 2)
        if a in stories and stories.get(a) == stories.get(b)
    }


def precision_recall(found: set, truth: set) -> tuple[float, float]:
    hits = len(found & truth)
    return (hits / len(found) if found else 1.0), (hits / len(truth) if truth else 1.0)


def feeds_rss(versions: list[Version], *, ending: int) -> dict[str, str]:
    """RSS documents, one per feed of the set, as its outlets would serve them; the
    set's times are moved so that the last version appeared at ``ending``."""
    from email.utils import formatdate
    from html import escape

    shift = ending - max(v.time for v in versions)
    by_feed: dict[str, list[Version]] = {}
    for version in versions:
        by_feed.setdefault(version.feed, []).append(version)
    documents = {}
    for feed, carried in by_feed.items():
        items = "".join(
            f"<item><title>{escape(v.title)}</title><link>{v.link}</link>"
            f"<guid>{v.link}</guid><pubDate>{formatdate(v.time + shift)}</pubDate>"
            f"<description>{escape(v.html)}</description></item>"
            for v in sorted(carried, key=lambda v: -v.time)
        )
        documents[feed] = (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>{feed.split('/')[2]}</title><link>https://{feed.split('/')[2]}/</link>"
            f"<description>News</description>{items}</channel></rss>\n"
        )
    return documents
