"""The one data layer the pages use: short-lived connections (`db`), cached reads (`reads` for
the flight deck, detail, quality and load pages; `peers` for the compare and peer-group pages)
and the one gate for every change and download (`actions`). Pages never open the database."""
