/// The backend cards: health and probe latency from `GET /health` (polled), breaker state from
/// the feed's `breaker` events the moment they arrive, and counters (requests, 5xx, retries)
/// counted from the feed since the page opened. Each card can reset its breaker (admin API).
extension DashboardScript {
    static let backends = #"""
        const backendCards = new Map();
        function backendCard(name) {
          let card = backendCards.get(name);
          if (card) return card;
          const parts = {
            dot: el('span', {class: 'dot', 'aria-hidden': 'true'}),
            health: el('p', {class: 'detail', 'data-role': 'health', text: 'not probed yet'}),
            breaker: el('span', {class: 'badge', 'data-role': 'breaker', text: 'breaker unknown'}),
            note: el('p', {class: 'detail', 'data-role': 'note'}),
            requests: el('b', {text: '0'}), errors: el('b', {text: '0'}), retries: el('b', {text: '0'}),
          };
          const reset = el('button', {type: 'button', class: 'quiet', text: 'Reset', 'aria-label': 'Reset the breaker of ' + name,
            'data-action': 'reset-breaker', onclick: () => resetBreaker(name, card)});
          const node = el('article', {class: 'card', 'data-backend': name, 'aria-label': 'Backend ' + name},
            el('h3', {}, parts.dot, el('span', {text: name})),
            parts.health,
            el('div', {class: 'breaker-row'}, parts.breaker, reset),
            el('div', {class: 'counters'},
              el('span', {}, parts.requests, 'requests'), el('span', {}, parts.errors, 'errors (5xx)'), el('span', {}, parts.retries, 'retries')),
            parts.note);
          card = {name, node, parts, counts: {requests: 0, errors: 0, retries: 0}, breakerAt: 0};
          backendCards.set(name, card);
          const grid = $('backends');
          if (grid.querySelector('.empty, .error')) grid.replaceChildren();
          const after = [...backendCards.keys()].sort().find(other => other > name);
          grid.insertBefore(node, after ? backendCards.get(after).node : null);
          addOption($('event-backend'), eventBackends, name);
          return card;
        }
        function setBreaker(card, state, detail) {
          card.node.dataset.breaker = state;
          card.parts.breaker.className = 'badge ' + state;
          card.parts.breaker.textContent = 'breaker ' + (state === 'halfOpen' ? 'half-open' : state) + (detail ? ' · ' + detail : '');
          card.parts.note.textContent = state === 'open' ? 'Breaker open: requests fail fast with 503 until it closes.' : '';
          card.parts.note.classList.toggle('error', state === 'open');
        }
        function count(card, key) { card.counts[key] += 1; card.parts[key].textContent = String(card.counts[key]); }

        let healthTimer = null, healthBusy = false;
        async function refreshHealth() {
          if (healthBusy) return;
          healthBusy = true;
          clearTimeout(healthTimer);
          const asked = performance.now();
          try {
            const health = await getJSON('/health');
            $('status').textContent = health.status;
            $('overall').className = 'dot ' + health.status;
            const names = Object.keys(health.backends || {}).sort();
            if (!names.length) $('backends').replaceChildren(el('p', {class: 'empty', text: 'No backends are configured.'}));
            for (const name of names) {
              const backend = health.backends[name];
              const card = backendCard(name);
              card.node.dataset.status = backend.status;
              card.parts.dot.className = 'dot ' + backend.status;
              let line = backend.status === 'unreachable' ? 'down' : backend.status;
              if (backend.code) line += ' · HTTP ' + backend.code;
              if (backend.latency_ms !== undefined) line += ' · ' + backend.latency_ms + ' ms';
              if (backend.error) line += ' · ' + backend.error;
              card.parts.health.textContent = line;
              card.parts.health.classList.toggle('error', backend.status !== 'healthy');
              // A breaker event newer than this request knows better than the snapshot.
              if (backend.breaker && card.breakerAt < asked) {
                const b = backend.breaker;
                let detail = '';
                if (b.forced) detail = 'forced';
                else if (b.state === 'open' && b.seconds_until_half_open !== undefined) detail = 'probe in ' + Math.ceil(b.seconds_until_half_open) + ' s';
                else if (b.consecutive_failures) detail = b.consecutive_failures + ' failures';
                setBreaker(card, b.state, detail);
              }
            }
          } catch (e) {
            $('status').textContent = e.status === 401 ? 'authentication required' : 'unreachable';
            $('overall').className = 'dot unreachable';
            if (!backendCards.size) $('backends').replaceChildren(el('p', {class: 'error', text: 'Health unavailable: ' + e.message}));
          }
          healthBusy = false;
          healthTimer = setTimeout(refreshHealth, 5000);
        }
        async function resetBreaker(name, card) {
          try {
            const answer = await (await api('/admin/breakers/' + encodeURIComponent(name) + '/reset', {method: 'POST'})).json();
            card.breakerAt = performance.now();
            setBreaker(card, (answer.breaker && answer.breaker.state) || 'closed');
            card.parts.note.textContent = 'Breaker reset.';
          } catch (e) {
            card.parts.note.textContent = 'Reset failed: ' + (e.status === 403 ? 'the admin API is disabled (no admin token set).' : e.message);
            card.parts.note.classList.add('error');
          }
        }
        function startBackends() {
          onEvent(event => {
            if (!event.backend) return;
            const card = backendCard(event.backend);
            if (event.type === 'breaker') {
              card.breakerAt = performance.now();
              setBreaker(card, event.to, event.reason);
              // The probe's view too, now rather than at the next poll.
              refreshHealth();
            } else if (event.type === 'request') {
              count(card, 'requests');
              if (event.status >= 500) count(card, 'errors');
            } else if (event.type === 'retry') {
              count(card, 'retries');
            }
          });
          refreshHealth();
        }
        """#
}
