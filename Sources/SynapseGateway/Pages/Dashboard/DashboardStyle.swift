/// The dashboard's stylesheet: a dark theme, two columns on a wide screen, one under 700 px,
/// and a visible focus ring on everything that takes the keyboard.
enum DashboardStyle {
    static let css = #"""
        :root { --bg:#0f172a; --panel:#1e293b; --line:#334155; --text:#f1f5f9; --muted:#a3b1c6;
                --ok:#22c55e; --bad:#f87171; --warn:#facc15; --accent:#60a5fa; --focus:#fbbf24; }
        * { box-sizing: border-box; }
        body { background: var(--bg); color: var(--text); font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; padding: 1.2rem; max-width: 1400px; }
        h1 { font-size: 1.5rem; margin: 0; display: flex; gap: .6rem; align-items: center; }
        h2 { font-size: .85rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 0 0 .8rem; }
        h3 { font-size: 1rem; margin: 0 0 .5rem; }
        a { color: var(--accent); }
        :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: var(--panel); padding: .4rem; z-index: 9; }
        header { display: flex; flex-wrap: wrap; gap: .6rem 1.2rem; align-items: center; justify-content: space-between; margin-bottom: 1rem; }
        .meta { color: var(--muted); font-size: .85rem; display: flex; flex-wrap: wrap; gap: .3rem .9rem; align-items: center; }
        .keyform { display: flex; gap: .4rem; align-items: center; flex-wrap: wrap; }
        .banner { border: 1px solid var(--bad); background: #3b1d25; border-radius: .5rem; padding: .6rem .9rem; margin-bottom: 1rem; }
        .layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; align-items: start; }
        .column { display: grid; gap: 1rem; min-width: 0; }
        section { background: var(--panel); border: 1px solid var(--line); border-radius: .7rem; padding: 1rem; min-width: 0; }
        .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: .7rem; }
        .card { background: var(--bg); border: 1px solid var(--line); border-radius: .5rem; padding: .8rem; }
        .card[data-breaker="open"] { border-color: var(--bad); } .card[data-breaker="halfOpen"] { border-color: var(--warn); }
        .card h3 { display: flex; gap: .5rem; align-items: center; font-size: .95rem; }
        .dot { width: .65rem; height: .65rem; border-radius: 50%; background: var(--muted); display: inline-block; flex: none; }
        .dot.healthy { background: var(--ok); } .dot.unhealthy, .dot.unreachable { background: var(--bad); } .dot.degraded { background: var(--warn); }
        .detail { color: var(--muted); font-size: .82rem; overflow-wrap: anywhere; }
        .badge { display: inline-block; white-space: nowrap; overflow-wrap: normal; font-size: .75rem; padding: .05rem .5rem; border-radius: 999px; border: 1px solid var(--line); }
        .badge.open, .badge.failed, .badge.err { color: var(--bad); border-color: var(--bad); }
        .badge.halfOpen, .badge.loading, .badge.unloading { color: var(--warn); border-color: var(--warn); }
        .badge.closed, .badge.loaded, .badge.live { color: var(--ok); border-color: var(--ok); }
        .counters { display: grid; grid-template-columns: repeat(3, 1fr); gap: .3rem; margin: .5rem 0; font-size: .8rem; text-align: center; }
        .counters b { display: block; font-size: 1.05rem; }
        .row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .4rem 0; }
        .row > label, .field { display: grid; gap: .15rem; font-size: .82rem; color: var(--muted); }
        input, select, textarea, button { font: inherit; color: var(--text); background: var(--bg); border: 1px solid var(--line); border-radius: .35rem; padding: .35rem .55rem; }
        input[type=file] { max-width: 100%; }
        textarea { width: 100%; min-height: 4rem; resize: vertical; }
        button { background: #1d4ed8; border-color: #1d4ed8; cursor: pointer; }
        button.quiet { background: transparent; border-color: var(--line); }
        button.danger { background: #991b1b; border-color: #991b1b; }
        button:disabled { opacity: .55; cursor: default; }
        table { width: 100%; border-collapse: collapse; font-size: .85rem; }
        th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: middle; overflow-wrap: anywhere; }
        th { color: var(--muted); font-weight: 600; }
        td.actions { white-space: nowrap; text-align: right; }
        .empty { color: var(--muted); font-style: italic; padding: .4rem 0; }
        .error { color: var(--bad); }
        .events { list-style: none; margin: .5rem 0 0; padding: 0; max-height: 22rem; overflow-y: auto; font: .8rem/1.4 ui-monospace, monospace; }
        .events li { padding: .25rem .3rem; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
        .events .type { font-weight: 700; margin-right: .4rem; }
        .events .t-breaker .type { color: var(--warn); } .events .t-retry .type, .events .t-timeout .type { color: var(--bad); }
        .events .t-request .type { color: var(--accent); } .events .t-voice .type, .events .t-model .type { color: var(--ok); }
        pre.output { background: var(--bg); border: 1px solid var(--line); border-radius: .35rem; padding: .5rem; white-space: pre-wrap; overflow-wrap: anywhere; min-height: 2.2rem; margin: .4rem 0 0; font: .85rem/1.45 ui-monospace, monospace; }
        audio { width: 100%; margin-top: .4rem; }
        details.playground { border-top: 1px solid var(--line); padding: .5rem 0; }
        details.playground > summary { cursor: pointer; font-weight: 600; }
        .voices li { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; justify-content: space-between; padding: .4rem 0; border-bottom: 1px solid var(--line); }
        .voices { list-style: none; padding: 0; margin: .5rem 0 0; }
        .voices audio { flex-basis: 100%; }
        .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        input:disabled, select:disabled { opacity: .45; }
        .breaker-row { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; justify-content: space-between; }
        .breaker-row button { font-size: .8rem; padding: .2rem .5rem; }
        @media (max-width: 700px) {
          body { padding: .6rem; }
          /* One column, the panels in the order a phone wants them: the live state first. */
          .layout { grid-template-columns: 1fr; }
          .column { display: contents; }
          #backends-panel { order: 1; } #events-panel { order: 2; } #faults-panel { order: 3; }
          #models-panel { order: 4; } #voices-panel { order: 5; } #playgrounds-panel { order: 6; }
          .grid { grid-template-columns: 1fr; }
          header { align-items: start; }
        }
        """#
}
