#!/usr/bin/env bash
# The load tester's path end to end, with the tools its users use (issue 14's "done when"):
#  1. traffic recorded through `synapse dev --record` — curl, and the official OpenAI Python SDK
#     streaming a chat — with secrets that must never reach the recording;
#  2. replayed at 5× against a second `synapse dev` (the "staging" gateway) with thresholds and
#     all three reports, read back with standard parsers (Python's json and xml.etree);
#  3. replayed with a threshold that cannot hold: exit 1, the threshold named on stderr, in the
#     JUnit file and in the HTML page;
#  4. served back by `synapse mocks --playback`: a recorded answer comes back byte for byte.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=$(scripts/client-venv.sh)
swift build --product synapse
BIN=.build/debug/synapse
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
fail() { echo "record-replay: FAIL: $*" >&2; exit 1; }
wait_up() { for _ in $(seq 1 300); do curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0; sleep 0.1; done; fail "not up: $1"; }

# Two stacks (gateway, control API, six mocks each) in one block of free ports.
BASE=$(python3 scripts/free-ports.py 24)
REC_GW=$BASE; REC_CONTROL=$((BASE + 1)); REC_MOCKS=$((BASE + 2))
STAGE_GW=$((BASE + 10)); STAGE_CONTROL=$((BASE + 11)); STAGE_MOCKS=$((BASE + 12))
PLAY_CONTROL=$((BASE + 20)); PLAY_MOCKS=$((BASE + 21))
SECRET=sk-record-replay-secret-7f3a

echo "1. recording through synapse dev"
$BIN dev --port "$REC_GW" --control-port "$REC_CONTROL" --port-base "$REC_MOCKS" --voice-library "$WORK/voices-rec" \
  --router-load-time 200ms --record "$WORK/rec" --record-redact-header X-Team-Token > "$WORK/rec.log" 2>&1 &
REC_PID=$!; PIDS+=($REC_PID)
G=http://127.0.0.1:$REC_GW
wait_up "$G/healthz"
curl -fsS "$G/v1/embeddings" -H 'Content-Type: application/json' -H "Authorization: Bearer $SECRET" -H "X-Team-Token: $SECRET" \
  -d '{"input": "record me", "model": "mxbai"}' -o "$WORK/embedding.json"
curl -fsS "$G/tts/synthesize" -H 'Content-Type: application/json' -H "Cookie: session=$SECRET" -d '{"text": "Recorded for replay."}' -o "$WORK/speech.wav"
curl -fsS "$G/stt/transcribe" -H "X-API-Key: $SECRET" -F file=@"$WORK/speech.wav" -o /dev/null
"$VENV/bin/python" - "$G" "$SECRET" <<'PY'
import sys
from openai import OpenAI
client = OpenAI(base_url=sys.argv[1] + "/v1", api_key=sys.argv[2])
stream = client.chat.completions.create(model="Qwen3-8B-Q4_K_M", stream=True, max_tokens=12,
                                        messages=[{"role": "user", "content": "Say hello"}])
text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
assert text, "the streamed chat came back empty"
PY
kill -TERM "$REC_PID"; wait "$REC_PID" 2>/dev/null || true
ls "$WORK"/rec/*.har > /dev/null || fail "no HAR file written"
if grep -rl "$SECRET" "$WORK/rec" > /dev/null; then fail "a secret reached the recording: $(grep -rl "$SECRET" "$WORK/rec")"; fi
python3 - "$WORK/rec" <<'PY'
import glob, json, sys
entries = [e for f in sorted(glob.glob(sys.argv[1] + "/*.har")) for e in json.load(open(f))["log"]["entries"]]
routes = [e["request"]["method"] + " " + e["request"]["url"].split("/", 3)[3].split("?")[0] for e in entries]
for want in ["POST v1/embeddings", "POST tts/synthesize", "POST stt/transcribe", "POST v1/chat/completions"]:
    assert want in routes, f"{want} not recorded: {routes}"
chat = next(e for e in entries if e["request"]["url"].endswith("/v1/chat/completions"))
assert chat["response"]["content"].get("_events"), "the chat stream's events were not recorded"
print(f"   {len(entries)} exchanges recorded, no secret written")
PY

echo "2. replaying at 5x against a staging gateway, with thresholds"
$BIN dev --port "$STAGE_GW" --control-port "$STAGE_CONTROL" --port-base "$STAGE_MOCKS" --voice-library "$WORK/voices-stage" \
  --router-load-time 200ms > "$WORK/stage.log" 2>&1 &
PIDS+=($!)
S=http://127.0.0.1:$STAGE_GW
wait_up "$S/healthz"
$BIN load "$WORK/rec" --target "$S" --speed 5 --api-key "$SECRET" \
  --threshold 'errors<1%' --threshold 'p99<10s' --threshold '/v1/chat/completions:ttft.p95<10s' \
  --report-json "$WORK/ok.json" --report-junit "$WORK/ok.xml" --report-html "$WORK/ok.html" > "$WORK/ok.out" 2> "$WORK/ok.err" \
  || { cat "$WORK/ok.err"; fail "the replay should pass its thresholds"; }
python3 - "$WORK" <<'PY'
import json, re, sys, xml.etree.ElementTree as ET
work = sys.argv[1]
report = json.load(open(work + "/ok.json"))
text = json.dumps(report)
assert "--speed" in text and "seed" in text, "the JSON report names the command and the seed"
suite = ET.parse(work + "/ok.xml").getroot()
cases = suite.findall(".//testcase")
assert len(cases) == 3 and not suite.findall(".//failure"), ET.tostring(suite)
page = open(work + "/ok.html").read()
assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//|@import|url\(\s*["']?https?:""", page), "the HTML page refers outside"
print("   passed; JSON, JUnit and HTML reports read back")
PY

echo "2b. replaying a HAR exported from a real browser (Fixtures/recordings/browser-chromium.har)"
$BIN load Fixtures/recordings/browser-chromium.har --target "$S" --speed 5 --threshold 'errors<1%' --threshold 'requests>=7' \
  --report-json "$WORK/browser.json" > "$WORK/browser.out" 2> "$WORK/browser.err" \
  || { cat "$WORK/browser.err"; fail "the browser's recording should replay without errors"; }
python3 - "$WORK/browser.json" <<'PY'
import json, sys
routes = json.load(open(sys.argv[1]))["routes"]
for route in ["POST /stt/transcribe", "POST /tts/synthesize", "POST /v1/chat/completions", "POST /v1/embeddings"]:
    statuses = routes[route]["statuses"]
    assert list(statuses) == ["200"], f"{route}: {statuses}"
print("   7 requests replayed; the base64 multipart upload transcribed, every API call 200")
PY

echo "3. a threshold that cannot hold"
set +e
$BIN load "$WORK/rec" --target "$S" --speed 5 --threshold 'p99<1us' --threshold 'errors<1%' \
  --report-junit "$WORK/bad.xml" --report-html "$WORK/bad.html" > "$WORK/bad.out" 2> "$WORK/bad.err"
STATUS=$?
set -e
[ "$STATUS" -eq 1 ] || { cat "$WORK/bad.err"; fail "a failed threshold must exit 1, not $STATUS"; }
grep -q 'p99<1us' "$WORK/bad.err" || fail "stderr does not name the failed threshold"
python3 - "$WORK" <<'PY'
import sys, xml.etree.ElementTree as ET
work = sys.argv[1]
failures = ET.parse(work + "/bad.xml").getroot().findall(".//failure")
assert len(failures) == 1, f"{len(failures)} failures in the JUnit report"
page = open(work + "/bad.html").read()
assert "p99&lt;1us" in page, "the HTML page does not name the failed threshold"
print("   exit 1, the threshold named on stderr, in JUnit and in HTML")
PY

echo "4. mock playback of the recording"
$BIN mocks --only llama-embed --port-base "$PLAY_MOCKS" --control-port "$PLAY_CONTROL" --playback "$WORK/rec" > "$WORK/play.log" 2>&1 &
PIDS+=($!)
wait_up "http://127.0.0.1:$PLAY_MOCKS/health"
curl -fsS "http://127.0.0.1:$PLAY_MOCKS/v1/embeddings" -H 'Content-Type: application/json' -d '{"input": "record me", "model": "mxbai"}' -o "$WORK/played.json"
cmp -s "$WORK/embedding.json" "$WORK/played.json" || fail "the played-back answer differs from the recorded one"
echo "   the recorded answer came back byte for byte"
echo "record-replay: all passed"
