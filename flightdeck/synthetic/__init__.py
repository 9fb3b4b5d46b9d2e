"""Synthetic data for fictional forces: the generator (`generator`, built from `victims`,
`investigations`, `cases` and `workforce`) and the built-in demo database (`demo`)."""
