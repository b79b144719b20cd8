"""Peak_Trade (DESIGN §2, §3): `dialect.py` (the light descriptor `DIALECTS` lists), `config.py`
(finding, reading and strictly decoding its TOML and the bounded_live.toml overlay),
`assessment.py` (its gates, the seed's drills and its words), `policy.py` (its rules). Its rows
(`core.registry`) and settings types (`core.environment`) stay at the seed's module paths."""

from typing import Final

#: `config.dialect`, the `--dialect` choice: the one spelling of this system's name
NAME: Final = "peak_trade"
