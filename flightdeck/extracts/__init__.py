"""Reading and validating extracts: the file (`csvfile`), its header (`header`), the typing SQL
(`typed_sql`), the row rules (`rules`, run by the pandera `schema`), the report (`report`), and
the whole check (`contract`). `uploads` turns away what is not a CSV before any reading."""
