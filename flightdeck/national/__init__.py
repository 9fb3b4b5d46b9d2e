"""Published national figures: the Home Office's police recorded crime and outcomes open-data
tables (ODS, XLSX or CSV, one sheet per financial year), rape and other sexual offence rows
only, imported all or nothing (`imports`), read and checked sheet by sheet (`workbook`,
`columns`, `values`, `sheets`, `published_file`, `report`), with force names mapped to the
reference ids (`force_names`); and the figures that compare every force with them
(`measures`, `figures`). See docs/national.md."""
