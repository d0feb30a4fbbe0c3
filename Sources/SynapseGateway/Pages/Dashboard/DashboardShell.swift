/// The dashboard's markup: the header with the API-key field, then the panels the scripts fill.
/// Every input has a label, every action is a `<button>`, and each panel has a heading.
enum DashboardShell {
    static let body = #"""
        <a class="skip" href="#main">Skip to the panels</a>
        <header>
          <div>
            <h1><span id="overall" class="dot" aria-hidden="true"></span> Synapse Gateway</h1>
            <p class="meta">
              <span>Status <b id="status">checking…</b></span>
              <span>Live feed <span id="feed-state" class="badge">connecting</span></span>
              <a href="/docs">API docs</a> <a href="/redoc">ReDoc</a> <a href="/health">/health</a> <a href="/metrics">/metrics</a>
            </p>
          </div>
          <form id="key-form" class="keyform">
            <label for="api-key">API key</label>
            <input id="api-key" type="password" autocomplete="off" placeholder="not set" size="18">
            <button type="submit">Save key</button>
            <button type="button" class="quiet" id="key-clear">Forget</button>
          </form>
        </header>
        <div id="auth-banner" class="banner" role="alert" hidden>
          <b>Authentication required.</b> This gateway asks for an API key: enter it above (it is kept in this browser's local storage
          and sent as <code>Authorization: Bearer</code>).
        </div>
        <main id="main" class="layout">
          <div class="column">
            <section id="backends-panel" aria-labelledby="backends-h">
              <h2 id="backends-h">Backends</h2>
              <div class="grid" id="backends"><p class="empty">Waiting for /health…</p></div>
            </section>
            <section id="faults-panel" aria-labelledby="faults-h" hidden>
              <h2 id="faults-h">Fault injection (synapse dev)</h2>
              <form id="fault-form">
                <div class="row">
                  <label>Mock <select id="fault-mock" name="mock"></select></label>
                  <label>Kind
                    <select id="fault-kind" name="kind">
                      <option value="refuse">refuse (connection refused)</option>
                      <option value="status">status (HTTP error)</option>
                      <option value="latency">latency (delay)</option>
                      <option value="reset">reset (TCP reset)</option>
                      <option value="hang">hang (never answers)</option>
                      <option value="malformed">malformed (broken body)</option>
                    </select>
                  </label>
                  <label>Status <input id="fault-status" type="number" min="100" max="599" value="503" size="4"></label>
                  <label>Delay ms <input id="fault-ms" type="number" min="0" value="1000" size="6"></label>
                  <label>Times (empty: until cleared) <input id="fault-times" type="number" min="1" size="4"></label>
                  <button type="submit" id="fault-inject">Inject fault</button>
                </div>
              </form>
              <p id="fault-message" class="detail" role="status"></p>
              <table>
                <thead><tr><th scope="col">Mock</th><th scope="col">Active faults</th><th scope="col"><span class="sr">Actions</span></th></tr></thead>
                <tbody id="fault-list"></tbody>
              </table>
            </section>
            <section id="playgrounds-panel" aria-labelledby="playgrounds-h">
              <h2 id="playgrounds-h">Playgrounds</h2>
              <details class="playground" id="pg-chat" open>
                <summary>Chat (streamed)</summary>
                <form id="chat-form">
                  <div class="row">
                    <label>Model <select id="chat-model"><option value="auto">auto</option></select></label>
                  </div>
                  <label class="field" for="chat-prompt">Message</label>
                  <textarea id="chat-prompt">Write one sentence about gateways.</textarea>
                  <div class="row"><button type="submit" id="chat-send">Send</button><button type="button" class="quiet" id="chat-stop" disabled>Stop</button></div>
                </form>
                <pre class="output" id="chat-output" aria-live="polite" aria-label="Chat answer"></pre>
              </details>
              <details class="playground" id="pg-embed">
                <summary>Embeddings</summary>
                <form id="embed-form">
                  <label class="field" for="embed-input">Text</label>
                  <textarea id="embed-input">hello</textarea>
                  <div class="row"><button type="submit">Embed</button></div>
                </form>
                <pre class="output" id="embed-output" aria-live="polite" aria-label="Embedding"></pre>
              </details>
              <details class="playground" id="pg-tts">
                <summary>Text to speech</summary>
                <form id="tts-form">
                  <label class="field" for="tts-text">Text</label>
                  <textarea id="tts-text">Hello from the Synapse dashboard.</textarea>
                  <div class="row">
                    <label>Voice <select id="tts-voice"><option value="">default voice</option></select></label>
                    <label>Language <select id="tts-language"><option value="">default</option></select></label>
                    <button type="submit" id="tts-speak">Speak</button>
                  </div>
                </form>
                <p class="detail" id="tts-message" role="status"></p>
                <audio id="tts-audio" controls aria-label="Synthesized speech"></audio>
                <a id="tts-download" hidden download="synapse_tts.wav">Download WAV</a>
              </details>
              <details class="playground" id="pg-stt">
                <summary>Speech to text</summary>
                <form id="stt-form">
                  <div class="row">
                    <label>Audio file <input id="stt-file" type="file" accept="audio/*"></label>
                    <label>Language <input id="stt-language" size="4" placeholder="auto"></label>
                    <button type="submit">Transcribe</button>
                    <button type="button" class="quiet" id="stt-record" hidden>Record from microphone</button>
                  </div>
                </form>
                <pre class="output" id="stt-output" aria-live="polite" aria-label="Transcript"></pre>
              </details>
              <details class="playground" id="pg-audio">
                <summary>Convert and denoise</summary>
                <form id="audio-form">
                  <div class="row">
                    <label>Audio file <input id="audio-file" type="file" accept="audio/*"></label>
                    <label>Operation
                      <select id="audio-op"><option value="denoise">denoise</option><option value="convert">convert</option></select>
                    </label>
                    <label>Format
                      <select id="audio-format"><option>wav</option><option>mp3</option><option>flac</option><option>ogg</option></select>
                    </label>
                    <button type="submit">Run</button>
                  </div>
                </form>
                <p class="detail" id="audio-message" role="status"></p>
                <audio id="audio-result" controls aria-label="Processed audio"></audio>
                <a id="audio-download" hidden>Download</a>
              </details>
            </section>
          </div>
          <div class="column">
            <section id="events-panel" aria-labelledby="events-h">
              <h2 id="events-h">Live events</h2>
              <div class="row">
                <label>Type <select id="event-type"><option value="">all types</option></select></label>
                <label>Backend <select id="event-backend"><option value="">all backends</option></select></label>
                <button type="button" class="quiet" id="events-pause" aria-pressed="false">Pause</button>
                <button type="button" class="quiet" id="events-clear">Clear</button>
              </div>
              <ol id="events" class="events" aria-live="polite" aria-relevant="additions"></ol>
              <p id="events-empty" class="empty">No events yet: send a request, or inject a fault.</p>
            </section>
            <section id="models-panel" aria-labelledby="models-h">
              <h2 id="models-h">Models (llama-router)</h2>
              <p class="detail" id="models-message" role="status"></p>
              <table>
                <thead><tr><th scope="col">Model</th><th scope="col">State</th><th scope="col"><span class="sr">Actions</span></th></tr></thead>
                <tbody id="models"></tbody>
              </table>
            </section>
            <section id="voices-panel" aria-labelledby="voices-h">
              <h2 id="voices-h">Voice library</h2>
              <form id="voice-form">
                <div class="row">
                  <label>Name <input id="voice-name" required maxlength="100" size="14"></label>
                  <label>WAV files (each over 5 s) <input id="voice-files" type="file" accept=".wav,audio/wav" multiple required></label>
                  <button type="submit" id="voice-upload">Upload voice</button>
                </div>
              </form>
              <p class="detail" id="voice-message" role="status"></p>
              <ul id="voices" class="voices"></ul>
            </section>
          </div>
        </main>
        """#
}
