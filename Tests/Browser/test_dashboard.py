"""The dashboard against a real `synapse dev`, in page order: it loads cleanly, shows the six
backends, injects a fault from its own fault panel and shows the breaker open (and closed again)
without a reload, streams a chat, uploads and plays a voice, plays synthesized speech; then
screenshots for humans. The tests share one page and run in file order."""
import io
import json
import math
import struct
import threading
import time
import urllib.error
import urllib.request
import wave

from conftest import GATEWAY, SCREENSHOTS

BACKENDS = ["chatterbox-tts", "deepfilter-audio", "llama-embed", "llama-router", "pyannote-speaker", "whisper-stt"]


def card(name):
    return f'article.card[data-backend="{name}"]'


def test_the_page_loads_with_no_console_errors_and_no_external_requests(dashboard):
    page = dashboard.page
    page.wait_for_selector("#feed-state.live", timeout=5000)
    page.wait_for_selector(card("llama-embed") + '[data-status="healthy"]', timeout=10000)
    assert page.title() == "Synapse Gateway"
    assert page.is_visible("#faults-panel"), "synapse dev shows the fault panel"
    page.wait_for_timeout(300)
    dashboard.assert_clean()


def test_the_six_backends_appear_with_health_and_breaker(dashboard):
    page = dashboard.page
    for name in BACKENDS:
        page.wait_for_selector(card(name) + '[data-status="healthy"]', timeout=10000)
        assert page.get_attribute(card(name), "data-breaker") == "closed"
        assert "ms" in page.inner_text(card(name) + ' [data-role="health"]')
    names = page.eval_on_selector_all("article.card", "cards => cards.map(c => c.dataset.backend)")
    assert sorted(names) == BACKENDS


def embed_request():
    request = urllib.request.Request(GATEWAY + "/v1/embeddings", data=b'{"input":"x"}', headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


class BreakerWatch(threading.Thread):
    """Follows /events (breaker events of one backend) and notes when each state arrives."""

    def __init__(self, backend):
        super().__init__(daemon=True)
        self.backend = backend
        self.arrived = {}
        self.ready = threading.Event()

    def run(self):
        url = f"{GATEWAY}/events?types=breaker&backend={self.backend}"
        with urllib.request.urlopen(url, timeout=30) as stream:
            self.ready.set()
            for raw in stream:
                line = raw.decode().strip()
                if line.startswith("data:"):
                    event = json.loads(line[5:])
                    self.arrived.setdefault(event["to"], time.monotonic())
                    if "closed" in self.arrived:
                        return


def test_a_fault_from_the_panel_opens_the_breaker_and_the_page_shows_it_live(dashboard):
    page = dashboard.page
    page.evaluate("window.__notReloaded = true")
    watch = BreakerWatch("llama-embed")
    watch.start()
    assert watch.ready.wait(5)

    # Inject "refuse" into llama-embed from the page's own fault panel.
    page.select_option("#fault-mock", "llama-embed")
    page.select_option("#fault-kind", "refuse")
    page.click("#fault-inject")
    page.wait_for_selector('#fault-list tr[data-mock="llama-embed"][data-faults="1"]', timeout=5000)
    assert "refuse" in page.inner_text('#fault-list tr[data-mock="llama-embed"]')

    # Traffic: each request makes 4 connection attempts; the fifth failure opens the breaker.
    senders = [threading.Thread(target=embed_request, daemon=True) for _ in range(3)]
    for sender in senders:
        sender.start()
    page.wait_for_selector(card("llama-embed") + '[data-breaker="open"]', timeout=15000)
    shown = time.monotonic()
    assert "open" in watch.arrived, "the feed announced the breaker opening"
    assert shown - watch.arrived["open"] < 2, f"shown {shown - watch.arrived['open']:.2f} s after the breaker event"
    assert "open" in page.inner_text(card("llama-embed") + ' [data-role="breaker"]')
    # The live event list shows the transition too, and the card the probe's view: down.
    page.wait_for_selector('#events li[data-type="breaker"][data-backend="llama-embed"]', timeout=2000)
    page.wait_for_selector(card("llama-embed") + '[data-status="unreachable"]', timeout=8000)
    assert "down" in page.inner_text(card("llama-embed") + ' [data-role="health"]')
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-breaker-open.png"))
    for sender in senders:
        sender.join(20)

    # Clear the fault and reset the breaker from the page: the card shows it closed.
    page.click('#fault-list tr[data-mock="llama-embed"] button[data-action="clear-faults"]')
    page.wait_for_selector('#fault-list tr[data-mock="llama-embed"][data-faults="0"]', timeout=5000)
    page.click(card("llama-embed") + ' button[data-action="reset-breaker"]')
    page.wait_for_selector(card("llama-embed") + '[data-breaker="closed"]', timeout=5000)
    watch.join(5)
    assert "closed" in watch.arrived, "the feed announced the breaker closing"
    assert page.evaluate("window.__notReloaded === true"), "no reload happened"
    assert embed_request() == 200
    dashboard.assert_clean()


def test_a_chat_in_the_playground_shows_streamed_text(dashboard):
    page = dashboard.page
    page.fill("#chat-prompt", "Tell me a story about a gateway, in a few sentences.")
    page.click("#chat-send")
    lengths = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        text = page.inner_text("#chat-output")
        if text not in ("", "…"):
            lengths.append(len(text))
        if page.is_enabled("#chat-send") and lengths:
            break
        page.wait_for_timeout(40)
    final = page.inner_text("#chat-output")
    assert "failed" not in final, final
    growth = sorted(set(lengths))
    assert len(growth) >= 3, f"the text should grow as tokens arrive, saw lengths {growth}"
    assert lengths[0] < lengths[-1]
    dashboard.assert_clean()


def tone_wav(seconds=6.0, rate=16000, frequency=330.0):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency * i / rate))) for i in range(int(seconds * rate)))
        out.writeframes(frames)
    return buffer.getvalue()


def wait_playable(page, selector, timeout=10000):
    page.wait_for_function(
        "s => { const a = document.querySelector(s); return a && a.readyState >= 1 && a.duration > 0 && isFinite(a.duration); }",
        arg=selector, timeout=timeout)
    return page.eval_on_selector(selector, "a => a.duration")


def test_a_voice_upload_appears_in_the_list_and_plays(dashboard):
    page = dashboard.page
    page.fill("#voice-name", "Browser tone")
    page.set_input_files("#voice-files", files=[{"name": "tone.wav", "mimeType": "audio/wav", "buffer": tone_wav()}])
    page.click("#voice-upload")
    row = page.wait_for_selector('#voices li[data-voice]:has-text("Browser tone")', timeout=10000)
    voice_id = row.get_attribute("data-voice")
    page.click(f'#voices li[data-voice="{voice_id}"] button[data-action="play"]')
    duration = wait_playable(page, f'#voices li[data-voice="{voice_id}"] audio')
    assert 5.9 < duration < 6.1
    # The TTS playground offers the new voice.
    assert page.eval_on_selector("#tts-voice", f"s => [...s.options].some(o => o.value === '{voice_id}')")
    dashboard.assert_clean()


def test_a_tts_request_returns_playable_audio(dashboard):
    page = dashboard.page
    page.click("#pg-tts > summary")
    page.fill("#tts-text", "The breaker is closed again.")
    page.click("#tts-speak")
    duration = wait_playable(page, "#tts-audio", timeout=20000)
    assert duration > 0
    assert "Received" in page.inner_text("#tts-message")
    dashboard.assert_clean()


def test_embeddings_stt_and_audio_playgrounds_answer(dashboard):
    page = dashboard.page
    page.click("#pg-embed > summary")
    page.fill("#embed-input", "hello from a browser")
    page.click("#embed-form button[type=submit]")
    page.wait_for_function("() => /dimensions/.test(document.getElementById('embed-output').textContent)", timeout=10000)
    assert "first values" in page.inner_text("#embed-output")

    speech = tone_wav(seconds=2.0)
    page.click("#pg-stt > summary")
    page.set_input_files("#stt-file", files=[{"name": "tone.wav", "mimeType": "audio/wav", "buffer": speech}])
    page.click("#stt-form button[type=submit]")
    page.wait_for_function("() => !/Transcribing|^$/.test(document.getElementById('stt-output').textContent)", timeout=10000)
    transcript = page.inner_text("#stt-output")
    assert "failed" not in transcript and transcript.strip(), transcript

    page.click("#pg-audio > summary")
    page.set_input_files("#audio-file", files=[{"name": "tone.wav", "mimeType": "audio/wav", "buffer": speech}])
    page.select_option("#audio-op", "convert")
    page.select_option("#audio-format", "flac")
    page.click("#audio-form button[type=submit]")
    assert 1.9 < wait_playable(page, "#audio-result") < 2.1
    assert page.get_attribute("#audio-download", "download") == "converted.flac"
    dashboard.assert_clean()


def test_a_model_loads_and_unloads_from_its_buttons(dashboard):
    page = dashboard.page
    model = "Qwen2.5-Coder-7B-Instruct-Q4_K_M"
    row = f'#models tr[data-model="{model}"]'
    page.wait_for_selector(row, timeout=10000)
    if page.inner_text(row + " .badge") != "unloaded":
        page.click(f'{row} button[aria-label="Unload {model}"]')
        page.wait_for_selector(row + ' .badge:text-is("unloaded")', timeout=15000)
    page.click(f'{row} button[aria-label="Load {model}"]')
    page.wait_for_selector(row + ' .badge:text-is("loaded")', timeout=15000)
    page.click(f'{row} button[aria-label="Unload {model}"]')
    page.wait_for_selector(row + ' .badge:text-is("unloaded")', timeout=15000)
    dashboard.assert_clean()


def test_every_control_is_labelled_and_reachable_by_keyboard(dashboard):
    page = dashboard.page
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea, button')]
        .filter(c => !(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !c.textContent.trim())
        .map(c => c.outerHTML.slice(0, 80))""")
    assert unlabelled == []
    # Tab from the top reaches the fault panel's inject button, with a visible focus ring.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.focus("#api-key")
    reached = False
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "fault-inject":
            reached = True
            break
    assert reached, "Tab reaches the fault panel"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


def test_screenshots_wide_and_narrow(dashboard):
    page = dashboard.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-wide.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(200)
    # One column: no horizontal scrolling on a phone-sized screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(SCREENSHOTS / "dashboard-narrow.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    dashboard.assert_clean()
