/// The script `/docs` and `/redoc` share: loads `/openapi.json`, resolves `$ref`s, groups the
/// operations by tag and renders schemas as nested property tables. Plain DOM, no library.
enum ReferenceScript {
    static let common = #"""
        const API = { doc: null };

        /** An element: attributes (text sets textContent, class sets className), then children. */
        API.el = function (tag, attributes, ...children) {
          const node = document.createElement(tag);
          for (const [key, value] of Object.entries(attributes || {})) {
            if (value === undefined || value === null || value === false) continue;
            if (key === 'text') node.textContent = value;
            else if (key === 'class') node.className = value;
            else node.setAttribute(key, value === true ? '' : value);
          }
          for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
          return node;
        };

        API.load = async function () {
          const response = await fetch('/openapi.json');
          if (!response.ok) throw new Error('GET /openapi.json answered ' + response.status);
          API.doc = await response.json();
          return API.doc;
        };

        /** A schema with its $ref chain followed; $name is the component's name. */
        API.resolve = function (schema) {
          let current = schema || {}, name = null;
          const description = current.description;
          for (let hops = 0; current.$ref && hops < 20; hops++) {
            name = current.$ref.split('/').pop();
            current = (API.doc.components.schemas || {})[name] || {};
          }
          current = Object.assign({}, current);
          if (name) current.$name = name;
          if (description) current.description = description;
          return current;
        };

        /** An answer, with a shared one (components/responses) looked up. */
        API.response = function (response) {
          if (!response || !response.$ref) return response || {};
          return (API.doc.components.responses || {})[response.$ref.split('/').pop()] || {};
        };

        /** `GET /voices/{voice_id}`: the name pages give each operation (data-operation). */
        API.operationName = (method, path) => method.toUpperCase() + ' ' + path;
        API.anchor = (method, path) => 'op-' + method + path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '');

        /** The operations by tag, in the document's tag order: [[tag, description, [{method, path, op}]]]. */
        API.groups = function () {
          const methods = ['get', 'put', 'post', 'delete', 'patch'];
          const byTag = new Map((API.doc.tags || []).map(t => [t.name, { description: t.description, ops: [] }]));
          for (const [path, item] of Object.entries(API.doc.paths)) {
            for (const method of methods) {
              const op = item[method];
              if (!op) continue;
              const tag = (op.tags || ['Other'])[0];
              if (!byTag.has(tag)) byTag.set(tag, { description: '', ops: [] });
              byTag.get(tag).ops.push({ method, path, op });
            }
          }
          return [...byTag.entries()].filter(([, g]) => g.ops.length).map(([tag, g]) => [tag, g.description, g.ops]);
        };

        API.typeLabel = function (schema) {
          if (!schema) return 'any';
          if (schema.$ref) return schema.$ref.split('/').pop();
          const choices = schema.oneOf || schema.anyOf;
          if (choices) return choices.map(API.typeLabel).join(' | ');
          let label = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type || 'any');
          if (schema.type === 'array') label = API.typeLabel(schema.items) + '[]';
          if (schema.type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object')
            label = 'map of ' + API.typeLabel(schema.additionalProperties);
          if (schema.format) label += ' (' + schema.format + ')';
          return label;
        };

        API.constraints = function (schema) {
          const s = API.resolve(schema), notes = [];
          if (s.enum) notes.push('one of: ' + s.enum.join(', '));
          if (s.minimum !== undefined) notes.push('≥ ' + s.minimum);
          if (s.maximum !== undefined) notes.push('≤ ' + s.maximum);
          if (s.minItems !== undefined) notes.push('items ≥ ' + s.minItems);
          if (s.maxItems !== undefined) notes.push('items ≤ ' + s.maxItems);
          if (s.default !== undefined) notes.push('default ' + JSON.stringify(s.default));
          if (s.examples) notes.push('e.g. ' + s.examples.map(e => JSON.stringify(e)).join(', '));
          return notes.join(' · ');
        };

        /** The schema's nested fields, if it has any worth a table: an object, or an array of objects. */
        API.fieldsOf = function (schema) {
          let s = API.resolve(schema);
          if (s.type === 'array' && s.items) s = API.resolve(s.items);
          if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') s = API.resolve(s.additionalProperties);
          return s.properties && Object.keys(s.properties).length ? s : null;
        };

        /** A schema as a table of its properties, nested objects in collapsible rows; `collapsed`
            folds the whole table under its type line (error answers, which repeat). */
        API.schemaView = function (schema, depth, collapsed) {
          depth = depth || 0;
          const s = API.resolve(schema);
          const choices = s.oneOf || s.anyOf;
          if (choices) {
            return API.el('div', { class: 'choices' }, API.el('p', { text: 'One of:' }),
              API.el('ul', {}, choices.map(choice => API.el('li', {}, API.el('code', { text: API.typeLabel(choice) }),
                API.fieldsOf(choice) && depth < 5 ? API.schemaView(choice, depth + 1) : null))));
          }
          const fields = API.fieldsOf(s);
          const head = API.el('p', { class: 'schema-type' }, API.el('code', { text: s.$name ? s.$name + ' (' + API.typeLabel(s) + ')' : API.typeLabel(s) }),
            s.description ? ' — ' + s.description : '', API.constraints(s) ? ' (' + API.constraints(s) + ')' : '');
          if (!fields) return head;
          const required = new Set(fields.required || []);
          const rows = [];
          for (const [name, property] of Object.entries(fields.properties)) {
            const p = API.resolve(property);
            rows.push(API.el('tr', {},
              API.el('td', {}, API.el('code', { text: name }), required.has(name) ? API.el('span', { class: 'required', text: ' required' }) : null),
              API.el('td', {}, API.el('code', { text: API.typeLabel(property) })),
              API.el('td', { text: [p.description, API.constraints(property)].filter(Boolean).join(' · ') })));
            if (depth < 5 && (API.fieldsOf(property) || p.oneOf)) {
              rows.push(API.el('tr', { class: 'nested' }, API.el('td', { colspan: 3 },
                API.el('details', {}, API.el('summary', { text: name + ' — ' + API.typeLabel(property) }), API.schemaView(property, depth + 1)))));
            }
          }
          const table = API.el('table', {}, API.el('thead', {}, API.el('tr', {}, API.el('th', { scope: 'col', text: 'Field' }), API.el('th', { scope: 'col', text: 'Type' }),
              API.el('th', { scope: 'col', text: 'Description' }))), API.el('tbody', {}, rows));
          if (collapsed) return API.el('details', { class: 'schema' }, API.el('summary', {}, ...head.childNodes), table);
          return API.el('div', { class: 'schema' }, head, table);
        };

        /** The parameters of an operation as a table. */
        API.parameterTable = function (parameters) {
          return API.el('table', {}, API.el('thead', {}, API.el('tr', {}, ['Name', 'In', 'Type', 'Description'].map(t => API.el('th', { scope: 'col', text: t })))),
            API.el('tbody', {}, parameters.map(p => API.el('tr', {},
              API.el('td', {}, API.el('code', { text: p.name }), p.required ? API.el('span', { class: 'required', text: ' required' }) : null),
              API.el('td', { text: p.in }), API.el('td', {}, API.el('code', { text: API.typeLabel(p.schema) })),
              API.el('td', { text: [p.description, API.constraints(p.schema), p.example !== undefined ? 'e.g. ' + p.example : ''].filter(Boolean).join(' · ') })))));
        };

        /** Text with `code` spans, as the document's descriptions write them. */
        API.prose = function (tag, text, attributes) {
          const node = API.el(tag, attributes);
          String(text || '').split('`').forEach((part, index) => node.append(index % 2 ? API.el('code', { text: part }) : part));
          return node;
        };

        API.failed = function (root, error) {
          root.replaceChildren(API.el('p', { class: 'error', role: 'alert', text: 'The reference could not be loaded: ' + error.message }));
        };
        """#

    /// CSS both pages share: method colours, tables, code.
    static let css = #"""
        :root { --ink: #0f172a; --muted: #475569; --line: #e2e8f0; --soft: #f1f5f9; --accent: #1d4ed8; }
        * { box-sizing: border-box; }
        body { font: 15px/1.5 system-ui, sans-serif; color: var(--ink); margin: 0; }
        code, pre, textarea { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
        code { background: var(--soft); border-radius: .25rem; padding: 0 .2rem; }
        pre { background: var(--soft); border-radius: .3rem; padding: .6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
        a { color: var(--accent); }
        .method { display: inline-block; min-width: 4.2rem; font: 700 .75rem ui-monospace, monospace; text-transform: uppercase; text-align: center;
          border-radius: .25rem; padding: .1rem .3rem; color: #fff; background: #64748b; }
        .m-get { background: #15803d; } .m-post { background: #1d4ed8; } .m-put { background: #b45309; } .m-delete { background: #b91c1c; }
        table { border-collapse: collapse; width: 100%; margin: .4rem 0; font-size: .88rem; }
        th, td { border-bottom: 1px solid var(--line); padding: .3rem .4rem; text-align: left; vertical-align: top; }
        th { color: var(--muted); font-weight: 600; }
        tr.nested > td { padding-left: 1.2rem; border-bottom: none; }
        .required { color: #b91c1c; font-size: .75rem; }
        .schema-type { margin: .3rem 0; color: var(--muted); }
        .error { color: #b91c1c; }
        :focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
        @media (max-width: 700px) { body { font-size: 14px; } th, td { padding: .25rem; } table { display: block; overflow-x: auto; } }
        """#
}
