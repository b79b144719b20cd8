"""NautilusTrader (DESIGN §10): `dialect.py` (the light descriptor `DIALECTS` lists), `config.py`
(reading and strictly decoding the JSON `TradingNodeConfig.parse` accepts and the Rust
`LiveNodeConfig` TOML), `adapters.py` (its venue adapters: where each one's orders go, its
credentials, its account type, the versions its fields belong to), `assessment.py` (its gates
and words), `policy.py` (its rules)."""

from typing import Final

#: `config.dialect`, the `--dialect` choice: the one spelling of this system's name
NAME: Final = "nautilus"
