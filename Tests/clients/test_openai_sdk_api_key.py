"""The official OpenAI Python SDK through a gateway that requires an API key (`SYNAPSE_API_KEYS`).

The SDK sends `Authorization: Bearer <api_key>`, which is what the gateway checks. Run by
scripts/client-tests.sh, which starts that gateway (`synapse serve`) next to `synapse dev`.
"""
import os

import pytest
from openai import AuthenticationError, OpenAI

URL = os.environ.get("SYNAPSE_KEYED_GATEWAY_URL")
KEY = os.environ.get("SYNAPSE_KEYED_GATEWAY_KEY")
pytestmark = pytest.mark.skipif(not URL or not KEY, reason="no keyed gateway (scripts/client-tests.sh starts one)")


def sdk(api_key):
    return OpenAI(base_url=URL.rstrip("/") + "/v1", api_key=api_key, max_retries=0, timeout=30)


def test_the_right_key_is_served():
    result = sdk(KEY).embeddings.create(model="mxbai-embed-large-v1_fp16", input="with a key")
    assert len(result.data[0].embedding) == 1024


def test_a_wrong_key_is_a_401_the_sdk_understands():
    with pytest.raises(AuthenticationError) as err:
        sdk("sk-wrong").embeddings.create(model="mxbai-embed-large-v1_fp16", input="no")
    assert err.value.status_code == 401
    assert err.value.body["code"] == "unauthorized"
