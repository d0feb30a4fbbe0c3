"""Re-runs every attack of issue 12 ("Hardening") against a running Synapse and prints pass/fail.

Usage (via scripts/attack.sh): attack.py GATEWAY_URL CONTROL_URL [--pid PID] [--api-key KEY] [--synapse BIN]
  --pid      the gateway's process (RSS probes and the SIGTERM drain probe, last)
  --api-key  the key the gateway was started with (SYNAPSE_API_KEYS)
  --synapse  the binary, for `synapse config check` on an alias bomb
Each probe prints PASS or FAIL with what it saw; the exit code is the number of failures.
"""
import argparse
import functools
import hashlib
import json
import os
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

RESULTS = []


def probe(name):
    def wrap(fn):
        @functools.wraps(fn)
        def run(ctx):
            started = time.monotonic()
            try:
                ok, detail = fn(ctx)
            except Exception as error:  # a probe that blows up is a failure, not a crash of the script
                ok, detail = False, f"error: {error!r}"
            RESULTS.append(ok)
            print(f"{'PASS' if ok else 'FAIL'}  {name}  ({time.monotonic() - started:.1f} s) {detail}", flush=True)
        return run
    return wrap


class Context:
    def __init__(self, args):
        self.gateway = args.gateway.rstrip("/")
        self.control = args.control.rstrip("/")
        self.pid = args.pid
        self.key = args.api_key
        self.synapse = args.synapse
        parsed = urllib.parse.urlparse(self.gateway)
        self.host, self.port = parsed.hostname, parsed.port or 80

    def headers(self, extra=None):
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        headers.update(extra or {})
        return headers

    def request(self, method, path, body=None, headers=None, timeout=30):
        request = urllib.request.Request(self.gateway + path, data=body, method=method, headers=self.headers(headers))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def alive(self):
        started = time.monotonic()
        status, _, _ = self.request("GET", "/healthz", timeout=5)
        return status == 200, time.monotonic() - started

    def cpu_seconds(self):
        """User plus system CPU time of the gateway process so far."""
        if not self.pid:
            return None
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_kib(self):
        if not self.pid:
            return None
        with open(f"/proc/{self.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return None

    def raw(self, data, read=True, timeout=10):
        """Sends raw bytes on a new connection; returns the status line's code (0 if none)."""
        with socket.create_connection((self.host, self.port), timeout=timeout) as sock:
            sock.sendall(data)
            if not read:
                return 0
            return status_of(read_head(sock))


def read_head(sock):
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return data


def status_of(head):
    try:
        return int(head.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def wav(sample_rate, data, padding=0):
    """A 16-bit mono WAV; `padding` bytes of empty JUNK chunks (8 bytes each: the most chunks to walk) before the data."""
    fmt = struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, 1, sample_rate, sample_rate * 2, 2, 16)
    junk = struct.pack("<4sI", b"JUNK", 0) * (padding // 8)
    body = b"WAVE" + fmt + junk + struct.pack("<4sI", b"data", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def multipart(fields, boundary="synapseattack"):
    out = b""
    for name, value, filename in fields:
        out += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"".encode()
        if filename:
            out += f"; filename=\"{filename}\"\r\nContent-Type: audio/wav".encode()
        out += b"\r\n\r\n" + value + b"\r\n"
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def chunked_head(ctx, method, path, content_type, extra=""):
    auth = f"Authorization: Bearer {ctx.key}\r\n" if ctx.key else ""
    return (f"{method} {path} HTTP/1.1\r\nHost: {ctx.host}\r\n{auth}Content-Type: {content_type}\r\n"
            f"Transfer-Encoding: chunked\r\n{extra}\r\n").encode()


# MARK: One request kills the process

@probe("X-Mock-Fault: = does not kill the process")
def mock_fault_header(ctx):
    status, _, _ = ctx.request("POST", "/v1/embeddings", json.dumps({"input": "x", "model": "m"}).encode(),
                               {"Content-Type": "application/json", "X-Mock-Fault": "="})
    ok, _ = ctx.alive()
    return ok, f"answer {status}, alive {ok}"


@probe("/audio/convert with bitrate=1e300k does not kill the process")
def huge_bitrate(ctx):
    body, content_type = multipart([("file", wav(16000, b"\0\0" * 16000), "a.wav"), ("output_format", b"mp3", None),
                                    ("bitrate", b"1e300k", None)])
    status, _, _ = ctx.request("POST", "/audio/convert", body, {"Content-Type": content_type})
    ok, _ = ctx.alive()
    return ok, f"answer {status}, alive {ok}"


# MARK: CPU starvation

@probe("a WAV with 420 KiB of padding, sent in 512-byte chunks, costs no more than a plain one of its size")
def padded_wav(ctx):
    def upload(padding):
        # The same size either way: padding, or as many more bytes of audio.
        clip = wav(8000, b"\1\0" * (8000 * 6 + (420 * 1024 - padding) // 2), padding)
        body, content_type = multipart([("name", b"padded", None), ("files", clip, "padded.wav")])
        started = ctx.cpu_seconds() if ctx.pid else time.monotonic()
        with socket.create_connection((ctx.host, ctx.port), timeout=60) as sock:
            # Each 512-byte piece its own segment, so the gateway reads them one at a time.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            auth = f"Authorization: Bearer {ctx.key}\r\n" if ctx.key else ""
            sock.sendall((f"POST /voices HTTP/1.1\r\nHost: {ctx.host}\r\n{auth}Content-Type: {content_type}\r\n"
                          f"Content-Length: {len(body)}\r\n\r\n").encode())
            for offset in range(0, len(body), 512):
                sock.sendall(body[offset:offset + 512])
                time.sleep(0.0005)
            code = status_of(read_head(sock))
        return code, (ctx.cpu_seconds() if ctx.pid else time.monotonic()) - started
    plain_code, plain = upload(0)
    padded_code, padded = upload(420 * 1024)
    ok = padded_code == plain_code and padded < plain * 2 + 0.05
    what = "gateway CPU" if ctx.pid else "wall time (no --pid: the client's pacing dominates)"
    return ok, f"{what}: plain {plain_code} {plain:.2f} s, padded {padded_code} {padded:.2f} s"


# MARK: Memory

@probe("a 200 MB JSON body is refused (413) before it is read")
def big_json(ctx):
    head = (f"POST /v1/embeddings HTTP/1.1\r\nHost: {ctx.host}\r\nContent-Type: application/json\r\n"
            f"{'Authorization: Bearer ' + ctx.key + chr(13) + chr(10) if ctx.key else ''}Content-Length: 200000000\r\n\r\n").encode()
    before = ctx.rss_kib()
    code = ctx.raw(head + b'{"input": "')
    after = ctx.rss_kib()
    growth = (after - before) // 1024 if before and after else 0
    return code == 413 and growth < 64, f"answer {code}, RSS +{growth} MiB"


@probe("/audio/convert with output_format last: a 300 MB upload keeps memory flat")
def convert_spool(ctx):
    if not ctx.pid:
        return True, "skipped: no --pid to measure"
    before = ctx.rss_kib()
    boundary = "synapsebig"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.wav\"\r\n"
            f"Content-Type: audio/wav\r\n\r\n").encode()
    tail = f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"output_format\"\r\n\r\nbogus\r\n--{boundary}--\r\n".encode()
    size = 300 * 1000 * 1000
    auth = f"Authorization: Bearer {ctx.key}\r\n" if ctx.key else ""
    with socket.create_connection((ctx.host, ctx.port), timeout=120) as sock:
        sock.sendall((f"POST /audio/convert HTTP/1.1\r\nHost: {ctx.host}\r\n{auth}"
                      f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                      f"Content-Length: {len(head) + size + len(tail)}\r\n\r\n").encode() + head)
        block = b"\0" * (1 << 20)
        peak = before
        for index in range(size // len(block)):
            sock.sendall(block)
            if index % 32 == 0:
                peak = max(peak, ctx.rss_kib())
        sock.sendall(tail)
        code = status_of(read_head(sock))
    growth = (max(peak, ctx.rss_kib()) - before) // 1024
    return code == 400 and growth < 64, f"answer {code} (bad output_format, after reading it), RSS +{growth} MiB"


@probe("a chunked voice upload with 10,000 extra fields is refused")
def many_fields(ctx):
    fields = [(f"f{index}", b"x", None) for index in range(10_000)]
    body, content_type = multipart([("name", b"v", None)] + fields)
    with socket.create_connection((ctx.host, ctx.port), timeout=30) as sock:
        sock.sendall(chunked_head(ctx, "POST", "/voices", content_type))
        for offset in range(0, len(body), 8192):
            piece = body[offset:offset + 8192]
            try:
                sock.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                break
        try:
            sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        code = status_of(read_head(sock))
    return code == 413, f"answer {code}"


# MARK: Wrong statuses

@probe("a TTS JSON body over 1 MiB is 413, not 500")
def big_tts(ctx):
    status, _, _ = ctx.request("POST", "/tts/synthesize", json.dumps({"text": "a" * (2 << 20)}).encode(),
                               {"Content-Type": "application/json"})
    return status == 413, f"answer {status}"


@probe("malformed chunked framing is 400, not 500")
def bad_chunks(ctx):
    code = ctx.raw(chunked_head(ctx, "POST", "/v1/embeddings", "application/json") + b"zz\r\n{}\r\n0\r\n\r\n")
    return code == 400, f"answer {code}"


# MARK: Slow clients

@probe("a body sent at 1 byte/s is cut off (408) and /healthz stays fast")
def trickle(ctx):
    auth = f"Authorization: Bearer {ctx.key}\r\n" if ctx.key else ""
    with socket.create_connection((ctx.host, ctx.port), timeout=120) as sock:
        sock.sendall((f"POST /v1/embeddings HTTP/1.1\r\nHost: {ctx.host}\r\n{auth}Content-Type: application/json\r\n"
                      f"Content-Length: 100000\r\n\r\n").encode())
        started = time.monotonic()
        sock.settimeout(1.0)
        code = 0
        worst = 0.0
        while time.monotonic() - started < 100:
            try:
                sock.sendall(b" ")
            except (BrokenPipeError, ConnectionResetError):
                break
            try:
                head = sock.recv(65536)
                if head:
                    code = status_of(head)
                    break
                break
            except socket.timeout:
                pass
            _, latency = ctx.alive()
            worst = max(worst, latency)
    elapsed = time.monotonic() - started
    return code == 408 and worst < 0.5, f"answer {code} after {elapsed:.0f} s, worst /healthz {worst * 1000:.0f} ms"


@probe("200 slowloris connections do not take the gateway down")
def slowloris(ctx):
    sockets = []
    for _ in range(200):
        sock = socket.create_connection((ctx.host, ctx.port), timeout=5)
        sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: {ctx.host}\r\n".encode())  # the head never ends
        sockets.append(sock)
    worst = 0.0
    for _ in range(5):
        ok, latency = ctx.alive()
        worst = max(worst, latency if ok else 99)
        time.sleep(0.2)
    for sock in sockets:
        sock.close()
    return worst < 0.5, f"worst /healthz {worst * 1000:.0f} ms with 200 stalled heads open"


# MARK: Trusting the header

@probe("a 12-byte clip whose header claims 1 Hz is not a 6 s reference")
def short_clip(ctx):
    # 12 bytes are 6 samples: "6 s" at the claimed 1 Hz.
    body, content_type = multipart([("name", b"tiny", None), ("files", wav(1, b"\0" * 12), "tiny.wav")])
    status, _, answer = ctx.request("POST", "/voices", body, {"Content-Type": content_type})
    return status == 400, f"answer {status} {answer[:120]!r}"


# MARK: Authentication and trust

@probe("without the API key every route but /healthz and /readyz is 401")
def no_key(ctx):
    if not ctx.key:
        return True, "skipped: no --api-key"
    request = urllib.request.Request(ctx.gateway + "/voices/anything", method="DELETE")
    try:
        urllib.request.urlopen(request, timeout=10)
        code = 200
    except urllib.error.HTTPError as error:
        code = error.code
    return code == 401, f"DELETE /voices/anything without a key: {code}"


@probe("a cross-site form POST to the admin API is refused")
def cross_site_admin(ctx):
    status, _, _ = ctx.request("POST", "/admin/breakers/llama-embed/open", b"x=1",
                               {"Origin": "https://evil.example", "Content-Type": "application/x-www-form-urlencoded"})
    return status == 403, f"answer {status}"


@probe("a text/plain body on a JSON route is 415")
def text_plain(ctx):
    status, _, _ = ctx.request("POST", "/v1/embeddings", b'{"input": "x"}', {"Content-Type": "text/plain"})
    return status == 415, f"answer {status}"


@probe("backend Server and CORS headers do not reach the client")
def backend_headers(ctx):
    _, headers, _ = ctx.request("POST", "/v1/embeddings", json.dumps({"input": "x", "model": "m"}).encode(),
                                {"Content-Type": "application/json"})
    leaked = [name for name in headers if name.lower() == "server" and "llama" in headers[name].lower()
              or name.lower().startswith("access-control-")]
    return not leaked, f"leaked: {leaked}"


@probe("X-Forwarded-Proto from an untrusted client is not passed on")
def forwarded_proto(ctx):
    body = json.dumps({"input": f"forwarded {time.time()}", "model": "m"}).encode()
    ctx.request("POST", "/v1/embeddings", body, {"Content-Type": "application/json", "X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(ctx.control + "/mocks/llama-embed/journal", timeout=10) as response:
        entries = json.load(response)["entries"]
    digest = hashlib.sha256(body).hexdigest()
    sent = [entry for entry in entries if entry.get("body_sha256") == digest]
    if not sent:
        return False, "the request did not reach llama-embed"
    proto = [value for name, value in sent[-1]["headers"] if name.lower() == "x-forwarded-proto"]
    return proto == ["http"], f"backend saw X-Forwarded-Proto {proto}"


# MARK: YAML alias bomb

@probe("synapse config check on a 1 kB alias bomb stops at once")
def alias_bomb(ctx):
    if not ctx.synapse:
        return True, "skipped: no --synapse"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    lines.append("backends: {x: {url: 'http://127.0.0.1:1', junk: *a8}}")
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as file:
        file.write("\n".join(lines) + "\n")
    started = time.monotonic()
    result = subprocess.run([ctx.synapse, "config", "check", "--config", file.name], capture_output=True, timeout=60)
    os.unlink(file.name)
    elapsed = time.monotonic() - started
    return result.returncode == 2 and elapsed < 5, f"exit {result.returncode} in {elapsed:.1f} s"


# MARK: Shutdown

@probe("on SIGTERM /readyz turns 503 while the gateway still answers")
def drain(ctx):
    if not ctx.pid:
        return True, "skipped: no --pid"
    os.kill(ctx.pid, signal.SIGTERM)
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        try:
            status, _, _ = ctx.request("GET", "/readyz", timeout=2)
        except OSError:
            return False, "refused before /readyz said 503"
        if status == 503:
            return True, "503 observed during the drain window"
        time.sleep(0.02)
    return False, "/readyz never said 503"


PROBES = [mock_fault_header, huge_bitrate, padded_wav, big_json, convert_spool, many_fields, big_tts, bad_chunks,
          short_clip, no_key, cross_site_admin, text_plain, backend_headers, forwarded_proto, alias_bomb, slowloris,
          trickle, drain]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("gateway")
    parser.add_argument("control")
    parser.add_argument("--pid", type=int)
    parser.add_argument("--api-key")
    parser.add_argument("--synapse")
    parser.add_argument("--only", help="run the probes whose function name contains this")
    args = parser.parse_args()
    ctx = Context(args)
    for run in PROBES:
        if args.only and args.only not in run.__name__:
            continue
        run(ctx)
    failed = RESULTS.count(False)
    print(f"{RESULTS.count(True)} passed, {failed} failed")
    raise SystemExit(failed)


if __name__ == "__main__":
    main()
