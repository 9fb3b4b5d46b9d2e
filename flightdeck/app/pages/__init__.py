"""One module per page, each with a `render()` that reads prepared data and draws it."""
