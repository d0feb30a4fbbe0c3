/// The playgrounds: chat (tokens shown as the SSE chunks arrive), embeddings (dimensions and the
/// first values), TTS with a voice (a player and a download), STT (a file, or the microphone where
/// the browser has MediaRecorder; the recording is sent as 16-bit WAV), convert and denoise.
extension DashboardScript {
    static let playgrounds = #"""
        let chatAbort = null;
        async function chat(event) {
          event.preventDefault();
          const output = $('chat-output');
          output.textContent = '';
          output.classList.remove('error');
          chatAbort = new AbortController();
          $('chat-send').disabled = true;
          $('chat-stop').disabled = false;
          const request = {model: $('chat-model').value, stream: true, messages: [{role: 'user', content: $('chat-prompt').value}]};
          try {
            output.textContent = '…';
            const response = await api('/v1/chat/completions', {method: 'POST', headers: {'Content-Type': 'application/json'},
              body: JSON.stringify(request), signal: chatAbort.signal});
            output.textContent = '';
            output.dataset.model = response.headers.get('X-Synapse-Model') || '';
            await readEvents(response, ({data}) => {
              if (!data || data === '[DONE]') return;
              let chunk;
              try { chunk = JSON.parse(data); } catch (e) { return; }
              if (chunk.error) throw new ApiError(0, chunk.error.message || JSON.stringify(chunk.error));
              const delta = (chunk.choices && chunk.choices[0] && chunk.choices[0].delta) || {};
              if (delta.content) output.textContent += delta.content;
            });
            if (!output.textContent) output.textContent = '(empty answer)';
          } catch (e) {
            if (e.name === 'AbortError') output.textContent += ' [stopped]';
            else { output.textContent = 'Chat failed: ' + e.message; output.classList.add('error'); }
          }
          $('chat-send').disabled = false;
          $('chat-stop').disabled = true;
        }

        async function embed(event) {
          event.preventDefault();
          const output = $('embed-output');
          output.classList.remove('error');
          output.textContent = '…';
          try {
            const answer = await (await sendJSON('/v1/embeddings', {input: $('embed-input').value})).json();
            const vector = answer.data[0].embedding;
            output.textContent = vector.length + ' dimensions (' + answer.model + ')\nfirst values: [' +
              vector.slice(0, 8).map(x => x.toFixed(4)).join(', ') + (vector.length > 8 ? ', …' : '') + ']';
          } catch (e) { output.textContent = 'Embedding failed: ' + e.message; output.classList.add('error'); }
        }

        async function speak(event) {
          event.preventDefault();
          const request = {text: $('tts-text').value};
          if ($('tts-voice').value) request.voice_id = $('tts-voice').value;
          if ($('tts-language').value) request.language = $('tts-language').value;
          say('tts-message', 'Synthesizing…');
          $('tts-speak').disabled = true;
          try {
            const response = await sendJSON('/tts/synthesize', request);
            const blob = await response.blob();
            playBlob($('tts-audio'), blob, $('tts-download'), filenameOf(response, 'synapse_tts.wav'));
            say('tts-message', 'Received ' + sizeText(blob.size) + ' of audio.');
          } catch (e) { say('tts-message', 'Synthesis failed: ' + e.message, true); }
          $('tts-speak').disabled = false;
        }
        async function loadLanguages() {
          try {
            const languages = await getJSON('/tts/languages');
            $('tts-language').append(...languages.map(l => el('option', {value: l.code, text: l.name + ' (' + l.code + ')'})));
          } catch (e) { /* the default language still works */ }
        }

        async function transcribe(file) {
          const output = $('stt-output');
          output.classList.remove('error');
          if (!file) { output.textContent = 'Choose an audio file first.'; output.classList.add('error'); return; }
          const form = new FormData();
          form.append('file', file, file.name || 'audio.wav');
          if ($('stt-language').value.trim()) form.append('language', $('stt-language').value.trim());
          output.textContent = 'Transcribing ' + (file.name || 'the recording') + '…';
          try {
            const answer = await (await api('/stt/transcribe', {method: 'POST', body: form})).json();
            output.textContent = (answer.text || '(no speech)') + (answer.language ? '\n[language: ' + answer.language + ']' : '');
          } catch (e) { output.textContent = 'Transcription failed: ' + e.message; output.classList.add('error'); }
        }
        /// 16-bit mono WAV from decoded audio (the STT backend reads WAV, not the recorder's WebM).
        function wavFrom(buffer) {
          const samples = buffer.getChannelData(0), rate = buffer.sampleRate;
          const view = new DataView(new ArrayBuffer(44 + samples.length * 2));
          const text = (offset, s) => { for (let i = 0; i < s.length; i++) view.setUint8(offset + i, s.charCodeAt(i)); };
          text(0, 'RIFF'); view.setUint32(4, 36 + samples.length * 2, true); text(8, 'WAVE'); text(12, 'fmt ');
          view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true); view.setUint32(24, rate, true);
          view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true); text(36, 'data');
          view.setUint32(40, samples.length * 2, true);
          for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, Math.max(-1, Math.min(1, samples[i])) * 0x7fff, true);
          return new File([view], 'recording.wav', {type: 'audio/wav'});
        }
        let recorder = null;
        async function toggleRecording() {
          const button = $('stt-record');
          if (recorder) { recorder.stop(); return; }
          try {
            const stream = await navigator.mediaDevices.getUserMedia({audio: true});
            const chunks = [];
            recorder = new MediaRecorder(stream);
            recorder.ondataavailable = e => chunks.push(e.data);
            recorder.onstop = async () => {
              stream.getTracks().forEach(track => track.stop());
              recorder = null;
              button.textContent = 'Record from microphone';
              button.setAttribute('aria-pressed', 'false');
              try {
                const context = new AudioContext();
                const decoded = await context.decodeAudioData(await new Blob(chunks).arrayBuffer());
                context.close();
                transcribe(wavFrom(decoded));
              } catch (e) { say('stt-output', 'The recording could not be decoded: ' + e.message, true); }
            };
            recorder.start();
            button.textContent = 'Stop and transcribe';
            button.setAttribute('aria-pressed', 'true');
          } catch (e) { say('stt-output', 'Microphone unavailable: ' + e.message, true); recorder = null; }
        }

        async function processAudio(event) {
          event.preventDefault();
          const file = $('audio-file').files[0];
          if (!file) { say('audio-message', 'Choose an audio file first.', true); return; }
          const operation = $('audio-op').value;
          const form = new FormData();
          form.append('file', file, file.name);
          if (operation === 'convert') form.append('output_format', $('audio-format').value);
          say('audio-message', (operation === 'convert' ? 'Converting…' : 'Denoising…'));
          try {
            const response = await api('/audio/' + operation, {method: 'POST', body: form});
            const blob = await response.blob();
            const name = filenameOf(response, operation === 'convert' ? 'converted.' + $('audio-format').value : 'denoised.wav');
            playBlob($('audio-result'), blob, $('audio-download'), name);
            say('audio-message', 'Received ' + name + ' (' + sizeText(blob.size) + ').');
          } catch (e) { say('audio-message', operation + ' failed: ' + e.message, true); }
        }

        function startPlaygrounds() {
          $('chat-form').addEventListener('submit', chat);
          $('chat-stop').addEventListener('click', () => { if (chatAbort) chatAbort.abort(); });
          $('embed-form').addEventListener('submit', embed);
          $('tts-form').addEventListener('submit', speak);
          $('stt-form').addEventListener('submit', event => { event.preventDefault(); transcribe($('stt-file').files[0]); });
          if (window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
            $('stt-record').hidden = false;
            $('stt-record').setAttribute('aria-pressed', 'false');
            $('stt-record').addEventListener('click', toggleRecording);
          }
          $('audio-op').addEventListener('change', () => { $('audio-format').disabled = $('audio-op').value !== 'convert'; });
          $('audio-format').disabled = true;
          $('audio-form').addEventListener('submit', processAudio);
          loadLanguages();
        }
        """#
}
