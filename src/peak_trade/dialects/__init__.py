"""Config dialects: `select` (which system a config belongs to, and loading it), `freqtrade`,
`jsonc` (freqtrade's JSON with comments). Peak_Trade's own dialect lives in `core.config`."""
