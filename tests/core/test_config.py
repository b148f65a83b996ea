"""Settings and where files live."""

from __future__ import annotations

import pytest

from tui.core.config import load_config
from tui.core.errors import ConfigError


def test_data_dir_precedence(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text(f'data_dir = "{tmp_path / "from-file"}"\n')
    env = {"BROADSHEET_HOME": str(tmp_path / "from-env")}
    assert load_config(config, tmp_path / "flag", env).data_dir == tmp_path / "flag"
    assert load_config(config, None, env).data_dir == tmp_path / "from-env"
    assert load_config(config, None, {}).data_dir == tmp_path / "from-file"


def test_settings_are_read_and_checked(tmp_path):
    config = tmp_path / "c.toml"
    config.write_text(
        "theme = 'nord'\n[fetch]\nper_host = 32\ntotal_timeout = 5\n[keys]\nquit = 'x'\n"
    )
    loaded = load_config(config, tmp_path, {})
    assert loaded.fetch.per_host == 32
    assert loaded.fetch.total_timeout == 5.0
    assert loaded.theme == "nord"
    assert loaded.keys == {"quit": "x"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[fetch]\nper_host = 'many'\n", "fetch.per_host must be a positive number"),
        ("[fetch]\nper_host = -1\n", "fetch.per_host must be a positive number"),
        ("[fetch]\nspeed = 1\n", "unknown setting fetch.speed"),
        ("colour = 'red'\n", "unknown setting 'colour'"),
        ("[fetch\n", "not valid TOML"),
    ],
)
def test_bad_settings_name_the_problem(tmp_path, text, message):
    config = tmp_path / "c.toml"
    config.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(config, tmp_path, {})


def test_a_missing_config_file_named_explicitly_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml", tmp_path, {})
