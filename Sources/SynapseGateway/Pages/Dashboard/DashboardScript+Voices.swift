/// The voice library: the list (`GET /voices`), an upload form (`POST /voices`), play (the first
/// reference, `GET /voices/{id}/audio`, fetched with the API key) and delete (a second click
/// confirms). The TTS playground's voice list follows it.
extension DashboardScript {
    static let voices = #"""
        async function refreshVoices() {
          const list = $('voices');
          try {
            const voices = await getJSON('/voices');
            const select = $('tts-voice');
            const chosen = select.value;
            select.replaceChildren(el('option', {value: '', text: 'default voice'}), ...voices.map(v => el('option', {value: v.voice_id, text: v.name})));
            select.value = voices.some(v => v.voice_id === chosen) ? chosen : '';
            if (!voices.length) { list.replaceChildren(el('li', {class: 'empty', text: 'No voices yet: upload one or more WAV references above.'})); return; }
            // Keep the rows (and their players) of voices still listed.
            const rows = voices.map(voice => list.querySelector('li[data-voice="' + voice.voice_id + '"]') || voiceRow(voice));
            list.replaceChildren(...rows);
          } catch (e) {
            list.replaceChildren(el('li', {class: 'error', text: 'Voices unavailable: ' + e.message}));
          }
        }
        function voiceRow(voice) {
          const label = voice.name + ' (' + voice.references_count + ' reference' + (voice.references_count === 1 ? '' : 's') + ')';
          const row = el('li', {'data-voice': voice.voice_id});
          const play = el('button', {type: 'button', class: 'quiet', text: 'Play', 'aria-label': 'Play ' + voice.name, 'data-action': 'play'});
          const remove = el('button', {type: 'button', class: 'danger', text: 'Delete', 'aria-label': 'Delete ' + voice.name, 'data-action': 'delete'});
          play.addEventListener('click', async () => {
            let audio = row.querySelector('audio');
            try {
              if (!audio) {
                const blob = await (await api('/voices/' + encodeURIComponent(voice.voice_id) + '/audio')).blob();
                audio = el('audio', {controls: true, 'aria-label': 'Reference of ' + voice.name});
                row.append(audio);
                playBlob(audio, blob);
              }
              audio.play().catch(() => { /* no audio device, or autoplay refused: the controls remain */ });
            } catch (e) { say('voice-message', 'Cannot play ' + voice.name + ': ' + e.message, true); }
          });
          remove.addEventListener('click', async () => {
            if (remove.dataset.confirm !== 'yes') {
              remove.dataset.confirm = 'yes';
              remove.textContent = 'Confirm delete';
              setTimeout(() => { remove.dataset.confirm = ''; remove.textContent = 'Delete'; }, 4000);
              return;
            }
            try {
              await api('/voices/' + encodeURIComponent(voice.voice_id), {method: 'DELETE'});
              say('voice-message', 'Deleted ' + voice.name + '.');
            } catch (e) { say('voice-message', 'Delete failed: ' + e.message, true); }
            refreshVoices();
          });
          row.append(el('span', {}, el('b', {text: label}), ' ', el('code', {class: 'detail', text: voice.voice_id})), el('span', {}, play, ' ', remove));
          return row;
        }
        function startVoices() {
          $('voice-form').addEventListener('submit', async event => {
            event.preventDefault();
            const form = new FormData();
            form.append('name', $('voice-name').value.trim());
            for (const file of $('voice-files').files) form.append('files', file, file.name);
            const button = $('voice-upload');
            button.disabled = true;
            say('voice-message', 'Uploading…');
            try {
              const voice = await (await api('/voices', {method: 'POST', body: form})).json();
              say('voice-message', 'Created ' + voice.name + ' (' + voice.voice_id + ').');
              $('voice-form').reset();
            } catch (e) { say('voice-message', 'Upload failed: ' + e.message, true); }
            button.disabled = false;
            refreshVoices();
          });
          onEvent(event => { if (event.type === 'voice' || event.type === 'reference') refreshVoices(); });
          refreshVoices();
        }
        """#
}
