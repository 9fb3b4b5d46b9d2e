"""The `flightdeck` command line: `main` builds the parser from the command groups (`loads`,
`results`, `synthetic`, `peers`, `audit`), which share `common`."""
