/// The live feed: `GET /events` read with `fetch` (an `EventSource` cannot send the API key), split
/// into frames, resumed with `Last-Event-ID` after a drop; and the event list beside it, filtered
/// by type and backend, newest first, bounded in the DOM.
extension DashboardScript {
    static let feed = #"""
        let lastEventID = null;
        let feedGeneration = 0;
        let feedAbort = null;
        function feedState(text, cls) { const badge = $('feed-state'); badge.textContent = text; badge.className = 'badge ' + (cls || ''); }
        function restartFeed() { if (feedAbort) feedAbort.abort(); }
        /// Reads the feed for as long as the page is open; reconnects a second after a drop.
        async function follow() {
          for (;;) {
            const generation = ++feedGeneration;
            feedAbort = new AbortController();
            try {
              const headers = withAuth({'Accept': 'text/event-stream'});
              if (lastEventID) headers['Last-Event-ID'] = lastEventID;
              const response = await fetch('/events', {headers, cache: 'no-store', signal: feedAbort.signal});
              if (response.status === 401) { showAuthRequired(true); feedState('auth required', 'err'); await sleep(3000); continue; }
              if (!response.ok) throw new Error('HTTP ' + response.status);
              feedState('live', 'live');
              await readEvents(response, readFrame);
            } catch (e) {
              if (generation === feedGeneration && e.name !== 'AbortError') console.warn('live feed dropped:', e.message);
            }
            feedState('reconnecting', 'err');
            await sleep(1000);
          }
        }
        function readFrame(frame) {
          if (frame.id) lastEventID = frame.id;
          if (!frame.data) return;
          let event;
          try { event = JSON.parse(frame.data); } catch (e) { return; }
          dispatch(event);
        }

        const MAX_LISTED_EVENTS = 200;
        let eventsPaused = false;
        const eventTypes = new Set();
        const eventBackends = new Set();
        function addOption(select, set, value) {
          if (!value || set.has(value)) return;
          set.add(value);
          select.append(el('option', {value, text: value}));
        }
        function eventShown(item) {
          const type = $('event-type').value, backend = $('event-backend').value;
          return (!type || item.dataset.type === type) && (!backend || item.dataset.backend === backend);
        }
        /// The fields of an event other than the envelope, as `key=value`.
        function eventDetail(event) {
          const parts = [];
          for (const [key, value] of Object.entries(event)) {
            if (['id', 'type', 'ts', 'backend'].includes(key)) continue;
            parts.push(key + '=' + (typeof value === 'object' ? JSON.stringify(value) : value));
          }
          return parts.join(' ');
        }
        function listEvent(event) {
          addOption($('event-type'), eventTypes, event.type);
          addOption($('event-backend'), eventBackends, event.backend);
          // The page's own polling (/health, /models…) has no backend; it would bury the rest.
          if (event.type === 'request' && !event.backend) return;
          if (eventsPaused) return;
          const time = event.ts ? new Date(event.ts) : new Date();
          const item = el('li', {class: 't-' + event.type, 'data-type': event.type, 'data-backend': event.backend || ''},
            el('time', {dateTime: event.ts || '', text: clock(time) + ' '}),
            el('span', {class: 'type', text: event.type}),
            event.backend ? el('b', {text: event.backend + ' '}) : null,
            el('span', {text: eventDetail(event)}));
          item.hidden = !eventShown(item);
          const list = $('events');
          list.prepend(item);
          while (list.children.length > MAX_LISTED_EVENTS) list.lastElementChild.remove();
          showEventsEmpty();
        }
        function showEventsEmpty() {
          const items = [...$('events').children];
          const empty = $('events-empty');
          empty.hidden = items.some(item => !item.hidden);
          empty.textContent = items.length ? 'No listed event matches the filters.' : 'No events yet: send a request, or inject a fault.';
        }
        function startEventList() {
          for (const type of ['breaker', 'retry', 'timeout', 'request', 'voice', 'reference', 'model', 'config']) addOption($('event-type'), eventTypes, type);
          const refilter = () => { for (const item of $('events').children) item.hidden = !eventShown(item); showEventsEmpty(); };
          $('event-type').addEventListener('change', refilter);
          $('event-backend').addEventListener('change', refilter);
          $('events-pause').addEventListener('click', () => {
            eventsPaused = !eventsPaused;
            $('events-pause').setAttribute('aria-pressed', String(eventsPaused));
            $('events-pause').textContent = eventsPaused ? 'Resume' : 'Pause';
          });
          $('events-clear').addEventListener('click', () => { $('events').replaceChildren(); showEventsEmpty(); });
          onEvent(listEvent);
        }
        """#
}
