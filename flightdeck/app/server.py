"""The dashboard's server: Streamlit serving `app.py` behind the flight deck's own guards.

Start it from the folder holding `.streamlit/` (the checkout; Streamlit reads `config.toml` and
`secrets.toml` from the current folder) with

    streamlit run flightdeck/app/server.py --server.address 127.0.0.1 --server.port 8501

(`./scripts/dashboard` does). `streamlit run` finds the `app = st.App(...)` below and serves it
through uvicorn with:

* `host_guard.LocalOnly` in front: in local mode a request not addressed to this computer (a
  DNS rebinding attack) is refused before Streamlit sees it;
* `errors.on_script_error`: an exception that escapes a page shows one sentence with a
  reference to the server log, not Streamlit's exception box.

`streamlit run app.py` still works (the page gate checks the Host and Origin of every page too)
but has neither the middleware nor the error handler for widget callbacks.
"""

import logging

import streamlit as st
from starlette.middleware import Middleware

from flightdeck import files, resources
from flightdeck.app import errors, host_guard

MIDDLEWARE = [Middleware(host_guard.LocalOnly)]


def log_to_stderr() -> None:
    """Send the product's log lines (refused requests, errors with their reference) to the
    server's standard error with time and level, unless logging is already set up."""
    product = logging.getLogger("flightdeck")
    if product.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    product.addHandler(handler)
    product.setLevel(logging.INFO)


log_to_stderr()
files.private_umask()  # the store's files, its log and spill folder: owner-only

app = st.App(
    resources.app_script(),
    middleware=MIDDLEWARE,
    on_script_error=errors.on_script_error,
)

if __name__ == "__main__":
    app.run()  # `python -m flightdeck.app.server`: the same server, settings from config.toml
