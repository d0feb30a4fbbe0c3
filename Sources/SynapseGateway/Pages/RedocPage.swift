/// `/redoc`: the reading-oriented reference. A sidebar of tags and operations; each operation
/// with its parameters, request body and answers as nested property tables, and its examples.
/// Served from the binary, no external asset.
enum RedocPage {
    static let html = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Synapse API reference</title>
        <link rel="icon" href="data:,">
        <style>
        \#(ReferenceScript.css)
        .layout { display: grid; grid-template-columns: 17rem minmax(0, 1fr); min-height: 100vh; }
        nav.sidebar { position: sticky; top: 0; height: 100vh; overflow-y: auto; background: #f8fafc; border-right: 1px solid var(--line); padding: 1rem .8rem; font-size: .88rem; }
        nav.sidebar h1 { font-size: 1.05rem; margin: 0 0 .6rem; }
        nav.sidebar h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 1rem 0 .3rem; }
        nav.sidebar ul { list-style: none; padding: 0; margin: 0; }
        nav.sidebar li a { display: flex; gap: .4rem; align-items: baseline; padding: .15rem .2rem; text-decoration: none; color: var(--ink); border-radius: .2rem; }
        nav.sidebar li a:hover { background: var(--soft); }
        nav.sidebar .method { min-width: 3.2rem; font-size: .65rem; }
        nav.sidebar .links { font-size: .85rem; }
        nav.sidebar .toc-path { word-break: break-all; }
        main { padding: 1rem 2rem 4rem; max-width: 1000px; }
        main > header p { color: var(--muted); }
        section.tag > h2 { font-size: 1.4rem; border-bottom: 2px solid var(--line); padding-bottom: .3rem; margin-top: 2.5rem; }
        section.op { border-bottom: 1px solid var(--line); padding: .8rem 0 1.4rem; }
        section.op h3 { font-size: 1.1rem; margin: .4rem 0; }
        section.op .endpoint { display: flex; flex-wrap: wrap; gap: .6rem; align-items: center; background: var(--soft); border-radius: .3rem; padding: .4rem .6rem; }
        section.op .endpoint code { background: none; word-break: break-all; }
        section.op h4 { font-size: .95rem; margin: 1rem 0 .3rem; color: var(--muted); }
        .response { border-left: 3px solid var(--line); padding-left: .8rem; margin: .6rem 0; }
        .response.s2 { border-color: #15803d; } .response.s4 { border-color: #b45309; } .response.s5 { border-color: #b91c1c; }
        .response h5 { font-size: .9rem; margin: .2rem 0; }
        .try { font-size: .85rem; }
        @media (max-width: 800px) {
          .layout { grid-template-columns: minmax(0, 1fr); }
          nav.sidebar { position: static; height: auto; max-height: 40vh; border-right: none; border-bottom: 1px solid var(--line); }
          main { padding: 1rem; }
        }
        </style>
        </head>
        <body>
        <div class="layout">
          <nav class="sidebar" aria-label="Operations">
            <h1>Synapse API</h1>
            <p class="links"><a href="/docs">Try it (/docs)</a> · <a href="/openapi.json">openapi.json</a> · <a href="/">Dashboard</a></p>
            <div id="toc">Loading…</div>
          </nav>
          <main id="api" aria-busy="true"><p>Loading the reference…</p></main>
        </div>
        <script>
        \#(ReferenceScript.common)
        const el = API.el;

        function example(value) { return el('pre', { text: typeof value === 'string' ? value : JSON.stringify(value, null, 2) }); }

        function operation(method, path, op) {
          const id = API.anchor(method, path);
          const section = el('section', { class: 'op', id, 'data-operation': API.operationName(method, path), 'aria-labelledby': id + '-title' },
            el('h3', { id: id + '-title', text: op.summary || path }),
            el('div', { class: 'endpoint' }, el('span', { class: 'method m-' + method, text: method }), el('code', { text: path }),
              el('a', { class: 'try', href: '/docs#' + id, text: 'Try it' })));
          if (op.description) section.append(API.prose('p', op.description));
          if (op.security && op.security.length === 0) section.append(el('p', { class: 'schema-type', text: 'Open: no API key needed.' }));
          if (op.security && op.security.some(s => s.adminToken)) section.append(el('p', { class: 'schema-type', text: 'Needs the admin token (Authorization: Bearer).' }));
          if ((op.parameters || []).length) section.append(el('h4', { text: 'Parameters' }), API.parameterTable(op.parameters));
          const body = op.requestBody;
          if (body) {
            for (const [type, media] of Object.entries(body.content || {})) {
              section.append(el('h4', { text: 'Request body · ' + type + (body.required ? '' : ' (optional)') }), API.schemaView(media.schema));
              if (media.encoding && Object.keys(media.encoding).length)
                section.append(el('p', { class: 'schema-type', text: 'File parts: ' + Object.entries(media.encoding).map(([k, v]) => k + ' (' + v.contentType + ')').join(', ') }));
              if (media.example !== undefined) section.append(el('p', { text: 'Example:' }), example(media.example));
            }
          }
          section.append(el('h4', { text: 'Responses' }));
          for (const [code, answer] of Object.entries(op.responses || {})) {
            const response = API.response(answer);
            const box = el('div', { class: 'response s' + code[0] }, el('h5', {}, el('code', { text: code }), ' ', API.prose('span', response.description)));
            for (const [name, header] of Object.entries(response.headers || {})) {
              box.append(el('p', { class: 'schema-type' }, 'Header ', el('code', { text: name }), ' — ' + (header.description || '')));
            }
            for (const [type, media] of Object.entries(response.content || {})) {
              box.append(el('p', {}, el('code', { text: type })), API.schemaView(media.schema, 0, !code.startsWith('2')));
              for (const [name, data] of Object.entries(media['x-events'] || {}))
                box.append(el('p', {}, 'Event ', el('code', { text: name }), ' — its data:'), API.schemaView(data, 0, true));
              if (media.example !== undefined) box.append(example(media.example));
            }
            section.append(box);
          }
          return section;
        }

        function render() {
          const root = document.getElementById('api'), toc = document.getElementById('toc');
          root.replaceChildren(el('header', {}, el('h1', { text: API.doc.info.title + ' ' + API.doc.info.version }), API.prose('p', API.doc.info.description)));
          toc.replaceChildren();
          let index = 0;
          for (const [tag, description, ops] of API.groups()) {
            const tagID = 'tag-' + (++index);
            toc.append(el('h2', {}, el('a', { href: '#' + tagID, text: tag })),
              el('ul', {}, ops.map(({ method, path, op }) => el('li', {}, el('a', { href: '#' + API.anchor(method, path), title: op.summary || '' },
                el('span', { class: 'method m-' + method, text: method }), el('span', { class: 'toc-path', text: path }))))));
            const section = el('section', { class: 'tag', 'aria-labelledby': tagID }, el('h2', { id: tagID, text: tag }),
              description ? el('p', { text: description }) : null);
            for (const { method, path, op } of ops) section.append(operation(method, path, op));
            root.append(section);
          }
          root.setAttribute('aria-busy', 'false');
          if (location.hash) { const target = document.getElementById(location.hash.slice(1)); if (target) target.scrollIntoView(); }
        }

        API.load().then(render).catch(error => API.failed(document.getElementById('api'), error));
        </script>
        </body>
        </html>
        """#
}
