"""The first thing a new user does: chat through the gateway of a fresh `synapse dev`.

The router starts with no model loaded (--no-models-autoload); the gateway loads the chat's model
first. Named to run before the other modules, which load models themselves.
"""
import json
import os
import urllib.request

from openai import OpenAI

GATEWAY_URL = os.environ["SYNAPSE_GATEWAY_URL"]
ROUTER_URL = os.environ["SYNAPSE_LLAMA_ROUTER_URL"]


def sdk():
    return OpenAI(base_url=GATEWAY_URL.rstrip("/") + "/v1", api_key="unused", max_retries=0, timeout=60)


def router_statuses():
    with urllib.request.urlopen(ROUTER_URL + "/models", timeout=10) as response:
        return {m["id"]: m["status"]["value"] for m in json.load(response)["data"]}


def test_the_first_chat_on_a_fresh_stack_answers():
    assert set(router_statuses().values()) == {"unloaded"}, "the stack is not fresh"
    raw = sdk().chat.completions.with_raw_response.create(
        model="auto", messages=[{"role": "user", "content": "Say hello"}], max_tokens=5)
    answer = raw.parse()
    assert answer.choices[0].message.content
    assert answer.usage.completion_tokens == 5
    assert raw.headers["x-synapse-model"] == "Qwen3-8B-Q4_K_M"
    assert raw.headers["x-synapse-model-reason"] == "policy-general"
    assert router_statuses()["Qwen3-8B-Q4_K_M"] == "loaded"


def test_a_streaming_chat_for_another_model_switches_the_router():
    stream = sdk().chat.completions.create(
        model="auto", messages=[{"role": "user", "content": "refactor this python function"}], max_tokens=4,
        stream=True, stream_options={"include_usage": True})
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert chunks[-1].usage.completion_tokens == 4
    assert chunks[0].model == "Qwen2.5-Coder-7B-Instruct-Q4_K_M"
    statuses = router_statuses()
    assert statuses["Qwen2.5-Coder-7B-Instruct-Q4_K_M"] == "loaded"
    assert statuses["Qwen3-8B-Q4_K_M"] == "unloaded"  # --models-max 1


def test_an_explicit_model_is_loaded_before_a_plain_chat():
    answer = sdk().chat.completions.create(
        model="Qwen3-8B-Q4_K_M", messages=[{"role": "user", "content": "Hi"}], max_tokens=3)
    assert answer.model == "Qwen3-8B-Q4_K_M"
    assert answer.choices[0].message.content
