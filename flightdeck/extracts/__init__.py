"""Reading and validating extracts: the file (`csvfile`), its rows (`rows`), its header
(`header`), the typing SQL (`typed_sql`, trimming what `whitespace` finds), the typed rows staged
in DuckDB (`staging`), the row rules written as SQL (`rules`, `suspect_rules`, in the vocabulary
of `schema`) and run where the rows are (`checks`), the report (`report`), and the whole check
(`contract`). `uploads` turns away what is not a CSV before any reading."""
