"""What the pages and the board pack show, as pure functions: words for figures (`formatting`),
the look (`style`), the tiles (`tiles`), the charts (`spc_charts`, `breakdown_charts`,
`quality_charts`, `peer_charts`) and the board pack (`board_pack`)."""
