#!/usr/bin/env python3
"""Checks /docs and /redoc in headless Chromium against a running gateway (e.g. `synapse dev`):
every operation of /openapi.json rendered as [data-operation="METHOD /path"], no console errors,
no sideways scrolling at 1200 and 380 px, and /docs' try-it-out working for a JSON route, a
multipart upload, an audio answer and the /events stream. Needs Python's playwright and a
Chromium (`--chromium PATH`, default /usr/bin/chromium).

    scripts/reference-pages-check.py http://127.0.0.1:8000
"""
import argparse, json, math, struct, sys, urllib.request

from playwright.sync_api import sync_playwright


def wav(seconds=6, rate=16000):
    samples = b"".join(struct.pack("<h", int(8000 * math.sin(i * 2 * math.pi * 220 / rate))) for i in range(rate * seconds))
    header = b"RIFF" + struct.pack("<I", 36 + len(samples)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    return header + b"data" + struct.pack("<I", len(samples)) + samples


def try_it_out(page, failures):
    def send(name):
        op = page.locator(f'[data-operation="{name}"]')
        op.locator("summary").click()
        op.locator("form").wait_for()  # built when first opened
        return op

    for name, expected in [("GET /healthz", '"status"'), ("POST /v1/embeddings", '"embedding"')]:
        op = send(name)
        op.locator("button[type=submit]").click()
        op.locator(".result pre").last.wait_for()
        if expected not in op.locator(".result").inner_text():
            failures.append(f"{name}: no {expected} in the answer")
    op = send("POST /stt/transcribe")
    op.locator("input[type=file]").set_input_files(files=[{"name": "speech.wav", "mimeType": "audio/wav", "buffer": wav()}])
    op.locator("button[type=submit]").click()
    op.locator(".result pre").last.wait_for()
    if '"segments"' not in op.locator(".result").inner_text():
        failures.append("POST /stt/transcribe: no segments in the answer")
    op = send("POST /tts/synthesize")
    op.locator("button[type=submit]").click()
    op.locator(".result audio").wait_for(timeout=30000)
    op = send("GET /events")
    for field in op.locator("input[type=text]").all():
        field.fill("")
    op.locator("button[type=submit]").click()
    op.locator(".events li").first.wait_for()
    page.evaluate("fetch('/healthz')")
    op.locator(".events li").nth(1).wait_for(timeout=10000)
    if "request" not in op.locator(".events").inner_text():
        failures.append("GET /events: the request event did not arrive")
    op.locator("button", has_text="Stop").click()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    document = json.load(urllib.request.urlopen(args.base + "/openapi.json"))
    methods = ("get", "put", "post", "delete", "patch")
    expected = {f"{m.upper()} {p}" for p, item in document["paths"].items() for m in item if m in methods}
    failures = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        for path in ["/docs", "/redoc"]:
            for width in [1200, 380]:
                page = browser.new_page(viewport={"width": width, "height": 900})
                errors = []
                page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
                page.on("pageerror", lambda error: errors.append(str(error)))
                page.goto(args.base + path)
                page.wait_for_selector("[data-operation]")
                rendered = set(page.eval_on_selector_all("[data-operation]", "nodes => nodes.map(n => n.dataset.operation)"))
                if rendered != expected:
                    failures.append(f"{path}: missing {sorted(expected - rendered)}, unexpected {sorted(rendered - expected)}")
                if page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"):
                    failures.append(f"{path} scrolls sideways at {width} px")
                if path == "/docs" and width == 1200:
                    try_it_out(page, failures)
                if errors:
                    failures.append(f"{path} at {width} px: console errors {errors}")
                page.close()
        browser.close()
    print("\n".join(failures) if failures else f"reference pages: OK ({len(expected)} operations on /docs and /redoc)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
