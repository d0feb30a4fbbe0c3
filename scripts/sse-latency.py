#!/usr/bin/env python3
"""Per-event latency of a server-sent event stream whose events carry their send time.

Usage: sse-latency.py URL [EXPECTED_EVENTS]

POSTs an empty multipart form (what `/stt/stream` expects; `synapse bench-upstream`'s `/stream`
drains and ignores it) and reads the answer on a raw socket, so the client adds as little as it
can. Each event is `data: {"i":N,"t":NANOSECONDS}` with `t` the upstream's CLOCK_MONOTONIC just
before it wrote the event (same machine, same clock as Python's `time.monotonic_ns()` on Linux).
An event's latency is the monotonic time right after the `recv` that completed it, minus `t`.
Prints one line: `events p50_us p99_us max_us`. Exits 1 when the status is not 200 or fewer
events than expected arrived.
"""
import re
import socket
import sys
import time
import urllib.parse

STAMP = re.compile(rb'"t":(\d+)')


class Dechunker:
    """HTTP/1.1 chunked transfer decoding, fed as bytes arrive."""

    def __init__(self):
        self.raw = b""
        self.left = 0  # data bytes left in the current chunk
        self.skip = 0  # the CRLF after a chunk's data
        self.done = False

    def feed(self, data):
        self.raw += data
        out = []
        while self.raw and not self.done:
            if self.skip:
                n = min(self.skip, len(self.raw))
                self.raw, self.skip = self.raw[n:], self.skip - n
            elif self.left:
                n = min(self.left, len(self.raw))
                out.append(self.raw[:n])
                self.raw, self.left = self.raw[n:], self.left - n
                if self.left == 0:
                    self.skip = 2
            else:
                end = self.raw.find(b"\r\n")
                if end < 0:
                    break
                size = int(self.raw[:end].split(b";")[0], 16)
                self.raw = self.raw[end + 2:]
                if size == 0:
                    self.done = True
                else:
                    self.left = size
        return b"".join(out)


def measure(url):
    parts = urllib.parse.urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    body = b"--bench--\r\n"
    head = (
        f"POST {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: text/event-stream\r\n"
        f"Content-Type: multipart/form-data; boundary=bench\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    sock = socket.create_connection((parts.hostname, parts.port or 80))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(head + body)
    received = b""
    while b"\r\n\r\n" not in received:
        data = sock.recv(65536)
        if not data:
            sys.exit(f"sse-latency: connection closed before the response head from {url}")
        received += data
    now = time.monotonic_ns()
    response_head, rest = received.split(b"\r\n\r\n", 1)
    status = response_head.split(b"\r\n", 1)[0]
    if b" 200" not in status:
        sys.exit(f"sse-latency: {url} answered {status.decode(errors='replace')}")
    chunked = b"transfer-encoding: chunked" in response_head.lower()
    dechunker = Dechunker() if chunked else None
    latencies = []
    pending = b""
    data = rest
    while True:
        pending += dechunker.feed(data) if chunked else data
        *events, pending = pending.split(b"\n\n")
        for event in events:
            match = STAMP.search(event)
            if match:
                latencies.append(now - int(match.group(1)))
        if chunked and dechunker.done:
            break
        data = sock.recv(65536)
        now = time.monotonic_ns()
        if not data:
            break
    sock.close()
    return latencies


def main():
    url = sys.argv[1]
    expected = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    latencies = sorted(measure(url))
    if not latencies or len(latencies) < expected:
        sys.exit(f"sse-latency: {len(latencies)} events from {url}, expected {expected}")

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] / 1000

    print(f"{len(latencies)} {percentile(50):.1f} {percentile(99):.1f} {latencies[-1] / 1000:.1f}")


if __name__ == "__main__":
    main()
