/// `/docs`: the OpenAPI document at `/openapi.json`, rendered without external assets.
enum DocsPage {
    static let html = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Synapse API</title>
        <style>
          body { font: 15px/1.5 system-ui, sans-serif; max-width: 1000px; margin: 2rem auto; padding: 0 1rem; color: #0f172a; }
          h1 { font-size: 1.6rem; } h2 { font-size: 1.1rem; margin-top: 2rem; border-bottom: 1px solid #e2e8f0; padding-bottom: .3rem; }
          details { border: 1px solid #e2e8f0; border-radius: .4rem; margin: .4rem 0; }
          summary { cursor: pointer; padding: .5rem .7rem; display: flex; gap: .8rem; align-items: baseline; }
          .method { font: 700 .8rem ui-monospace, monospace; width: 4.5rem; text-transform: uppercase; }
          .get { color: #16a34a; } .post { color: #2563eb; } .delete { color: #dc2626; }
          .path { font-family: ui-monospace, monospace; }
          .summary { color: #475569; font-size: .9rem; }
          .body { padding: 0 1rem .8rem 6.2rem; font-size: .9rem; }
          code, pre { font-family: ui-monospace, monospace; background: #f1f5f9; border-radius: .25rem; }
          pre { padding: .5rem; overflow-x: auto; }
        </style>
        </head>
        <body>
        <h1>Synapse API</h1>
        <p>The machine-readable description is at <a href="/openapi.json"><code>/openapi.json</code></a>. Errors the gateway
        produces itself look like <code>{"error":{"message","type","code","backend","request_id"}}</code>.
        <a href="/">Dashboard</a></p>
        <div id="api">Loading…</div>
        <script>
        function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
        fetch('/openapi.json').then(r => r.json()).then(doc => {
          const groups = {};
          for (const [path, methods] of Object.entries(doc.paths))
            for (const [method, op] of Object.entries(methods)) (groups[op.tags[0]] ||= []).push([method, path, op]);
          const root = document.getElementById('api'); root.replaceChildren();
          for (const [tag, ops] of Object.entries(groups)) {
            root.append(el('h2', '', tag));
            for (const [method, path, op] of ops) {
              const d = el('details'); const s = el('summary');
              d.dataset.operation = method.toUpperCase() + ' ' + path;
              s.append(el('span', 'method ' + method, method), el('span', 'path', path), el('span', 'summary', op.summary));
              d.append(s);
              const body = el('div', 'body');
              const content = op.requestBody && op.requestBody.content;
              if (content && content['application/json']) { body.append(el('div', '', 'JSON body, e.g.')); body.append(el('pre', '', JSON.stringify(content['application/json'].example, null, 2))); }
              if (content && content['multipart/form-data']) {
                const schema = content['multipart/form-data'].schema;
                body.append(el('div', '', 'multipart/form-data fields: ' + Object.entries(schema.properties).map(([k, v]) =>
                  k + (v.format === 'binary' ? ' (file)' : '') + (schema.required.includes(k) ? ' *' : '')).join(', ')));
              }
              body.append(el('div', '', 'Responses: ' + Object.entries(op.responses).map(([k, v]) => k + ' ' + v.description).join(' · ')));
              d.append(body); root.append(d);
            }
          }
        });
        </script>
        </body>
        </html>
        """#
}
