"""The one data layer the pages use: short-lived connections and the data version (`db`),
cached reads (`deck` for the KPIs, `quality` for feasibility, completeness, loads and warnings,
`peers` for the compare and peer-group pages) and the one gate for every change and download
(`actions`). Pages never open the database."""
