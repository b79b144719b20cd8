"""Peak_Trade (DESIGN §2, §3): `dialect.py` (the light descriptor `DIALECTS` lists),
`assessment.py` (its gates, the seed's drills and its words), `policy.py` (its rules). Its
decoding and loading live at the seed's module paths (`core.config`, `core.environment`)."""
