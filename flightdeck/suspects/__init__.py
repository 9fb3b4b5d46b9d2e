"""Suspect management for analysts: the repeat-suspect lists (highest frequency, highest harm,
RFG threat score), a suspect's history for a tasking meeting, and the harm weights and score
configuration they read. Pseudonymised suspect ids are shown here and nowhere else: every read
checks the analyst's role on the server and is audited."""
