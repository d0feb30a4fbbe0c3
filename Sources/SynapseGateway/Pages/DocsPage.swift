/// `/docs`: the interactive reference. Every operation of `/openapi.json`, grouped by tag, with
/// its schemas and a form that sends it: path and query parameters, a JSON body prefilled with the
/// example or a multipart form (a file input per file field), the API key as a bearer token. The
/// answer shows its status, headers, time and body; event streams are shown as they arrive,
/// audio in a player. Served from the binary, no external asset.
enum DocsPage {
    static let html = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Synapse API — try it</title>
        <link rel="icon" href="data:,">
        <style>
        \#(ReferenceScript.css)
        header { background: var(--ink); color: #fff; padding: .8rem 1rem; display: flex; flex-wrap: wrap; gap: .6rem 1.2rem; align-items: center; }
        header h1 { font-size: 1.2rem; margin: 0; }
        header a { color: #bfdbfe; }
        header .key { margin-left: auto; display: flex; gap: .4rem; align-items: center; }
        header input { width: 14rem; max-width: 60vw; padding: .3rem; border-radius: .25rem; border: 1px solid #94a3b8; }
        main { max-width: 1100px; margin: 0 auto; padding: 0 1rem 3rem; }
        h2 { font-size: 1.15rem; margin: 1.8rem 0 .2rem; border-bottom: 1px solid var(--line); padding-bottom: .3rem; }
        .tag-description { color: var(--muted); margin: .2rem 0 .6rem; font-size: .9rem; }
        details.op { border: 1px solid var(--line); border-radius: .4rem; margin: .4rem 0; background: #fff; }
        details.op > summary { cursor: pointer; padding: .5rem .7rem; display: flex; flex-wrap: wrap; gap: .3rem .8rem; align-items: baseline; }
        details.op > summary .path { font-weight: 600; word-break: break-all; }
        details.op > summary .summary { color: var(--muted); font-size: .9rem; }
        details.op[open] > summary { border-bottom: 1px solid var(--line); }
        .op-body { padding: .6rem 1rem 1rem; }
        form fieldset { border: 1px solid var(--line); border-radius: .3rem; margin: .6rem 0; padding: .4rem .7rem .7rem; }
        form legend { font-weight: 600; font-size: .9rem; }
        .field { display: grid; grid-template-columns: minmax(8rem, 14rem) 1fr; gap: .3rem .8rem; align-items: center; margin: .3rem 0; }
        .field label { font-family: ui-monospace, monospace; font-size: .85rem; }
        .field .hint { grid-column: 2; color: var(--muted); font-size: .8rem; }
        input[type=text], textarea { width: 100%; padding: .35rem; border: 1px solid #94a3b8; border-radius: .25rem; }
        textarea { min-height: 9rem; resize: vertical; }
        .actions { display: flex; gap: .6rem; margin: .6rem 0; }
        button { font: inherit; padding: .35rem 1rem; border-radius: .3rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
        button.secondary { background: #fff; color: var(--accent); }
        button:disabled { opacity: .5; cursor: default; }
        .result { margin-top: .6rem; }
        .result .status { font-weight: 700; }
        .result pre { max-height: 28rem; overflow: auto; }
        .result .ok { color: #15803d; } .result .bad { color: #b91c1c; }
        .events { list-style: none; padding: 0; margin: .3rem 0; max-height: 24rem; overflow-y: auto; border: 1px solid var(--line); border-radius: .3rem; }
        .events li { border-bottom: 1px solid var(--line); padding: .3rem .5rem; font-family: ui-monospace, monospace; font-size: .8rem; white-space: pre-wrap; word-break: break-word; }
        .events li .name { color: var(--accent); font-weight: 700; }
        details.schemas > summary, details.headers > summary { cursor: pointer; color: var(--muted); margin: .4rem 0; }
        h3 { font-size: .95rem; margin: .8rem 0 .2rem; }
        h4 { font-size: .9rem; margin: .6rem 0 .1rem; }
        @media (max-width: 700px) { .field { grid-template-columns: 1fr; } .field .hint { grid-column: 1; } header .key { margin-left: 0; } }
        </style>
        </head>
        <body>
        <header>
          <h1>Synapse API</h1>
          <nav aria-label="Other pages"><a href="/redoc">Reference</a> · <a href="/openapi.json">openapi.json</a> · <a href="/">Dashboard</a></nav>
          <div class="key">
            <label for="api-key">API key</label>
            <input id="api-key" type="password" autocomplete="off" placeholder="sent as Authorization: Bearer">
          </div>
        </header>
        <main id="api" aria-busy="true"><p>Loading the reference…</p></main>
        <script>
        \#(ReferenceScript.common)
        const el = API.el;
        const keyInput = document.getElementById('api-key');
        try { keyInput.value = localStorage.getItem('synapse.apiKey') || ''; } catch (e) { /* storage unavailable */ }
        keyInput.addEventListener('input', () => { try { localStorage.setItem('synapse.apiKey', keyInput.value); } catch (e) { /* storage unavailable */ } });

        let nextID = 0;
        const uid = prefix => prefix + '-' + (++nextID);

        /** One input row: a label and its control, with a hint under it. */
        function field(labelText, control, hint) {
          const id = uid('f');
          control.id = id;
          return el('div', { class: 'field' }, el('label', { for: id, text: labelText }), control, hint ? el('span', { class: 'hint', text: hint }) : null);
        }

        function exampleText(value) { return value === undefined || value === null ? '' : (typeof value === 'string' ? value : JSON.stringify(value)); }

        /** The form of one operation, and what sends it. */
        function tryItOut(method, path, op) {
          const form = el('form', { novalidate: true });
          const inputs = [];
          const parameters = op.parameters || [];
          if (parameters.length) {
            const set = el('fieldset', {}, el('legend', { text: 'Parameters' }));
            for (const p of parameters) {
              const input = el('input', { type: 'text', value: exampleText(p.example), required: p.required, 'aria-required': p.required ? 'true' : null });
              inputs.push({ p, input });
              set.append(field(p.name + (p.required ? ' *' : ''), input, p.in + ' · ' + API.typeLabel(p.schema) + (p.description ? ' · ' + p.description : '')));
            }
            form.append(set);
          }
          const content = (op.requestBody || {}).content || {};
          let bodyKind = null, textarea = null, formFields = [];
          if (content['application/json']) {
            bodyKind = 'json';
            textarea = el('textarea', { spellcheck: 'false' });
            textarea.value = JSON.stringify(content['application/json'].example ?? {}, null, 2);
            form.append(el('fieldset', {}, el('legend', { text: 'Body (application/json)' }), field('JSON', textarea, 'Prefilled with the example; edit freely')));
          } else if (content['multipart/form-data']) {
            bodyKind = 'multipart';
            const media = content['multipart/form-data'];
            const schema = API.resolve(media.schema);
            const required = new Set(schema.required || []);
            const example = media.example || {};
            const set = el('fieldset', {}, el('legend', { text: 'Form (multipart/form-data)' }));
            for (const [name, property] of Object.entries(schema.properties || {})) {
              const p = API.resolve(property);
              const isFile = p.format === 'binary' || (p.items && API.resolve(p.items).format === 'binary');
              const input = isFile
                ? el('input', { type: 'file', multiple: p.type === 'array', accept: 'audio/*,.wav,.mp3,.flac,.ogg' })
                : el('input', { type: 'text', value: exampleText(example[name]) });
              formFields.push({ name, input, isFile });
              set.append(field(name + (required.has(name) ? ' *' : ''), input,
                (isFile ? (p.type === 'array' ? 'files' : 'file') : API.typeLabel(property)) + (p.description ? ' · ' + p.description : '') + (API.constraints(property) ? ' · ' + API.constraints(property) : '')));
            }
            form.append(set);
          }
          const send = el('button', { type: 'submit', text: 'Send' });
          const stop = el('button', { type: 'button', class: 'secondary', text: 'Stop', disabled: true });
          const result = el('div', { class: 'result', 'aria-live': 'polite' });
          form.append(el('div', { class: 'actions' }, send, stop), result);
          let controller = null;
          stop.addEventListener('click', () => { if (controller) controller.abort(); });

          form.addEventListener('submit', async event => {
            event.preventDefault();
            let url = path;
            const query = new URLSearchParams();
            const headers = {};
            for (const { p, input } of inputs) {
              const value = input.value;
              if (p.in === 'path') url = url.replace('{' + p.name + '}', encodeURIComponent(value));
              else if (value === '') continue;
              else if (p.in === 'query') query.append(p.name, value);
              else if (p.in === 'header') headers[p.name] = value;
            }
            if ([...query].length) url += '?' + query.toString();
            if (keyInput.value) headers['Authorization'] = 'Bearer ' + keyInput.value;
            let body;
            if (bodyKind === 'json') {
              try { JSON.parse(textarea.value); } catch (error) {
                result.replaceChildren(el('p', { class: 'error', role: 'alert', text: 'The body is not valid JSON: ' + error.message }));
                return;
              }
              headers['Content-Type'] = 'application/json';
              body = textarea.value;
            } else if (bodyKind === 'multipart') {
              body = new FormData();
              for (const { name, input, isFile } of formFields) {
                if (isFile) for (const file of input.files) body.append(name, file, file.name);
                else if (input.value !== '') body.append(name, input.value);
              }
            }
            controller = new AbortController();
            send.disabled = true; stop.disabled = false;
            const status = el('p', {}, 'Sending ', el('code', { text: method.toUpperCase() + ' ' + url }), '…');
            result.replaceChildren(status);
            const started = performance.now();
            try {
              const response = await fetch(url, { method: method.toUpperCase(), headers, body, signal: controller.signal });
              const elapsed = () => Math.round(performance.now() - started) + ' ms';
              const timing = el('span', { text: elapsed() + ' to the headers' });
              status.replaceChildren(el('span', { class: 'status ' + (response.ok ? 'ok' : 'bad'), text: response.status + ' ' + response.statusText }), ' · ', timing);
              const headerText = [...response.headers.entries()].map(([k, v]) => k + ': ' + v).join('\n');
              result.append(el('details', { class: 'headers' }, el('summary', { text: 'Response headers' }), el('pre', { text: headerText })));
              const type = (response.headers.get('content-type') || '').toLowerCase();
              if (type.startsWith('text/event-stream') && response.body) {
                const list = el('ol', { class: 'events', 'aria-label': 'Events as they arrive' });
                result.append(list);
                await readEvents(response.body, list);
                timing.textContent = elapsed() + ' (stream ended)';
              } else if (type.startsWith('audio/')) {
                const blob = await response.blob();
                const src = URL.createObjectURL(blob);
                result.append(el('audio', { controls: true, src, 'aria-label': 'The answer' }),
                  el('p', {}, el('a', { href: src, download: filename(response) || 'answer', text: 'Download' }), ' (' + blob.size + ' bytes, ' + type + ')'));
                timing.textContent = elapsed();
              } else {
                const text = await response.text();
                let shown = text;
                if (type.includes('json')) { try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* shown as sent */ } }
                result.append(el('pre', { text: shown || '(empty body)' }));
                timing.textContent = elapsed();
              }
            } catch (error) {
              result.append(el('p', { class: 'error', role: 'alert', text: error.name === 'AbortError' ? 'Stopped.' : 'The request failed: ' + error.message }));
            } finally {
              send.disabled = false; stop.disabled = true; controller = null;
            }
          });
          return form;
        }

        function filename(response) {
          const match = /filename="?([^";]+)"?/.exec(response.headers.get('content-disposition') || '');
          return match ? match[1] : null;
        }

        /** Appends each server-sent event to the list as it arrives (fields split, comments shown dimmed). */
        async function readEvents(stream, list) {
          const reader = stream.getReader();
          const decoder = new TextDecoder();
          let buffer = '';
          const flush = block => {
            if (!block.trim()) return;
            let name = 'message', data = [], other = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) name = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
              else if (line.trim()) other.push(line);
            }
            const item = el('li', {}, el('span', { class: 'name', text: data.length ? name : other.join(' ') }));
            if (data.length) {
              let text = data.join('\n');
              try { text = JSON.stringify(JSON.parse(text)); } catch (e) { /* not JSON: shown as sent */ }
              item.append(' ' + [other.join(' '), text].filter(Boolean).join(' · '));
            }
            list.append(item);
            list.scrollTop = list.scrollHeight;
          };
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
            let end;
            while ((end = buffer.indexOf('\n\n')) >= 0) { flush(buffer.slice(0, end)); buffer = buffer.slice(end + 2); }
          }
          flush(buffer);
        }

        /** The schemas of an operation: its body's and each answer's. */
        function schemas(op) {
          const box = el('details', { class: 'schemas' }, el('summary', { text: 'Schemas and answers' }));
          for (const [type, media] of Object.entries((op.requestBody || {}).content || {})) {
            box.append(el('h4', { text: 'Request body · ' + type }), API.schemaView(media.schema));
          }
          for (const [code, answer] of Object.entries(op.responses || {})) {
            const response = API.response(answer);
            box.append(el('h4', { text: code + ' · ' + response.description }));
            for (const [type, media] of Object.entries(response.content || {})) {
              box.append(el('p', {}, el('code', { text: type })), API.schemaView(media.schema, 0, !code.startsWith('2')));
              if (media.example !== undefined)
                box.append(el('details', {}, el('summary', { text: 'Example' }),
                  el('pre', { text: typeof media.example === 'string' ? media.example : JSON.stringify(media.example, null, 2) })));
              for (const [name, data] of Object.entries(media['x-events'] || {}))
                box.append(el('p', {}, 'Event ', el('code', { text: name }), ' — its data:'), API.schemaView(data, 0, true));
            }
          }
          return box;
        }

        function render() {
          const root = document.getElementById('api');
          root.replaceChildren();
          for (const [tag, description, ops] of API.groups()) {
            const headingID = uid('tag');
            const section = el('section', { 'aria-labelledby': headingID }, el('h2', { id: headingID, text: tag }),
              description ? el('p', { class: 'tag-description', text: description }) : null);
            for (const { method, path, op } of ops) {
              const details = el('details', { class: 'op', id: API.anchor(method, path), 'data-operation': API.operationName(method, path) },
                el('summary', {}, el('span', { class: 'method m-' + method, text: method }), el('code', { class: 'path', text: path }),
                  el('span', { class: 'summary', text: op.summary || '' })));
              let built = false;
              const body = el('div', { class: 'op-body' });
              details.append(body);
              // The form is built when first opened: fifty forms at load would slow the page for nothing.
              details.addEventListener('toggle', () => {
                if (!details.open || built) return;
                built = true;
                if (op.description) body.append(API.prose('p', op.description));
                body.append(tryItOut(method, path, op), schemas(op));
              });
              section.append(details);
            }
            root.append(section);
          }
          root.setAttribute('aria-busy', 'false');
          if (location.hash) { const target = document.getElementById(location.hash.slice(1)); if (target) { target.open = true; target.scrollIntoView(); } }
        }

        API.load().then(render).catch(error => API.failed(document.getElementById('api'), error));
        </script>
        </body>
        </html>
        """#
}
