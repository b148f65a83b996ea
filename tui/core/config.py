"""Settings: a TOML file read into dataclasses, plus where Broadsheet keeps its files.

Precedence for the data directory: ``--data-dir``, then ``BROADSHEET_HOME``, then
``data_dir`` in the config file, then the platform's user data directory.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from .errors import ConfigError

APP_NAME = "broadsheet"
DATA_DIR_ENV = "BROADSHEET_HOME"
DATABASE_NAME = "broadsheet.sqlite3"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How much one fetch may cost; the defaults suit a desktop refreshing hundreds of feeds.

    ``core.fetch`` takes these as its ``FetchLimits``.
    """

    concurrency: int = 16
    """Requests in flight at once, across all hosts."""
    per_host: int = 4
    """Requests in flight at once to one host (by scheme, host and port of the asked URL)."""
    connect_timeout: float = 10.0
    """Seconds to open the TCP (and TLS) connection."""
    read_timeout: float = 20.0
    """Longest silence, in seconds, while waiting for the headers or the next piece of body."""
    total_timeout: float = 60.0
    """Seconds for the whole fetch, redirects and body included, from when it gets its slot."""
    max_bytes: int = 20 * 1024 * 1024
    """Largest body accepted, counted after decompression."""
    max_redirects: int = 10
    interactive_deadline: float = 20.0
    """Seconds, all told, for network work a user waits on: ``add``, ``show URL``, opening a
    teaser's page, exports. Background refreshes keep the limits above."""


@dataclass(frozen=True, slots=True)
class ParseSettings:
    """Bounds on each feed parse; ``core.parsepool`` takes these as its ``ParseLimits``."""

    timeout: float = 20.0
    """Seconds per parse."""
    memory_mb: int = 1024
    """Address-space cap per worker process, in MiB; 0 for none."""
    workers: int | None = None
    """Worker processes; ``None`` for one per CPU."""


@dataclass(frozen=True, slots=True)
class FullTextSettings:
    """When to fetch an article's web page because the feed carries only a teaser."""

    min_words: int = 150
    """Fetch the page when the feed's text has fewer words than this; 0 never fetches."""
    per_feed: dict[str, int] = field(default_factory=dict)
    """Feed URL -> its own ``min_words``."""

    def threshold(self, feed_url: str) -> int:
        return self.per_feed.get(feed_url, self.min_words)


@dataclass(frozen=True, slots=True)
class RetentionSettings:
    """How long articles are kept. Bookmarked articles are always kept."""

    keep_days: int = 0
    """Remove articles older than this many days; 0 keeps them forever."""
    max_per_feed: int = 0
    """Keep at most this many articles per feed; 0 means no limit."""
    unread: bool = False
    """Whether unread articles past the limits go too."""
    per_feed: dict[str, dict[str, int]] = field(default_factory=dict)
    """Feed URL -> its own ``keep_days`` / ``max_per_feed``."""

    def limits(self, feed_url: str) -> tuple[int, int]:
        own = self.per_feed.get(feed_url, {})
        return own.get("keep_days", self.keep_days), own.get("max_per_feed", self.max_per_feed)

    @property
    def active(self) -> bool:
        return bool(self.keep_days or self.max_per_feed or self.per_feed)


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """``broadsheet serve``."""

    token: str | None = None
    """A fixed access token; None makes a new random one each run."""


MIN_TOKEN_LENGTH = 16
"""A configured token shorter than this is refused: it could be guessed."""


@dataclass(frozen=True, slots=True)
class StorySettings:
    """Grouping articles about one event (``[stories]``)."""

    window_hours: float = 72.0
    """Articles further apart than this are never one story."""
    mark_read_together: bool = True
    """Reading one version of a story marks the others read."""


@dataclass(frozen=True, slots=True)
class Config:
    """Everything configurable, with defaults that work out of the box."""

    data_dir: Path
    chosen_export_dir: Path | None = None
    """``export_dir`` from the settings file; None means the platform's default."""
    config_file: Path | None = None
    theme: str = "textual-dark"
    fetch: FetchSettings = field(default_factory=FetchSettings)
    parse: ParseSettings = field(default_factory=ParseSettings)
    full_text: FullTextSettings = field(default_factory=FullTextSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    export_full_text: bool = False
    """Whether exported Markdown/JSON files carry the article's whole text."""
    keys: dict[str, str] = field(default_factory=dict)
    stories: StorySettings = field(default_factory=StorySettings)
    rules: tuple[tuple[str, str], ...] = ()
    """``[[rules]]`` of the settings file: (query, action), checked when they are used."""
    """Binding id -> comma-separated keys, applied with ``App.set_keymap``."""
    serve: ServeSettings = field(default_factory=ServeSettings)

    @property
    def database_path(self) -> Path:
        return self.data_dir / DATABASE_NAME

    @property
    def export_dir(self) -> Path:
        # Resolved when something is exported: finding the Documents folder costs
        # platformdirs ~5 ms, which every other command would pay for nothing.
        return self.chosen_export_dir or default_export_dir()


def default_config_file() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME) / "config.toml"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


def default_export_dir() -> Path:
    from platformdirs import user_documents_path

    return user_documents_path() / "Broadsheet"


def load_config(
    config_file: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    environ: dict[str, str] | None = None,
) -> Config:
    """Read the config file (if any) and resolve paths; raise ConfigError on bad input."""
    environ = dict(os.environ) if environ is None else environ
    explicit = config_file is not None
    path = Path(config_file).expanduser() if explicit else default_config_file()
    raw: dict[str, Any] = {}
    if explicit or path.is_file():
        raw = _read_toml(path)
    else:
        path = None

    fetch = _section(raw.pop("fetch", {}), FetchSettings, "fetch")
    parse = _section(raw.pop("parse", {}), ParseSettings, "parse")
    full_text = _full_text(raw.pop("full_text", {}))
    retention = _retention(raw.pop("retention", {}))
    serve = _serve(raw.pop("serve", {}))
    keys = raw.pop("keys", {})
    stories = _stories(raw.pop("stories", {}))
    rules = _rules(raw.pop("rules", []))
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise ConfigError("config: [keys] must map binding names to key strings")
    theme = raw.pop("theme", "textual-dark")
    if not isinstance(theme, str):
        raise ConfigError("config: theme must be a string")
    file_data_dir = raw.pop("data_dir", None)
    file_export_dir = raw.pop("export_dir", None)
    export_full_text = raw.pop("export_full_text", False)
    if not isinstance(export_full_text, bool):
        raise ConfigError("config: export_full_text must be true or false")
    if raw:
        raise ConfigError(f"config: unknown setting {sorted(raw)[0]!r}")

    chosen = data_dir or environ.get(DATA_DIR_ENV) or file_data_dir
    resolved_data = _as_path(chosen, "data_dir") if chosen else default_data_dir()
    return Config(
        data_dir=resolved_data,
        chosen_export_dir=_as_path(file_export_dir, "export_dir") if file_export_dir else None,
        config_file=path,
        theme=theme,
        fetch=fetch,
        parse=parse,
        full_text=full_text,
        retention=retention,
        export_full_text=export_full_text,
        keys=dict(keys),
        serve=serve,
        stories=stories,
        rules=rules,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None


def _section(values: Any, cls: type[T], name: str) -> T:
    if not isinstance(values, dict):
        raise ConfigError(f"config: [{name}] must be a table")
    defaults = cls()
    known = {f.name: f for f in fields(cls)}
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"config: unknown setting {name}.{key}")
        wanted = type(getattr(defaults, key)) if getattr(defaults, key) is not None else int
        ok = isinstance(value, int | float) if wanted is float else isinstance(value, wanted)
        if isinstance(value, bool) or not ok or value <= 0:
            raise ConfigError(f"config: {name}.{key} must be a positive number")
        changes[key] = float(value) if wanted is float else value
    return replace(defaults, **changes)


def _full_text(values: Any) -> FullTextSettings:
    if not isinstance(values, dict):
        raise ConfigError("config: [full_text] must be a table")
    values = dict(values)
    per_feed = values.pop("per_feed", {})
    min_words = values.pop("min_words", FullTextSettings().min_words)
    if values:
        raise ConfigError(f"config: unknown setting full_text.{sorted(values)[0]}")
    if not isinstance(per_feed, dict):
        raise ConfigError("config: [full_text.per_feed] must map feed URLs to word counts")
    for name, value in [("min_words", min_words), *per_feed.items()]:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"config: full_text {name} must be a whole number, 0 or more")
    return FullTextSettings(min_words=min_words, per_feed=dict(per_feed))


def _serve(values: Any) -> ServeSettings:
    if not isinstance(values, dict):
        raise ConfigError("config: [serve] must be a table")
    values = dict(values)
    token = values.pop("token", None)
    if values:
        raise ConfigError(f"config: unknown setting serve.{sorted(values)[0]}")
    if token is not None and (
        not isinstance(token, str)
        or len(token) < MIN_TOKEN_LENGTH
        or not token.isascii()
        or not all(c.isalnum() or c in "-_." for c in token)
    ):
        raise ConfigError(
            f"config: serve.token must be at least {MIN_TOKEN_LENGTH} letters, digits, "
            "'-', '_' or '.'"
        )
    return ServeSettings(token=token)


def _retention(values: Any) -> RetentionSettings:
    if not isinstance(values, dict):
        raise ConfigError("config: [retention] must be a table")
    values = dict(values)
    per_feed = values.pop("per_feed", {})
    unread = values.pop("unread", False)
    numbers = {name: values.pop(name, 0) for name in ("keep_days", "max_per_feed")}
    if values:
        raise ConfigError(f"config: unknown setting retention.{sorted(values)[0]}")
    if not isinstance(unread, bool):
        raise ConfigError("config: retention.unread must be true or false")
    if not isinstance(per_feed, dict) or not all(isinstance(v, dict) for v in per_feed.values()):
        raise ConfigError("config: [retention.per_feed] must map feed URLs to tables")
    checked = [(f"retention.{k}", v) for k, v in numbers.items()]
    for url, limits in per_feed.items():
        for key, value in limits.items():
            if key not in ("keep_days", "max_per_feed"):
                raise ConfigError(f"config: unknown setting retention.per_feed.{key} for {url}")
            checked.append((f"retention.per_feed {url} {key}", value))
    for name, value in checked:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"config: {name} must be a whole number, 0 or more")
    return RetentionSettings(
        unread=unread, per_feed={k: dict(v) for k, v in per_feed.items()}, **numbers
    )


def _stories(values: Any) -> StorySettings:
    if not isinstance(values, dict):
        raise ConfigError("config: [stories] must be a table")
    values = dict(values)
    defaults = StorySettings()
    window = values.pop("window_hours", defaults.window_hours)
    together = values.pop("mark_read_together", defaults.mark_read_together)
    if values:
        raise ConfigError(f"config: unknown setting stories.{sorted(values)[0]}")
    if isinstance(window, bool) or not isinstance(window, int | float) or window <= 0:
        raise ConfigError("config: stories.window_hours must be a positive number")
    if not isinstance(together, bool):
        raise ConfigError("config: stories.mark_read_together must be true or false")
    return StorySettings(float(window), together)


def _rules(values: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(values, list):
        raise ConfigError('config: rules are [[rules]] tables with query = "..." and action')
    rules = []
    for number, rule in enumerate(values, start=1):
        if (
            not isinstance(rule, dict)
            or set(rule) != {"query", "action"}
            or not all(isinstance(v, str) for v in rule.values())
        ):
            raise ConfigError(
                f'config: rule {number} needs query = "..." and action = "hide", "read" '
                'or "tag:NAME", and nothing else'
            )
        rules.append((rule["query"], rule["action"]))
    return tuple(rules)


def _as_path(value: Any, name: str) -> Path:
    if not isinstance(value, str | os.PathLike):
        raise ConfigError(f"config: {name} must be a path")
    return Path(value).expanduser()
