"""The request guard in front of Streamlit, called as an ASGI app (no server): in local mode it
answers only requests addressed to this computer; in sign-in mode it lets everything through."""

import asyncio
import logging

import pytest

from flightdeck.app import host_guard

PORT = 8501


def _scope(kind: str, host: str | None, origin: str | None = None, client="127.0.0.1"):
    headers = [(b"user-agent", b"test")]
    if host is not None:
        headers.append((b"host", host.encode("latin-1")))
    if origin is not None:
        headers.append((b"origin", origin.encode("latin-1")))
    return {
        "type": kind,
        "path": "/_stcore/stream" if kind == "websocket" else "/",
        "headers": headers,
        "client": (client, 50000) if client else None,
    }


def _call(scope, local: bool = True) -> tuple[list[str], list[dict]]:
    """Run the guard over one request: what reached Streamlit, and what was sent back."""
    reached: list[str] = []
    sent: list[dict] = []

    async def streamlit(scope, receive, send):
        reached.append(scope["type"])

    async def receive():
        return {"type": "websocket.connect"} if scope["type"] == "websocket" else {}

    async def send(message):
        sent.append(message)

    guard = host_guard.LocalOnly(
        streamlit, local_mode=lambda: local, port=lambda: PORT, scheme=lambda: "http"
    )
    asyncio.run(guard(scope, receive, send))
    return reached, sent


@pytest.mark.parametrize("kind", ["http", "websocket"])
@pytest.mark.parametrize(
    "host, origin",
    [("127.0.0.1:8501", "http://127.0.0.1:8501"), ("localhost:8501", None), ("[::1]:8501", None)],
)
def test_requests_addressed_to_this_computer_reach_streamlit(kind, host, origin):
    assert _call(_scope(kind, host, origin)) == ([kind], [])


@pytest.mark.parametrize(
    "host, origin",
    [
        ("evil.example:8501", "http://evil.example:8501"),
        ("localhost:8501", "http://evil.example:8501"),
        ("localhost:8502", None),
        (None, None),
    ],
)
def test_a_foreign_http_request_gets_403_and_one_plain_sentence(host, origin, caplog):
    with caplog.at_level(logging.WARNING, logger="flightdeck.app.host_guard"):
        reached, sent = _call(_scope("http", host, origin))
    assert reached == []
    assert sent[0]["status"] == 403
    assert (b"content-type", b"text/plain; charset=utf-8") in sent[0]["headers"]
    body = sent[1]["body"].decode()
    assert body.count("\n") == 1 and body.startswith("This flight deck is in local mode")
    assert f"addressed to {host!r}" in caplog.text


def test_a_foreign_websocket_is_closed_before_its_handshake_completes():
    reached, sent = _call(_scope("websocket", "evil.example:8501", "http://evil.example:8501"))
    assert reached == []
    assert [m["type"] for m in sent] == ["websocket.close"]
    assert sent[0]["code"] == host_guard.POLICY_VIOLATION


def test_a_request_from_another_computer_is_refused():
    reached, sent = _call(_scope("http", "localhost:8501", client="192.168.1.20"))
    assert reached == [] and sent[0]["status"] == 403


def test_sign_in_mode_lets_every_request_through():
    # The deployment's proxy and server.allowedHosts decide which names are served.
    for kind in ("http", "websocket"):
        scope = _scope(kind, "flightdeck.force.example", "https://flightdeck.force.example")
        assert _call(scope, local=False) == ([kind], [])


def test_lifespan_messages_pass_untouched():
    assert _call({"type": "lifespan"}) == (["lifespan"], [])
