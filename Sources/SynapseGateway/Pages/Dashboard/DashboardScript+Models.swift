/// The router's models (`GET /models`): state, and load and unload buttons. Refreshed on each
/// `model` event, every 2 s while one is loading or unloading, otherwise every 15 s.
extension DashboardScript {
    static let models = #"""
        let modelsTimer = null, modelsBusy = false, modelsAgain = false;
        /// The load or unload this page asked for, until the list shows it done.
        let modelPending = null;
        function modelState(model) {
          const status = model.status || {};
          if (status.failed) return 'failed';
          return status.value || 'unknown';
        }
        async function refreshModels() {
          if (modelsBusy) { modelsAgain = true; return; }
          modelsBusy = true;
          clearTimeout(modelsTimer);
          let busy = false;
          try {
            const listing = await getJSON('/models');
            const models = listing.data || [];
            const rows = models.map(model => {
              const state = modelState(model);
              busy = busy || state === 'loading' || state === 'unloading';
              return el('tr', {'data-model': model.id},
                el('td', {text: model.id}),
                el('td', {}, el('span', {class: 'badge ' + state, text: state})),
                el('td', {class: 'actions'},
                  el('button', {type: 'button', text: 'Load', 'aria-label': 'Load ' + model.id, disabled: state === 'loaded' || state === 'loading',
                    onclick: () => changeModel('load', model.id)}), ' ',
                  el('button', {type: 'button', class: 'quiet', text: 'Unload', 'aria-label': 'Unload ' + model.id,
                    disabled: state === 'unloaded' || state === 'unloading' || state === 'failed', onclick: () => changeModel('unload', model.id)})));
            });
            $('models').replaceChildren(...rows);
            if (!rows.length) $('models').replaceChildren(el('tr', {}, el('td', {colSpan: 3, class: 'empty', text: 'The router lists no models.'})));
            const select = $('chat-model');
            const chosen = select.value;
            select.replaceChildren(el('option', {value: 'auto', text: 'auto'}), ...models.map(m => el('option', {value: m.id, text: m.id})));
            select.value = models.some(m => m.id === chosen) ? chosen : 'auto';
            if (modelPending) {
              const model = models.find(m => m.id === modelPending.model);
              const state = model ? modelState(model) : 'gone';
              const done = {load: ['loaded', 'failed', 'gone'], unload: ['unloaded', 'failed', 'gone']}[modelPending.action];
              if (done.includes(state)) {
                say('models-message', modelPending.model + ' is ' + state + '.', state === 'failed');
                modelPending = null;
              }
            } else if ($('models-message').classList.contains('error')) say('models-message', '');
          } catch (e) {
            say('models-message', (e.status === 503 ? 'llama-router is unavailable: ' : 'Models unavailable: ') + e.message, true);
          }
          modelsBusy = false;
          // A model event during the request: ask again at once, it may have changed since.
          modelsTimer = setTimeout(refreshModels, modelsAgain ? 0 : busy ? 2000 : 15000);
          modelsAgain = false;
        }
        async function changeModel(action, model) {
          say('models-message', (action === 'load' ? 'Loading ' : 'Unloading ') + model + '…');
          try {
            await sendJSON('/models/' + action, {model});
            modelPending = {action, model};
          } catch (e) { say('models-message', action + ' failed: ' + e.message, true); }
          refreshModels();
        }
        function startModels() {
          onEvent(event => {
            if (event.type !== 'model') return;
            if (event.action === 'failed') {
              say('models-message', 'Loading ' + event.model + ' failed' + (event.error ? ': ' + event.error : ''), true);
              if (modelPending && modelPending.model === event.model) modelPending = null;
            }
            refreshModels();
          });
          refreshModels();
        }
        """#
}
