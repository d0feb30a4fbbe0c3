"""The API reference pages: /docs and /redoc render every operation of /openapi.json (each as an
element with `data-operation="METHOD /path/{param}"`), with no console error and no sideways
scrolling on a wide or a narrow screen; /docs' try-it-out calls a JSON route, a multipart upload,
an audio answer and the /events stream from the page."""
import json
import math
import struct
import urllib.request

import pytest

from conftest import GATEWAY

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def operations():
    with urllib.request.urlopen(GATEWAY + "/openapi.json", timeout=10) as answer:
        spec = json.load(answer)
    return {f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item if method in METHODS}


def tone(seconds=6, rate=16000):
    samples = b"".join(struct.pack("<h", int(8000 * math.sin(i * 2 * math.pi * 220 / rate))) for i in range(rate * seconds))
    header = b"RIFF" + struct.pack("<I", 36 + len(samples)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    return header + b"data" + struct.pack("<I", len(samples)) + samples


def rendered(watched, path, expected):
    page = watched.page
    page.goto(GATEWAY + path, wait_until="load")
    page.wait_for_function("n => document.querySelectorAll('[data-operation]').length >= n", arg=len(expected), timeout=10000)
    return set(page.eval_on_selector_all("[data-operation]", "nodes => nodes.map(n => n.dataset.operation)"))


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
@pytest.mark.parametrize("width", [1280, 380])
def test_the_reference_renders_every_operation(browser, path, width):
    from conftest import Watched

    context = browser.new_context(viewport={"width": width, "height": 900})
    watched = Watched(context.new_page())
    try:
        expected = operations()
        assert len(expected) > 40
        assert rendered(watched, path, expected) == expected
        assert not watched.page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1"), f"{path} scrolls sideways at {width} px"
        watched.assert_clean(favicon_may_miss=True)
    finally:
        context.close()


def test_docs_tries_json_multipart_audio_and_a_live_stream(fresh_page):
    page = fresh_page.page
    expected = operations()
    rendered(fresh_page, "/docs", expected)

    def opened(name):
        operation = page.locator(f'[data-operation="{name}"]')
        operation.locator("summary").click()
        operation.locator("form").wait_for()  # built when first opened
        return operation

    for name, marker in [("GET /healthz", '"status"'), ("POST /v1/embeddings", '"embedding"')]:
        operation = opened(name)
        operation.locator("button[type=submit]").click()
        operation.locator(".result pre").last.wait_for()
        assert marker in operation.locator(".result").inner_text(), name
    operation = opened("POST /stt/transcribe")
    operation.locator("input[type=file]").set_input_files(files=[{"name": "speech.wav", "mimeType": "audio/wav", "buffer": tone()}])
    operation.locator("button[type=submit]").click()
    operation.locator(".result pre").last.wait_for()
    assert '"segments"' in operation.locator(".result").inner_text()
    operation = opened("POST /tts/synthesize")
    operation.locator("button[type=submit]").click()
    operation.locator(".result audio").wait_for(timeout=30000)
    # The live feed, shown event by event while it streams: a request made meanwhile appears.
    operation = opened("GET /events")
    for field in operation.locator("input[type=text]").all():
        field.fill("")
    operation.locator("button[type=submit]").click()
    operation.locator(".events li").first.wait_for()
    page.evaluate("fetch('/healthz')")
    operation.locator(".events li").nth(1).wait_for(timeout=10000)
    assert "request" in operation.locator(".events").inner_text()
    operation.locator("button", has_text="Stop").click()
    fresh_page.assert_clean(favicon_may_miss=True)
