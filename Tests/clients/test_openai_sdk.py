"""The official OpenAI Python SDK against the llama mocks (llama-embed and llama-router).

Base URLs come from the environment (no fixed ports):
  SYNAPSE_LLAMA_EMBED_URL   e.g. http://127.0.0.1:18081   (the SDK talks to <url>/v1)
  SYNAPSE_LLAMA_ROUTER_URL  e.g. http://127.0.0.1:18082
Run by scripts/client-tests.sh, which starts the mocks.
"""
import base64
import json
import math
import os
import struct
import urllib.request

import pytest
from openai import OpenAI

EMBED_URL = os.environ["SYNAPSE_LLAMA_EMBED_URL"]
ROUTER_URL = os.environ["SYNAPSE_LLAMA_ROUTER_URL"]
CHAT_MODEL = os.environ.get("SYNAPSE_LLAMA_CHAT_MODEL", "Qwen3-8B-Q4_K_M")

def client(base):
    return OpenAI(base_url=base.rstrip("/") + "/v1", api_key="unused", max_retries=0, timeout=30)


def post_json(url, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.fixture(scope="module")
def loaded_router():
    """Loads the chat model through the router's own API and waits until /models says loaded."""
    import time
    status, _ = post_json(ROUTER_URL + "/models/load", {"model": CHAT_MODEL})
    assert status in (200, 400)  # 400: already running from an earlier run
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with urllib.request.urlopen(ROUTER_URL + "/models", timeout=10) as resp:
            models = json.loads(resp.read())["data"]
        if any(m["id"] == CHAT_MODEL and m["status"]["value"] == "loaded" for m in models):
            return ROUTER_URL
        time.sleep(0.1)
    pytest.fail("chat model did not load")


def test_embeddings_with_the_sdk_default_base64_encoding_are_unit_vectors():
    result = client(EMBED_URL).embeddings.create(model="mxbai-embed-large-v1_fp16", input=["hello world", "hello world", "other"])
    vectors = [item.embedding for item in result.data]
    assert [item.index for item in result.data] == [0, 1, 2]
    assert len(vectors[0]) == 1024
    assert math.isclose(math.sqrt(sum(x * x for x in vectors[0])), 1.0, rel_tol=1e-4)
    assert vectors[0] == vectors[1] and vectors[0] != vectors[2]
    assert result.usage.prompt_tokens == result.usage.total_tokens > 0


def test_explicit_float_encoding_matches_base64():
    sdk = client(EMBED_URL)
    floats = sdk.embeddings.create(model="m", input="same text", encoding_format="float").data[0].embedding
    raw = sdk.with_raw_response.embeddings.create(model="m", input="same text", encoding_format="base64")
    b64 = json.loads(raw.http_response.text)["data"][0]["embedding"]
    decoded = struct.unpack("<%df" % (len(base64.b64decode(b64)) // 4), base64.b64decode(b64))
    assert list(decoded) == pytest.approx(floats, abs=1e-7)


def test_embed_models_list():
    models = client(EMBED_URL).models.list()
    assert [m.id for m in models.data] == ["mxbai-embed-large-v1_fp16"]


def test_router_models_list_has_the_catalogue():
    ids = [m.id for m in client(ROUTER_URL).models.list().data]
    assert CHAT_MODEL in ids and "Qwen2.5-Coder-7B-Instruct-Q4_K_M" in ids


def test_chat_completion(loaded_router):
    answer = client(loaded_router).chat.completions.create(
        model=CHAT_MODEL, messages=[{"role": "user", "content": "Say hello"}], max_tokens=8)
    assert answer.choices[0].finish_reason == "length"
    assert answer.choices[0].message.role == "assistant"
    assert answer.choices[0].message.content
    assert answer.usage.completion_tokens == 8
    assert answer.id.startswith("chatcmpl-")


def test_streaming_chat_with_usage(loaded_router):
    stream = client(loaded_router).chat.completions.create(
        model=CHAT_MODEL, messages=[{"role": "user", "content": "Stream please"}], max_tokens=5,
        stream=True, stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert text and finishes == ["length"]
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 5
    assert len({c.id for c in chunks}) == 1


def test_chat_to_an_unloaded_model_is_a_400(loaded_router):
    from openai import BadRequestError
    with pytest.raises(BadRequestError) as err:
        client(loaded_router).chat.completions.create(
            model="Qwen2.5-Coder-7B-Instruct-Q4_K_M", messages=[{"role": "user", "content": "hi"}])
    assert "model is not loaded" in str(err.value)
