"""Hummingbot (DESIGN §9): `dialect.py` (the light descriptor `DIALECTS` lists), `layout.py` (an
instance's directory layout, paths only), `yamlio.py` (its YAML read with the parsers Hummingbot
uses), `config.py` (finding the config that runs, decoding it as Hummingbot does), `rows.py`
(its connectors, caps and their enforcement), `assessment.py` (its gates and words), `policy.py`
(its rules)."""

from typing import Final

#: `config.dialect`, the `--dialect` choice: the one spelling of this system's name
NAME: Final = "hummingbot"
