"""freqtrade (DESIGN §8): `dialect.py` (the light descriptor `DIALECTS` lists), `config.py`
(loading and decoding as freqtrade does), `jsonc.py` (its JSON reader), `rows.py` (its caps and
remedies), `assessment.py` (its gates and words), `policy.py` (its rules)."""

from typing import Final

#: `config.dialect`, the `--dialect` choice: the one spelling of this system's name
NAME: Final = "freqtrade"
