"""The dashboard of a gateway that requires an API key: a clear "authentication required" state
until a key is entered; then everything loads, and the key is remembered across reloads."""
from conftest import KEYED_GATEWAY, KEYED_KEY


def test_auth_required_until_a_key_is_saved(keyed_page):
    page = keyed_page.page
    page.goto(KEYED_GATEWAY + "/", wait_until="load")
    page.wait_for_selector("#auth-banner", state="visible", timeout=5000)
    page.wait_for_selector("#feed-state:text-is('auth required')", timeout=5000)
    page.wait_for_selector("#voices li.error", timeout=5000)
    assert "Authentication required" in page.inner_text("#voices")
    # The pages themselves stay open: the six backends show from /health (a public route).
    page.wait_for_selector('article.card[data-backend="llama-embed"]', timeout=5000)

    page.fill("#api-key", KEYED_KEY)
    page.click("#key-form button[type=submit]")
    page.wait_for_selector("#feed-state.live", timeout=5000)
    page.wait_for_selector("#auth-banner", state="hidden", timeout=5000)
    page.wait_for_selector("#voices li.empty", timeout=5000)
    page.wait_for_selector("#models tr[data-model]", timeout=5000)

    page.reload(wait_until="load")
    assert page.input_value("#api-key") == KEYED_KEY
    page.wait_for_selector("#feed-state.live", timeout=5000)
    assert page.is_hidden("#auth-banner")
    # Only the expected 401s before the key, nothing from elsewhere.
    assert keyed_page.foreign == []
    assert all("401" in error for error in keyed_page.errors), keyed_page.errors
