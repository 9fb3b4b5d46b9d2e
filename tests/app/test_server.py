"""The real server, started as `./scripts/dashboard` starts it (`streamlit run
flightdeck/app/server.py`) on a free loopback port: in local mode, HTTP requests and websockets
addressed to another site or port are refused before Streamlit answers (DNS rebinding), and
those addressed to this computer are served. No browser: raw HTTP and a websocket client."""

import http.client
import socket

import pytest
from streamlit.web.server.app_discovery import discover_asgi_app
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from helpers.server import LAUNCHER, serving

REFUSAL_START = "This flight deck is in local mode and answers only requests addressed"


def _get(port: int, path: str = "/", **headers: str) -> tuple[int, str]:
    """GET over HTTP/1.1 to 127.0.0.1:port, with the Host and Origin headers given."""
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        con.putrequest("GET", path, skip_host="Host" in headers)
        for name, value in headers.items():
            con.putheader(name, value)
        con.endheaders()
        response = con.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        con.close()


@pytest.fixture(scope="module")
def port(tmp_path_factory):
    """The dashboard in local mode (the checkout's settings, no sign-in configured)."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    with serving(log.with_suffix(".duckdb"), log) as port:
        yield port


def _websocket(port: int, host: str, origin: str | None):
    """Open Streamlit's websocket through 127.0.0.1, naming `host` in the handshake."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return connect(f"ws://{host}/_stcore/stream", sock=sock, origin=origin, proxy=None)


def test_streamlit_run_finds_the_launchers_app():
    found = discover_asgi_app(LAUNCHER)
    assert found.is_asgi_app and found.app_name == "app"  # served with its middleware


def test_the_page_is_served_to_this_computer(port):
    for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
        status, body = _get(port, Host=host)
        assert status == 200 and "<noscript>" in body
    status, _ = _get(port, Host=f"localhost:{port}", Origin=f"http://localhost:{port}")
    assert status == 200


@pytest.mark.parametrize(
    "host, origin",
    [
        ("evil.example:{port}", None),
        ("evil.example:{port}", "http://evil.example:{port}"),
        ("127.0.0.1:{port}", "http://evil.example:{port}"),
        ("localhost:{other}", None),
        ("localhost.evil.example:{port}", None),
    ],
)
def test_http_requests_for_another_site_or_port_get_403(port, host, origin):
    fill = {"port": port, "other": port + 1}
    headers = {"Host": host.format(**fill)}
    if origin:
        headers["Origin"] = origin.format(**fill)
    status, body = _get(port, **headers)
    assert status == 403
    assert body.startswith(REFUSAL_START) and body.count("\n") == 1
    assert "<noscript>" not in body


def test_a_websocket_from_this_computer_is_accepted(port):
    with _websocket(port, f"127.0.0.1:{port}", f"http://127.0.0.1:{port}") as ws:
        assert ws.protocol.state.name == "OPEN"


@pytest.mark.parametrize(
    "host, origin",
    [
        ("evil.example:{port}", "http://evil.example:{port}"),  # after a DNS rebinding
        ("127.0.0.1:{port}", "http://evil.example:{port}"),
        ("localhost:{other}", "http://localhost:{other}"),  # Streamlit's allowedHosts: any port
        ("127.0.0.1:{port}", "null"),
    ],
)
def test_websockets_for_another_site_or_port_are_refused(port, host, origin):
    fill = {"port": port, "other": port + 1}
    with pytest.raises(InvalidStatus) as refused:
        _websocket(port, host.format(**fill), origin.format(**fill))
    assert refused.value.response.status_code == 403


def _raw_handshake(port: int, version: str) -> bytes:
    """A websocket handshake without a Host header; the first line of the answer."""
    request = (
        f"GET /_stcore/stream HTTP/{version}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        return sock.recv(4096).split(b"\r\n")[0]


def test_a_websocket_without_host_is_refused(port):
    # HTTP/1.1 requires Host: uvicorn (h11) refuses the request itself, before any app code.
    assert _raw_handshake(port, "1.1") == b"HTTP/1.1 400 Bad Request"
    # HTTP/1.0 does not, and uvicorn would upgrade it: the guard refuses it.
    assert _raw_handshake(port, "1.0") == b"HTTP/1.1 403 Forbidden"


def test_sign_in_mode_leaves_host_names_to_the_deployment(tmp_path):
    # A deployment folder with sign-in configured: the guard lets its host name through (the
    # proxy and server.allowedHosts govern), and the page itself then asks for a sign-in.
    settings = tmp_path / ".streamlit"
    settings.mkdir()
    (settings / "secrets.toml").write_text(
        '[auth]\nredirect_uri = "https://flightdeck.force.example/oauth2callback"\n'
        'cookie_secret = "not-a-real-secret-only-for-tests"\nclient_id = "flightdeck"\n'
        'client_secret = "not-a-real-secret"\n'
        'server_metadata_url = "https://idp.force.example/.well-known/openid-configuration"\n'
    )
    with serving(tmp_path / "server.duckdb", tmp_path / "server.log", cwd=tmp_path) as port:
        status, body = _get(port, Host="flightdeck.force.example")
    assert status == 200 and "<noscript>" in body
