"""Statistics for boards: SPC (XmR) charts and their signal rules (`spc`), funnel-plot limits
and intervals (`funnel`). Pure functions over plain numbers."""
