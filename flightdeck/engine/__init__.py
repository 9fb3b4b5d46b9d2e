"""The KPI engine: the catalogue of KPI definitions, the flight deck's 21 and the supplementary
measures S01..S06 (`catalogue`), their feasibility per force (`feasibility`), computing the
results table in SQL (`refresh`), reading and writing it (`results`), and the catalogue as a
documentation page (`docs`)."""
