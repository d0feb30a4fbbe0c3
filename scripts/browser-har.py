#!/usr/bin/env python3
"""Records a HAR from a real browser (Debian's chromium) against a running `synapse dev`, for
Fixtures/recordings/browser-chromium.har.

The page makes the calls a front end would (JSON, a streamed chat, TTS audio, a multipart STT
upload). The HAR is assembled the way Chrome DevTools' "Export HAR" assembles it, from the
browser's own Network domain (requestWillBeSent, responseReceived, getResponseBody with its
base64 flag, getRequestPostData): DevTools' entry shape, `_`-fields, binary bodies in base64.
(Playwright's own HAR recorder is not used: it left the audio body and the multipart upload out.)

Not part of the test command (it needs `pip install playwright` and `apt-get install chromium`);
run it by hand to refresh the fixture:
    synapse dev --port 18000 --control-port 18100 --port-base 18101 &
    python3 scripts/browser-har.py http://127.0.0.1:18000 Fixtures/recordings/browser-chromium.har
"""
import json
import sys
from datetime import datetime, timezone

from playwright.sync_api import sync_playwright

GATEWAY, OUT = sys.argv[1], sys.argv[2]

SCRIPT = """async () => {
  const json = {'Content-Type': 'application/json'};
  await (await fetch('/health')).text();
  await (await fetch('/v1/embeddings', {method: 'POST', headers: json,
    body: JSON.stringify({input: 'hello from a browser', model: 'mxbai'})})).text();
  await (await fetch('/v1/chat/completions', {method: 'POST', headers: json, body: JSON.stringify({
    model: 'Qwen3-8B-Q4_K_M', stream: true, max_tokens: 12, messages: [{role: 'user', content: 'Hi'}]})})).text();
  const speech = await (await fetch('/tts/synthesize', {method: 'POST', headers: json,
    body: JSON.stringify({text: 'Recorded in a browser.'})})).arrayBuffer();
  const form = new FormData();
  form.append('language', 'en');
  form.append('file', new File([speech], 'speech.wav', {type: 'audio/wav'}));
  await (await fetch('/stt/transcribe', {method: 'POST', body: form})).text();
  return speech.byteLength;
}"""


def pairs(headers):
    return [{"name": k, "value": v} for k, v in headers.items()]


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    page = browser.new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable", {"maxPostDataSize": 64 * 1024 * 1024})
    seen = {}
    cdp.on("Network.requestWillBeSent", lambda e: seen.setdefault(e["requestId"], {}).update(sent=e))
    cdp.on("Network.responseReceived", lambda e: seen.setdefault(e["requestId"], {}).update(received=e))
    cdp.on("Network.loadingFinished", lambda e: seen.setdefault(e["requestId"], {}).update(finished=e))
    page.goto(GATEWAY + "/health")
    page.evaluate(SCRIPT)
    page.wait_for_timeout(500)

    entries = []
    for request_id, events in seen.items():
        if "sent" not in events or "received" not in events or "finished" not in events:
            continue
        request, response = events["sent"]["request"], events["received"]["response"]
        started = datetime.fromtimestamp(events["sent"]["wallTime"], timezone.utc)
        timing = response.get("timing") or {}
        send = max(timing.get("sendEnd", 0) - timing.get("sendStart", 0), 0)
        wait = max(timing.get("receiveHeadersEnd", 0) - timing.get("sendEnd", 0), 0)
        receive = max((events["finished"]["timestamp"] - events["sent"]["timestamp"]) * 1000 - send - wait, 0)
        post = None
        if request.get("hasPostData"):
            try:
                posted = cdp.send("Network.getRequestPostData", {"requestId": request_id})
            except Exception:  # the browser keeps no copy of some uploads' bytes
                posted = None
            headers = {k.lower(): v for k, v in request["headers"].items()}
            post = {"mimeType": headers.get("content-type", "")}
            if posted is not None:
                post["text"] = posted["postData"]
                if posted.get("base64Encoded"):  # binary uploads: the same convention as content
                    post["encoding"] = "base64"
        body = cdp.send("Network.getResponseBody", {"requestId": request_id})
        content = {"size": events["finished"]["encodedDataLength"], "mimeType": response.get("mimeType", ""), "text": body["body"]}
        if body["base64Encoded"]:
            content["encoding"] = "base64"
        entry = {
            "_initiator": {"type": "script"},
            "_priority": request.get("initialPriority", "High"),
            "_resourceType": events["sent"].get("type", "Fetch").lower(),
            "cache": {},
            "connection": str(response.get("connectionId", "")),
            "request": {
                "method": request["method"], "url": request["url"], "httpVersion": response.get("protocol", "http/1.1"),
                "headers": pairs(request["headers"]), "queryString": [], "cookies": [], "headersSize": -1, "bodySize": -1,
            },
            "response": {
                "status": response["status"], "statusText": response.get("statusText", ""), "httpVersion": response.get("protocol", "http/1.1"),
                "headers": pairs(response["headers"]), "cookies": [], "content": content, "redirectURL": "", "headersSize": -1, "bodySize": -1,
                "_transferSize": events["finished"]["encodedDataLength"], "_error": None,
            },
            "serverIPAddress": response.get("remoteIPAddress", ""),
            "startedDateTime": started.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "time": send + wait + receive,
            "timings": {"blocked": -1, "dns": -1, "ssl": -1, "connect": -1, "send": send, "wait": wait, "receive": receive, "_blocked_queueing": -1},
        }
        if post:
            entry["request"]["postData"] = post
        entries.append(entry)
    entries.sort(key=lambda e: e["startedDateTime"])
    version = browser.version
    har = {"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"}, "pages": [], "entries": entries,
                   "comment": f"chromium {version}, Network domain, assembled like DevTools' Export HAR by scripts/browser-har.py"}}
    with open(OUT, "w") as f:
        json.dump(har, f, indent=2)
    print(f"{len(entries)} entries from chromium {version} → {OUT}")
    browser.close()
