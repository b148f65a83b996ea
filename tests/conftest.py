"""Shared fixtures: a temporary data dir, the loopback feed server, the CLI as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh, empty Broadsheet home for one test."""
    home = tmp_path / "home"
    home.mkdir()
    return home


@pytest.fixture(scope="session")
def _server():
    from tests.feedserver import FeedServer

    with FeedServer(DATA) as server:
        yield server


@pytest.fixture(scope="session")
def tls_server(tmp_path_factory):
    """The same server over https, with a certificate from a private CA.

    ``tls_server.ca_file`` is that CA's certificate: give it to a client (for instance
    as ``SSL_CERT_FILE``) and the server is trusted; without it, it is not.
    """
    import ssl

    import trustme

    from tests.feedserver import FeedServer

    authority = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path_factory.mktemp("tls") / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    with FeedServer(DATA, tls=context) as server:
        server.ca_file = ca_file
        yield server


@pytest.fixture
def feed_server(_server):
    """A real HTTP server on 127.0.0.1 serving tests/data; its request log starts empty."""
    _server.reset()
    yield _server


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def cli(data_dir: Path, tmp_path: Path):
    """Run ``broadsheet`` in a subprocess against the test's data dir."""
    config = tmp_path / "config.toml"
    config.write_text("")

    def run(*args: str, timeout: float = 60, env: dict[str, str] | None = None) -> Result:
        environment = {**os.environ, "BROADSHEET_HOME": str(data_dir), **(env or {})}
        environment.pop("BROADSHEET_DEBUG", None)
        completed = subprocess.run(
            [sys.executable, "-m", "tui", "--config", str(config), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=environment,
            stdin=subprocess.DEVNULL,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    run.config = config
    return run


@pytest.fixture
def store(data_dir: Path) -> Iterator:
    from tui.core.store import Store

    with Store(data_dir / "test.sqlite3") as opened:
        yield opened
