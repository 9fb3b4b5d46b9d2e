"""Local mode answers only requests addressed to this computer: an ASGI middleware in front of
Streamlit (installed by `flightdeck.app.server`).

A foreign web page can reach a server on 127.0.0.1 through DNS rebinding: its site's name is
made to resolve to 127.0.0.1, so the browser's requests come from loopback, yet they still name
the foreign site in their Host and Origin headers. In local mode (no sign-in configured) every
HTTP request and websocket whose Host, Origin or client address is not this computer's own
(`identity.local_request_refusal`) is refused before Streamlit sees it: HTTP with 403 and one
plain sentence, a websocket by closing it before the handshake completes (the browser sees 403).

In sign-in mode requests pass untouched: people reach the server through the deployment's own
host name, so the deployment's proxy and Streamlit's `server.allowedHosts` decide which names
are served, and every page still requires a signed-in person with a role.
"""

import logging
from collections.abc import Callable

import streamlit as st
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocketClose

from flightdeck.access import identity, signin

LOG = logging.getLogger(__name__)

# WebSocket close code 1008: policy violation.
POLICY_VIOLATION = 1008


def _configured_port() -> int:
    # Read per request: when the configured port is taken, Streamlit moves to the next free
    # one and records it in server.port.
    return int(st.get_option("server.port"))


class LocalOnly:
    """ASGI middleware: in local mode, refuse every request not addressed to this computer.

    `local_mode` and `port` are read for each request (defaults: no `[auth]` in the secrets,
    and Streamlit's `server.port`), so a change to the secrets takes effect without a restart.
    """

    def __init__(
        self,
        app: ASGIApp,
        local_mode: Callable[[], bool] = signin.is_local_mode,
        port: Callable[[], int] = _configured_port,
        scheme: Callable[[], str] = signin.server_scheme,
    ) -> None:
        self.app = app
        self._local_mode = local_mode
        self._port = port
        self._scheme = scheme

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not self._local_mode():
            await self.app(scope, receive, send)
            return
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in scope.get("headers", [])
        ]
        client = scope.get("client")
        refusal = identity.local_request_refusal(
            headers, self._port(), client[0] if client else None, self._scheme()
        )
        if refusal is None:
            await self.app(scope, receive, send)
            return
        host = next((value for name, value in headers if name.lower() == "host"), None)
        # %r: the header is the requester's text; quoted, it cannot forge a log line.
        LOG.warning("local mode refused a %s request addressed to %r", scope["type"], host)
        if scope["type"] == "websocket":
            await WebSocketClose(code=POLICY_VIOLATION, reason="not addressed to this computer")(
                scope, receive, send
            )
        else:
            await PlainTextResponse(refusal + "\n", status_code=403)(scope, receive, send)
