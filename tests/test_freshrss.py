"""Issue 12's "done when", against a real FreshRSS on loopback (opt-in).

Runs when ``BROADSHEET_FRESHRSS_DIR`` names an unpacked FreshRSS tree (it is copied,
never changed) and ``php`` is installed (Debian: php-cli php-sqlite3 php-curl php-xml
php-mbstring php-intl php-zip php-gmp); skips otherwise. FreshRSS fetches feeds from
this suite's own loopback feed server.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.feedserver import small_rss
from tests.test_cli import assert_one_clean_line

SOURCE = os.environ.get("BROADSHEET_FRESHRSS_DIR")
pytestmark = pytest.mark.skipif(
    not SOURCE or not shutil.which("php"),
    reason="set BROADSHEET_FRESHRSS_DIR to an unpacked FreshRSS tree (and install php-cli)",
)
USER, API_PASSWORD = "reader", "api-pass-123"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FreshRSS:
    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.server: subprocess.Popen | None = None

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/greader.php"

    def php(self, *args: str) -> str:
        done = subprocess.run(
            ["php", *args], cwd=self.root, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def start(self) -> None:
        self.server = subprocess.Popen(
            ["php", "-S", f"127.0.0.1:{self.port}", "-t", "p"],
            cwd=self.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("php -S did not start")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(10)
            self.server = None

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.root / "data" / "users" / USER / "db.sqlite")

    def actualize(self) -> None:
        """Make FreshRSS fetch every feed again, now."""
        for cached in (self.root / "data" / "cache").glob("*.spc"):
            cached.unlink()
        with self.db() as db:
            db.execute("UPDATE feed SET lastUpdate = 1")
        self.php("cli/actualize-user.php", "--user", USER)

    def api_write(self, item_id: int, state: str) -> None:
        """A change made on the server by another client, through the same API."""
        login = urllib.parse.urlencode({"Email": USER, "Passwd": API_PASSWORD}).encode()
        with urllib.request.urlopen(f"{self.api}/accounts/ClientLogin", login) as answer:
            auth = answer.read().decode().split("Auth=")[1].strip()
        headers = {"Authorization": f"GoogleLogin auth={auth}"}
        request = urllib.request.Request(f"{self.api}/reader/api/0/token", headers=headers)
        with urllib.request.urlopen(request) as answer:
            token = answer.read().decode().strip()
        form = urllib.parse.urlencode({"T": token, "i": str(item_id), "a": state}).encode()
        request = urllib.request.Request(f"{self.api}/reader/api/0/edit-tag", form, headers)
        with urllib.request.urlopen(request) as answer:
            assert answer.read() == b"OK"


@pytest.fixture
def freshrss(tmp_path, feed_server):
    root = tmp_path / "freshrss"
    shutil.copytree(SOURCE, root, ignore=shutil.ignore_patterns("users", "config.php", ".git"))
    (root / "data" / "users").mkdir(exist_ok=True)
    shutil.copytree(Path(SOURCE) / "data" / "users" / "_", root / "data" / "users" / "_")
    port = free_port()
    server = FreshRSS(root, port)
    server.php("cli/prepare.php")
    server.php(
        "cli/do-install.php",
        "--default-user",
        "admin",
        "--api-enabled",
        "--db-type",
        "sqlite",
        "--base-url",
        f"http://127.0.0.1:{port}/",
    )
    outlines = []
    for n in range(3):
        path = f"frss-{n}.xml"
        feed_server.set_route(path, small_rss(f"Feed {n}", 5, link=f"https://f{n}.example/"))
        outlines.append(f'<outline type="rss" text="Feed {n}" xmlUrl="{feed_server.url(path)}"/>')
    (root / "data" / "opml.xml").write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        f'<outline text="Farm">{"".join(outlines)}</outline></body></opml>'
    )
    server.php(
        "cli/create-user.php",
        "--user",
        USER,
        "--password",
        "pass-123456",
        "--api-password",
        API_PASSWORD,
    )
    server.php("cli/actualize-user.php", "--user", USER)
    server.start()
    yield server
    server.stop()


def setup(cli, freshrss: FreshRSS, password: str):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "--config",
            str(cli.config),
            "sync",
            "setup",
            freshrss.api,
            "--user",
            USER,
            "--password-stdin",
        ],
        input=password + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "BROADSHEET_HOME": cli.home},
    )


@pytest.fixture
def cli(cli, data_dir):
    cli.home = str(data_dir)
    return cli


def test_done_when_against_a_real_freshrss(cli, freshrss, feed_server):
    # Setup with a wrong and then the right password.
    wrong = setup(cli, freshrss, "wrong")
    assert wrong.returncode == 1
    assert_one_clean_line(wrong.stderr)
    assert setup(cli, freshrss, API_PASSWORD).returncode == 0

    # A first sync stores every item and shows the server's subscriptions.
    first = cli("sync", "--json")
    assert first.code == 0, first.stderr
    with freshrss.db() as db:
        on_server = db.execute("SELECT count(*) FROM entry").fetchone()[0]
    assert first.json()["received"] == on_server == 15
    feeds = [f for f in cli("feeds", "--json").json() if f["url"].startswith("http")]
    assert len(feeds) == 3 and all(f["tags"] == ["Farm"] for f in feeds)

    # A read and a bookmark made locally show up on the server.
    articles = [a for a in cli("articles", "--json").json() if a["feed_url"].startswith("http")]
    read, kept, server_read, server_starred = articles[:4]
    cli("mark", str(read["id"]), "--read")
    cli("bookmark", str(kept["id"]), "--note", "mine")
    assert cli("sync", "--json").json()["sent"] == 2
    with freshrss.db() as db:
        state = dict(
            (link, (r, f))
            for link, r, f in db.execute("SELECT link, is_read, is_favorite FROM entry")
        )
        ids = dict(db.execute("SELECT link, id FROM entry"))
    assert state[read["link"]][0] == 1 and state[kept["link"]][1] == 1

    # A read and a star made on the server show up locally.
    freshrss.api_write(ids[server_read["link"]], "user/-/state/com.google/read")
    freshrss.api_write(ids[server_starred["link"]], "user/-/state/com.google/starred")
    assert cli("sync", "--json").json()["updated"] == 2
    now = {a["id"]: a for a in cli("articles", "--json").json()}
    assert now[server_read["id"]]["read"] and now[server_starred["id"]]["bookmarked"]

    # With the server stopped, a sync exits 1 with one line and the change waits.
    freshrss.stop()
    cli("mark", str(read["id"]), "--unread")
    offline = cli("sync")
    assert offline.code == 1
    assert_one_clean_line(offline.stderr)
    assert cli("sync", "status", "--json").json()["pending"] == 1
    freshrss.start()
    back = cli("sync", "--json").json()
    assert back["sent"] == 1 and back["pending"] == 0
    with freshrss.db() as db:
        assert (
            db.execute("SELECT is_read FROM entry WHERE link = ?", (read["link"],)).fetchone()[0]
            == 0
        )

    # New items fetched by FreshRSS arrive on the next sync, and only they are downloaded.
    feed_server.set_route("frss-0.xml", small_rss("Feed 0", 8, link="https://f0.example/"))
    freshrss.actualize()
    assert cli("sync", "--json").json()["received"] == 3
