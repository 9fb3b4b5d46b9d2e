"""The DuckDB store: opening it (`connection`, and `busy` while another process holds it),
loading extracts all or nothing (`loads`, with what they change in `changes`), and the loads
history with rollback (`history`)."""
