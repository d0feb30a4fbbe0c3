/// The fault panel, in `synapse dev` only: the mocks and their active faults through
/// `/dev/mocks` (the control API, proxied by the gateway), a form to inject one, and a button
/// per mock to clear its faults.
extension DashboardScript {
    static let faults = #"""
        let mockNames = [];
        function faultText(fault) {
          const fields = Object.entries(fault).filter(([key]) => key !== 'id' && key !== 'kind').map(([key, value]) => key + '=' + JSON.stringify(value));
          return fault.id + ': ' + fault.kind + (fields.length ? ' (' + fields.join(', ') + ')' : '');
        }
        /// A request reached a mock with faults: a `times` fault may be spent, so look again soon.
        let faultsTimer = null;
        function faultsMayHaveChanged(event) {
          if (event.type !== 'request' || !event.backend) return;
          const row = document.querySelector('#fault-list tr[data-mock="' + event.backend + '"]');
          if (!row || row.dataset.faults === '0') return;
          clearTimeout(faultsTimer);
          faultsTimer = setTimeout(refreshFaults, 300);
        }
        async function refreshFaults() {
          const body = $('fault-list');
          try {
            const listing = await getJSON('/dev/mocks');
            mockNames = listing.mocks.map(mock => mock.name);
            const select = $('fault-mock');
            const chosen = select.value;
            select.replaceChildren(...mockNames.map(name => el('option', {value: name, text: name})));
            if (mockNames.includes(chosen)) select.value = chosen;
            const rows = await Promise.all(mockNames.map(async name => {
              let faults;
              try { faults = (await getJSON('/dev/mocks/' + encodeURIComponent(name) + '/faults')).faults; } catch (e) { faults = null; }
              const cell = faults === null ? el('td', {class: 'error', text: 'unknown'})
                : faults.length ? el('td', {}, ...faults.map(f => el('div', {class: 'badge err', text: faultText(f)})))
                : el('td', {class: 'empty', text: 'none'});
              return el('tr', {'data-mock': name, 'data-faults': String(faults ? faults.length : 0)},
                el('th', {scope: 'row', text: name}), cell,
                el('td', {class: 'actions'},
                  el('button', {type: 'button', class: 'quiet', text: 'Clear faults', 'aria-label': 'Clear the faults of ' + name,
                    'data-action': 'clear-faults', disabled: !faults || !faults.length, onclick: () => clearFaults(name)})));
            }));
            body.replaceChildren(...rows);
          } catch (e) {
            body.replaceChildren(el('tr', {}, el('td', {colSpan: 3, class: 'error', text: 'Control API unavailable: ' + e.message})));
          }
        }
        async function clearFaults(name) {
          try {
            await api('/dev/mocks/' + encodeURIComponent(name) + '/faults', {method: 'DELETE'});
            say('fault-message', 'Cleared the faults of ' + name + '.');
          } catch (e) { say('fault-message', 'Clearing failed: ' + e.message, true); }
          refreshFaults();
        }
        function faultFieldsFollowKind() {
          const kind = $('fault-kind').value;
          $('fault-status').disabled = kind !== 'status';
          $('fault-ms').disabled = kind !== 'latency';
        }
        function startFaults() {
          $('faults-panel').hidden = false;
          onEvent(faultsMayHaveChanged);
          $('fault-kind').addEventListener('change', faultFieldsFollowKind);
          faultFieldsFollowKind();
          $('fault-form').addEventListener('submit', async event => {
            event.preventDefault();
            const mock = $('fault-mock').value, kind = $('fault-kind').value;
            if (!mock) { say('fault-message', 'No mock to inject into.', true); return; }
            const rule = {kind};
            if (kind === 'status') rule.status = Number($('fault-status').value || 503);
            if (kind === 'latency') rule.ms = Number($('fault-ms').value || 0);
            if ($('fault-times').value) rule.times = Number($('fault-times').value);
            try {
              const stored = await (await sendJSON('/dev/mocks/' + encodeURIComponent(mock) + '/faults', rule)).json();
              say('fault-message', 'Injected ' + faultText(stored) + ' into ' + mock + '.');
            } catch (e) { say('fault-message', 'Injection failed: ' + e.message, true); }
            refreshFaults();
          });
          refreshFaults();
        }
        """#
}
