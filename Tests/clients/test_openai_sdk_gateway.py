"""The official OpenAI Python SDK through the Synapse gateway (in front of the llama mocks).

SYNAPSE_GATEWAY_URL e.g. http://127.0.0.1:18000 (the SDK talks to <url>/v1). Run by
scripts/client-tests.sh, which starts `synapse dev` (the gateway and the mocks).
"""
import math
import os

import pytest
from openai import APIStatusError, OpenAI

GATEWAY_URL = os.environ["SYNAPSE_GATEWAY_URL"]
CHAT_MODEL = "Qwen2.5-Coder-7B-Instruct-Q4_K_M"


def sdk():
    return OpenAI(base_url=GATEWAY_URL.rstrip("/") + "/v1", api_key="unused", max_retries=0, timeout=30)


def test_embeddings_through_the_gateway_with_base64_default():
    result = sdk().embeddings.create(model="mxbai-embed-large-v1_fp16", input="through the gateway")
    vector = result.data[0].embedding
    assert len(vector) == 1024
    assert math.isclose(math.sqrt(sum(x * x for x in vector)), 1.0, rel_tol=1e-4)


def test_models_list_is_aggregated_across_backends():
    ids = [m.id for m in sdk().models.list().data]
    assert "mxbai-embed-large-v1_fp16" in ids and "Qwen3-8B-Q4_K_M" in ids and CHAT_MODEL in ids
    assert len(ids) == len(set(ids))


def test_chat_and_streaming_chat_through_the_gateway():
    loaded = sdk()  # the gateway loads the model before the chat
    answer = loaded.chat.completions.create(model=CHAT_MODEL, messages=[{"role": "user", "content": "Write code"}], max_tokens=6)
    assert answer.choices[0].message.content and answer.usage.completion_tokens == 6
    stream = loaded.chat.completions.create(model=CHAT_MODEL, messages=[{"role": "user", "content": "Stream"}], max_tokens=4,
                                            stream=True, stream_options={"include_usage": True})
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert chunks[-1].usage.completion_tokens == 4


def test_an_unknown_model_is_the_originals_400():
    with pytest.raises(APIStatusError) as err:
        sdk().chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "Hi"}])
    assert err.value.status_code == 400
    assert err.value.body == {"detail": "Model 'no-such-model' is not available in llama-router /models"}


def test_gateway_errors_are_readable_by_the_sdk():
    bad = OpenAI(base_url=GATEWAY_URL.rstrip("/") + "/nope", api_key="unused", max_retries=0, timeout=10)
    with pytest.raises(APIStatusError) as err:
        bad.models.list()
    assert err.value.status_code == 404
    assert err.value.body["code"] == "not_found"
    assert err.value.body["request_id"]
