"""Reading and validating extracts: the file (`csvfile`), its rows (`rows`), its header
(`header`), the typing SQL (`typed_sql`, trimming what `whitespace` finds), the row rules (`rules`,
run by the pandera `schema`), the report (`report`), and the whole check (`contract`). `uploads`
turns away what is not a CSV before any reading."""
