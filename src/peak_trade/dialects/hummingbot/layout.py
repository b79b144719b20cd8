"""A Hummingbot instance on disk, by paths alone (no file is parsed here).

An instance is a directory holding `conf/` (Hummingbot's `settings.CONF_DIR_PATH`, with
`conf_client.yml`, `strategies/`, `scripts/`, `controllers/`, `connectors/`) and, for the `hbot`
command line, `data/bot/loaded.json`. `--config` may name the instance directory, its `conf/`
directory, or any file inside `conf/` (or `data/bot/loaded.json`): the instance root is found
upwards from it.
"""

from __future__ import annotations

import os
from typing import Final

CONF: Final = "conf"
CLIENT_FILE: Final = "conf_client.yml"
STRATEGIES: Final = "strategies"  # V1 strategy configs (`-f`, CONFIG_FILE_NAME)
SCRIPTS: Final = "scripts"  # V2 script configs (`--v2`, SCRIPT_CONFIG)
CONTROLLERS: Final = "controllers"  # V2 controller configs, named by a script
CONNECTORS: Final = "connectors"  # one file per connector, secrets encrypted
CONFIG_DIRS: Final = (STRATEGIES, SCRIPTS, CONTROLLERS)
LOADED: Final = os.path.join("data", "bot", "loaded.json")
_MARKERS: Final = (CLIENT_FILE, STRATEGIES, SCRIPTS, CONTROLLERS, CONNECTORS)
_YAML: Final = (".yml", ".yaml")


def _is_conf_dir(path: str) -> bool:
    return os.path.isdir(path) and any(
        os.path.exists(os.path.join(path, marker)) for marker in _MARKERS
    )


def instance_dir(path: str) -> str | None:
    """The instance root a directory argument names (the instance or its `conf/`), else None."""
    if not os.path.isdir(path):
        return None
    if _is_conf_dir(os.path.join(path, CONF)):
        return path
    if os.path.basename(os.path.normpath(path)) == CONF and _is_conf_dir(path):
        return os.path.dirname(os.path.normpath(path)) or "."
    return None


def root_of_file(path: str) -> str | None:
    """The instance root above a file: the parent of the nearest `conf/` directory holding it
    (a file in `conf/` or one folder below), or of `data/bot/` for `loaded.json`."""
    parts = os.path.normpath(path).split(os.sep)
    if parts[-3:] == ["data", "bot", "loaded.json"]:
        return os.sep.join(parts[:-3]) or "."
    if not path.endswith(_YAML):
        return None
    for up in (2, 3):  # conf/x.yml, conf/strategies/x.yml
        inside = up == 2 or parts[-2] in (*CONFIG_DIRS, CONNECTORS)
        if len(parts) >= up and parts[-up] == CONF and inside:
            return os.sep.join(parts[:-up]) or "."
    return None


def config_kind(path: str) -> str | None:
    """`strategies`, `scripts` or `controllers` for a config file in one of those folders."""
    parts = os.path.normpath(path).split(os.sep)
    if len(parts) >= 3 and parts[-3] == CONF and parts[-2] in CONFIG_DIRS and path.endswith(_YAML):
        return parts[-2]
    return None


def claims(path: str) -> bool:
    """A file of an instance's layout, by its path (detection reads no YAML)."""
    return root_of_file(path) is not None


def conf_path(root: str, *parts: str) -> str:
    return os.path.join(root, CONF, *parts)


def listed(root: str, folder: str) -> list[str]:
    """The files of one `conf/` folder as Hummingbot lists them, in name order: for connectors
    every regular file not starting with `_` or `.` (`config_helpers.list_connector_configs`,
    which `Security.decrypt_all` reads at login), elsewhere the `.yml` files
    (`cli/strategy_configs.list_configs`)."""
    directory = conf_path(root, folder)
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [
        os.path.join(directory, name)
        for name in names
        if (folder == CONNECTORS or name.endswith(".yml"))
        and not name.startswith(("_", "."))
        and os.path.isfile(os.path.join(directory, name))
    ]
