"""The benchmarks' load generator reads a real server's answers as a browser would: the status, the page and
every cookie set, and it sends what the server needs to accept a form."""

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.load import _exchange


class _School(BaseHTTPRequestHandler):
    received: list[tuple[str, str, str, bytes]] = []

    def do_GET(self) -> None:
        page = 'Форма <input name="started" value="s1">'.encode()
        self.send_response(200)
        self.send_header("Set-Cookie", "csrftoken=abc; Path=/")
        self.send_header("Set-Cookie", "lang=ru; Path=/")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _School.received.append((self.path, self.headers["Content-Type"], self.headers["X-Forwarded-For"], body))
        self.send_response(302)
        self.send_header("Location", "/o/bench/done/")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _School)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_page_comes_back_with_its_status_and_every_cookie(port: int) -> None:
    status, page, cookies = _exchange(port, "GET", "/o/bench/")
    assert (status, page) == (200, 'Форма <input name="started" value="s1">')
    assert cookies == "csrftoken=abc; Path=/, lang=ru; Path=/"


def test_a_form_is_posted_with_its_body_and_headers(port: int) -> None:
    status, page, _ = _exchange(port, "POST", "/o/bench/", "author_name=%D0%9C", {"X-Forwarded-For": "10.0.0.7"})
    assert (status, page) == (302, "")
    assert _School.received[-1] == ("/o/bench/", "application/x-www-form-urlencoded", "10.0.0.7", b"author_name=%D0%9C")


def test_a_server_that_closes_without_answering_is_an_error() -> None:
    import http.client

    listener = socket.create_server(("127.0.0.1", 0))

    def hang_up() -> None:
        connection = listener.accept()[0]
        connection.recv(65536)  # the whole request, so the close is a clean one
        connection.close()

    threading.Thread(target=hang_up, daemon=True).start()
    with pytest.raises(http.client.BadStatusLine):
        _exchange(listener.getsockname()[1], "GET", "/")
    listener.close()


def test_the_client_ends_its_side_once_the_request_is_sent_so_the_server_need_not_wait_for_its_close() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    heard: list[bytes] = []

    def answer_at_end_of_input() -> None:
        connection = listener.accept()[0]
        connection.settimeout(5)
        while chunk := connection.recv(65536):  # returns b"" only once the client has ended its side
            heard.append(chunk)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        connection.close()

    threading.Thread(target=answer_at_end_of_input, daemon=True).start()
    assert _exchange(listener.getsockname()[1], "GET", "/")[:2] == (200, "ok")
    assert b"".join(heard).startswith(b"GET / HTTP/1.1\r\n")
    listener.close()
