"""Statistics for boards: SPC (XmR) charts and their signal rules (`spc`, `spc_rules`, with
their words and icons in `spc_words`, `spc_icons`), and funnel plots: the builder (`funnel`),
the limit formulas (`funnel_limits`) and the overdispersion test and adjustment (`dispersion`).
Pure functions over plain numbers; see docs/funnels.md for the funnel method."""
