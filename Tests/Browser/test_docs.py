"""The API reference pages render every operation of /openapi.json, each as an element with
`data-operation="METHOD /path/{param}"` (upper-case method, the spec's path)."""
import json
import urllib.error
import urllib.request

import pytest

from conftest import GATEWAY

METHODS = {"get", "put", "post", "delete", "patch", "head", "options"}


def operations():
    with urllib.request.urlopen(GATEWAY + "/openapi.json", timeout=10) as answer:
        spec = json.load(answer)
    return {f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item if method in METHODS}


def rendered(watched, path, expected):
    page = watched.page
    page.goto(GATEWAY + path, wait_until="load")
    page.wait_for_function("n => document.querySelectorAll('[data-operation]').length >= n", arg=len(expected), timeout=10000)
    return set(page.eval_on_selector_all("[data-operation]", "nodes => nodes.map(n => n.dataset.operation)"))


def test_docs_renders_every_operation(fresh_page):
    expected = operations()
    assert len(expected) > 20
    assert rendered(fresh_page, "/docs", expected) >= expected
    fresh_page.assert_clean(favicon_may_miss=True)


def test_redoc_renders_every_operation(fresh_page):
    try:
        urllib.request.urlopen(GATEWAY + "/redoc", timeout=10).close()
    except urllib.error.HTTPError as error:
        if error.code == 404:
            pytest.skip("this gateway has no /redoc page")
        raise
    expected = operations()
    assert rendered(fresh_page, "/redoc", expected) >= expected
    fresh_page.assert_clean(favicon_may_miss=True)
