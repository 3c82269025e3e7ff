#!/usr/bin/env python3
"""A feed server for bench/feeds.sh: N feeds of M items on 127.0.0.1.

Serves /feed/<i>.xml (RSS 2.0, each with an ETag and Last-Modified, answering
304 to a matching If-None-Match or If-Modified-Since) with HTTP/1.1
keep-alive. Writes the port it bound to the file given, and stops by itself
after --max-seconds so a broken run never leaves it behind.
"""
import argparse
import hashlib
import http.server
import threading

LAST_MODIFIED = "Tue, 05 Mar 2024 09:00:00 GMT"


def make_feed(i, items, port):
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        # The site is this server (its favicon is looked for once, and is a 404);
        # the stories' links are never fetched (no full text in the bench).
        f"<title>Bench feed {i}</title><link>http://127.0.0.1:{port}/site/{i}/</link>",
        "<description>A generated feed</description>",
    ]
    for j in range(items):
        parts.append(
            f"<item><title>Feed {i} story {j}: the harbour committee meets again</title>"
            f"<link>http://bench.invalid/{i}/story/{j}</link><guid>bench-{i}-{j}</guid>"
            f"<pubDate>Tue, 05 Mar 2024 09:{j % 60:02d}:00 GMT</pubDate>"
            f"<description>&lt;p&gt;Story {j} of feed {i}. The committee met on Tuesday to weigh "
            f"the proposal for a new ferry terminal, and residents filled the hall to argue "
            f"for and against it at length.&lt;/p&gt;&lt;p&gt;Supporters said it would bring "
            f"visitors all year; opponents worried about traffic.&lt;/p&gt;</description></item>"
        )
    parts.append("</channel></rss>")
    body = "".join(parts).encode()
    return body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=500)
    ap.add_argument("--items", type=int, default=50)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--max-seconds", type=int, default=1800)
    args = ap.parse_args()
    feeds = {}
    counts = {"200": 0, "304": 0, "404": 0}
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def do_GET(self):
            if self.path == "/stats":
                body = f"{counts['200']} {counts['304']} {counts['404']}".encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            found = feeds.get(self.path)
            if found is None:
                with lock:
                    counts["404"] += 1
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body, etag = found
            if (
                self.headers.get("If-None-Match") == etag
                or self.headers.get("If-Modified-Since") == LAST_MODIFIED
            ):
                with lock:
                    counts["304"] += 1
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            with lock:
                counts["200"] += 1
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    feeds.update({f"/feed/{i}.xml": make_feed(i, args.items, port) for i in range(args.feeds)})
    with open(args.port_file, "w") as f:
        f.write(str(server.server_address[1]))
    threading.Timer(args.max_seconds, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
