/// The HTML report's style sheet, inlined in the page: system fonts only (a web font would be a
/// network fetch), light and dark schemes, tables that scroll sideways on a narrow screen.
enum ReportStyle {
    static let css = """
        :root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --panel: #f6f8fa; --line: #d1d9e0;
          --pass: #1a7f37; --fail: #cf222e; --grid: #e6e9ed; }
        @media (prefers-color-scheme: dark) {
          :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --line: #3d444d; --pass: #3fb950; --fail: #f85149;
            --grid: #262c36; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg);
          font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 48px; }
        h1 { font-size: 22px; margin: 0 0 4px; display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
        h2 { font-size: 16px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
        code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
        .badge { font-size: 13px; font-weight: 600; padding: 2px 10px; border-radius: 999px; color: #fff; }
        .badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); } .badge.none { background: var(--muted); }
        .meta { color: var(--muted); margin: 6px 0 0; }
        .meta code { color: var(--fg); background: var(--panel); padding: 1px 5px; border-radius: 4px; word-break: break-all; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin-top: 20px; }
        .card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
        .card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
        .card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
        th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
        th { color: var(--muted); font-weight: 600; font-size: 12px; }
        th:first-child, td:first-child, th.text, td.text { text-align: left; }
        td.route { text-align: left; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; white-space: normal;
          overflow-wrap: anywhere; min-width: 16em; }
        td.pass { color: var(--pass); font-weight: 600; } td.fail { color: var(--fail); font-weight: 600; }
        tr.failed td { background: color-mix(in srgb, var(--fail) 8%, transparent); }
        .note { color: var(--muted); font-size: 13px; }
        .chart { width: 100%; height: auto; max-width: 900px; display: block; margin: 4px 0 12px; }
        .chart .plot { fill: none; stroke: var(--line); }
        .chart .grid { stroke: var(--grid); stroke-width: 1; }
        .chart text { fill: var(--muted); font-size: 11px; font-family: inherit; }
        .chart .axis { font-size: 12px; }
        ul.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 18px; margin: -4px 0 16px; padding: 0 0 0 78px; font-size: 12.5px; }
        ul.legend li { display: flex; align-items: center; gap: 6px; overflow-wrap: anywhere; }
        .swatch { width: 10px; height: 10px; border-radius: 2px; flex: none; }
        """
}
