"""Comparing with other forces: peer groups (`groups`), small-number suppression
(`suppression`), exporting and importing results (`export`, `imports`, checked by
`results_file`), what can be compared (`comparable`) and the comparison itself (`comparison`)."""
