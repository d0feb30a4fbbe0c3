/// The dashboard's script, in parts named after what they do; `DashboardPage` puts them in one
/// `<script>` in this order. `core` holds what the others share: element helpers, the API key,
/// `api()` (every call goes through it, so a 401 shows the "authentication required" banner),
/// and the event bus fed by `feed`.
enum DashboardScript {
    static let core = #"""
        const $ = id => document.getElementById(id);
        const isDev = document.body.dataset.dev === 'true';
        function el(tag, attrs, ...children) {
          const node = document.createElement(tag);
          for (const [k, v] of Object.entries(attrs || {})) {
            if (v === undefined || v === null || v === false) continue;
            if (k === 'class') node.className = v;
            else if (k === 'text') node.textContent = v;
            else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
            else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role' || k === 'type' || k === 'for') node.setAttribute(k, v === true ? '' : v);
            else node[k] = v;
          }
          for (const child of children) if (child !== null && child !== undefined) node.append(child);
          return node;
        }
        const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
        function clock(date) { return (date || new Date()).toLocaleTimeString([], {hour12: false}); }

        const KEY_STORE = 'synapse.apiKey';
        function apiKey() { try { return localStorage.getItem(KEY_STORE) || ''; } catch (e) { return ''; } }
        function saveKey(value) { try { value ? localStorage.setItem(KEY_STORE, value) : localStorage.removeItem(KEY_STORE); } catch (e) { /* private mode */ } }
        function withAuth(headers) {
          const all = Object.assign({}, headers || {});
          const key = apiKey();
          if (key) all['Authorization'] = 'Bearer ' + key;
          return all;
        }
        function showAuthRequired(required) { $('auth-banner').hidden = !required; }

        class ApiError extends Error {
          constructor(status, message) { super(message); this.status = status; }
        }
        /// The message of a gateway error body: the envelope, FastAPI's detail, or the text.
        function errorText(status, text) {
          let message = text;
          try {
            const body = JSON.parse(text);
            if (body.error && typeof body.error === 'object') message = body.error.message || body.error.code;
            else if (typeof body.error === 'string') message = body.error + (body.detail ? ': ' + body.detail : '');
            else if (body.detail) message = typeof body.detail === 'string' ? body.detail : JSON.stringify(body.detail);
          } catch (e) { /* not JSON */ }
          if (status === 401) return 'Authentication required: enter an API key at the top of the page.';
          return (status ? status + ': ' : '') + String(message || 'request failed').slice(0, 400);
        }
        /// fetch() with the API key; throws an ApiError for a network failure or any status >= 400.
        async function api(path, options) {
          const init = Object.assign({cache: 'no-store'}, options || {});
          init.headers = withAuth(init.headers);
          let response;
          try { response = await fetch(path, init); } catch (e) {
            if (e.name === 'AbortError') throw e;
            throw new ApiError(0, 'The gateway does not answer (' + e.message + ')');
          }
          if (response.status === 401) showAuthRequired(true);
          if (!response.ok) throw new ApiError(response.status, errorText(response.status, await response.text()));
          return response;
        }
        async function getJSON(path) { return (await api(path)).json(); }
        /// Reads a text/event-stream answer as it arrives, one call per event with its `id`,
        /// `event` and `data` (data lines joined; comments skipped), until the stream ends.
        async function readEvents(response, onEvent) {
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const {value, done} = await reader.read();
            if (done) return;
            buffer += value.replace(/\r\n?/g, '\n');
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
              const frame = {id: null, event: 'message', data: ''};
              for (const line of buffer.slice(0, end).split('\n')) {
                if (line.startsWith(':')) continue;
                const colon = line.indexOf(':');
                const field = colon < 0 ? line : line.slice(0, colon);
                const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
                if (field === 'id') frame.id = text;
                else if (field === 'event') frame.event = text;
                else if (field === 'data') frame.data += (frame.data ? '\n' : '') + text;
              }
              buffer = buffer.slice(end + 2);
              onEvent(frame);
            }
          }
        }
        function sendJSON(path, body, method) {
          return api(path, {method: method || 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
        }
        function say(id, text, isError) {
          const node = $(id);
          node.textContent = text;
          node.classList.toggle('error', !!isError);
        }
        function sizeText(bytes) { return bytes < 1024 * 1024 ? (bytes / 1024).toFixed(1) + ' KB' : (bytes / 1048576).toFixed(2) + ' MB'; }
        /// Shows audio bytes in a player (and a download link, when there is one).
        function playBlob(audio, blob, link, filename) {
          if (audio.dataset.url) URL.revokeObjectURL(audio.dataset.url);
          const url = URL.createObjectURL(blob);
          audio.dataset.url = url;
          audio.src = url;
          if (link) { link.href = url; link.download = filename; link.textContent = 'Download ' + filename; link.hidden = false; }
        }
        function filenameOf(response, fallback) {
          const match = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') || '');
          return match ? match[1] : fallback;
        }

        /// The event bus: `feed` delivers each /events event to every listener.
        const eventListeners = [];
        function onEvent(listener) { eventListeners.push(listener); }
        function dispatch(event) {
          for (const listener of eventListeners) {
            try { listener(event); } catch (e) { console.warn('event listener failed', e); }
          }
        }

        function start() {
          $('api-key').value = apiKey();
          $('key-form').addEventListener('submit', event => {
            event.preventDefault();
            saveKey($('api-key').value.trim());
            showAuthRequired(false);
            restartFeed();
            refreshAll();
          });
          $('key-clear').addEventListener('click', () => { $('api-key').value = ''; saveKey(''); restartFeed(); refreshAll(); });
          startEventList();
          startBackends();
          if (isDev) startFaults();
          startModels();
          startVoices();
          startPlaygrounds();
          follow();
        }
        function refreshAll() { refreshHealth(); refreshModels(); refreshVoices(); if (isDev) refreshFaults(); }
        """#
}
