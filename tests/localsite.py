"""A local web site for the tests that fetch (geo.watch, the app's "Follow a feed"): a real
HTTP server on 127.0.0.1 (http.server in a thread, port 0) that logs every request."""

from __future__ import annotations

import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def html(*paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<!doctype html><html><head><title>News</title></head><body><nav>Home</nav>" \
           f"<article>{body}</article></body></html>".encode()


def rss(site: Site, *entries: tuple[str, ...]) -> bytes:
    """An RSS feed whose items link to pages of ``site``: (path, title, summary[, pubDate]) each."""
    items = "".join(f"<item><title>{t}</title><link>{site.url}{p}</link><description>{s}</description>"
                    + "".join(f"<pubDate>{d}</pubDate>" for d in rest) + "</item>"
                    for p, t, s, *rest in entries)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{items}' \
           f"</channel></rss>".encode()


Route = Callable[[BaseHTTPRequestHandler], None]


class Site:
    """A local web site: ``routes`` maps a path to what answers it; ``requests`` logs
    (path, headers) of every request, in order."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append((self.path, dict(self.headers)))
                route = site.routes.get(self.path)
                try:
                    if route is None:
                        self.send_error(404, "Not Found")
                    else:
                        route(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading (a size limit): fine

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]

    def serve(self, path: str, body: bytes, ctype: str = "text/html; charset=utf-8",
              etag: str | None = None) -> None:
        """``path`` answers ``body``; with ``etag``, a request sending it back gets 304."""
        def route(h: BaseHTTPRequestHandler) -> None:
            if etag and h.headers.get("If-None-Match") == etag:
                h.send_response(304)
                h.send_header("ETag", etag)
                h.end_headers()
                return
            h.send_response(200)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            if etag:
                h.send_header("ETag", etag)
            h.end_headers()
            h.wfile.write(body)
        self.routes[path] = route

    def feed(self, path: str, *entries: tuple[str, ...], etag: str | None = None) -> str:
        self.serve(path, rss(self, *entries), "application/rss+xml", etag)
        return self.url + path
