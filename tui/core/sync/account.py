"""The saved sync account: server address, user name and auth token, never the password.

It lives in ``sync.json`` in the data directory, readable by its owner alone. The
token is what ClientLogin gave; with it a stolen file opens the reader's account on
that server, but not the user's password.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import SyncError

ACCOUNT_FILE = "sync.json"


@dataclass(frozen=True, slots=True)
class Account:
    url: str
    user: str
    auth: str


def account_path(data_dir: Path) -> Path:
    return data_dir / ACCOUNT_FILE


def load_account(data_dir: Path) -> Account | None:
    """The saved account, or None when sync is not set up."""
    path = account_path(data_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Account(str(data["url"]), str(data["user"]), str(data["auth"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SyncError(
            f"cannot read the sync account {path} ({exc}); run `broadsheet sync setup` again"
        ) from None


def save_account(data_dir: Path, account: Account) -> Path:
    """Write the account atomically with owner-only permissions (0600)."""
    path = account_path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".sync-", dir=data_dir)  # mode 0600
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump(asdict(account), file)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise SyncError(f"cannot save the sync account in {data_dir}: {exc.strerror}") from None
    return path


def forget_account(data_dir: Path) -> bool:
    """Delete the saved account; False when there was none."""
    try:
        account_path(data_dir).unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise SyncError(f"cannot remove {account_path(data_dir)}: {exc.strerror}") from None
    return True
