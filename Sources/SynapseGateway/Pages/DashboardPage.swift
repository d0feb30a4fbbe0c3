/// The dashboard served at `/`, `/ui` and `/dashboard`: backend health, breaker states and the
/// routes, refreshed from `/health` every 10 s. Self-contained (no external scripts or fonts), so it
/// works inside a cluster with no internet.
enum DashboardPage {
    static let html = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Synapse Gateway</title>
        <style>
          :root { --bg:#0f172a; --panel:#1e293b; --line:#334155; --text:#f1f5f9; --muted:#94a3b8;
                  --ok:#22c55e; --bad:#ef4444; --warn:#eab308; --accent:#3b82f6; }
          * { box-sizing: border-box; margin: 0; padding: 0; }
          body { background: var(--bg); color: var(--text); font: 15px/1.5 system-ui, sans-serif; padding: 2rem; max-width: 1200px; margin: auto; }
          h1 { font-size: 1.6rem; display: flex; gap: .6rem; align-items: center; }
          .meta { color: var(--muted); font-size: .85rem; margin: .4rem 0 1.6rem; }
          .panel { background: var(--panel); border: 1px solid var(--line); border-radius: .7rem; padding: 1.2rem; margin-bottom: 1.2rem; }
          .panel h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin-bottom: .8rem; }
          .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: .7rem; }
          .card { background: var(--bg); border: 1px solid var(--line); border-radius: .5rem; padding: .9rem; }
          .name { font-weight: 600; display: flex; gap: .5rem; align-items: center; }
          .dot { width: .6rem; height: .6rem; border-radius: 50%; background: var(--muted); display: inline-block; }
          .healthy { background: var(--ok); } .unhealthy, .unreachable { background: var(--bad); } .degraded { background: var(--warn); }
          .detail { color: var(--muted); font-size: .8rem; margin-top: .25rem; }
          .breaker { display: inline-block; font-size: .72rem; padding: .05rem .45rem; border-radius: 999px; border: 1px solid var(--line); margin-top: .4rem; }
          .breaker.open { color: var(--bad); border-color: var(--bad); } .breaker.half_open { color: var(--warn); border-color: var(--warn); }
          table { width: 100%; border-collapse: collapse; font-size: .85rem; }
          th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); }
          th { color: var(--muted); font-weight: 600; }
          code { color: var(--accent); font-family: ui-monospace, monospace; }
          a { color: var(--accent); }
        </style>
        </head>
        <body>
        <h1><span id="overall" class="dot"></span> Synapse Gateway</h1>
        <p class="meta">Status <b id="status">checking…</b> · refreshed <span id="refreshed">never</span> ·
          <a href="/docs">API docs</a> · <a href="/health">/health</a> · <a href="/metrics">/metrics</a></p>
        <div class="panel"><h2>Backends</h2><div class="grid" id="backends"></div></div>
        <div class="panel"><h2>Routes</h2>
          <table><thead><tr><th>Method</th><th>Route</th><th>Backend</th></tr></thead><tbody>
            <tr><td>POST</td><td><code>/v1/embeddings</code></td><td>llama-embed</td></tr>
            <tr><td>POST</td><td><code>/v1/chat/completions</code></td><td>llama-router (SSE with <code>stream: true</code>)</td></tr>
            <tr><td>GET</td><td><code>/v1/models</code></td><td>all OpenAI-compatible backends</td></tr>
            <tr><td>GET · POST</td><td><code>/models</code> · <code>/models/load</code> · <code>/models/unload</code></td><td>llama-router</td></tr>
            <tr><td>POST</td><td><code>/stt/transcribe</code> · <code>/stt/detect-language</code> · <code>/stt/stream</code></td><td>whisper-stt</td></tr>
            <tr><td>POST</td><td><code>/speakers/diarize</code> · <code>/speakers/verify</code></td><td>pyannote-speaker</td></tr>
            <tr><td>POST</td><td><code>/audio/denoise</code> · <code>/audio/convert</code></td><td>deepfilter-audio</td></tr>
            <tr><td>GET · POST · DELETE</td><td><code>/voices</code> · <code>/voices/{id}</code> · <code>/voices/{id}/references</code></td><td>voice library</td></tr>
            <tr><td>POST · GET</td><td><code>/tts/synthesize</code> · <code>/tts/stream</code> · <code>/tts/interpolate</code> · <code>/tts/languages</code></td><td>chatterbox-tts</td></tr>
          </tbody></table>
        </div>
        <script>
        function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
        async function refresh() {
          try {
            const health = await (await fetch('/health', {cache: 'no-store'})).json();
            document.getElementById('status').textContent = health.status;
            document.getElementById('overall').className = 'dot ' + health.status;
            const grid = document.getElementById('backends');
            grid.replaceChildren();
            for (const [name, b] of Object.entries(health.backends).sort()) {
              const card = el('div', 'card');
              const title = el('div', 'name'); title.append(el('span', 'dot ' + b.status), el('span', '', name));
              card.append(title);
              let line = b.status + (b.code ? ' (' + b.code + ')' : '') + (b.latency_ms !== undefined ? ' · ' + b.latency_ms + ' ms' : '');
              card.append(el('div', 'detail', line));
              if (b.error) card.append(el('div', 'detail', b.error));
              if (b.breaker) {
                let text = 'breaker ' + b.breaker.state.replace('_', '-');
                if (b.breaker.consecutive_failures) text += ' · ' + b.breaker.consecutive_failures + ' failures';
                if (b.breaker.seconds_until_half_open !== undefined) text += ' · probe in ' + Math.ceil(b.breaker.seconds_until_half_open) + ' s';
                card.append(el('span', 'breaker ' + b.breaker.state, text));
              }
              grid.append(card);
            }
            document.getElementById('refreshed').textContent = new Date().toLocaleTimeString();
          } catch (e) {
            document.getElementById('status').textContent = 'gateway unreachable';
          }
        }
        refresh(); setInterval(refresh, 10000);
        </script>
        </body>
        </html>
        """#
}
