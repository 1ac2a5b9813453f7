/// The inline stylesheet of the HTML report: system fonts, no external resources.
enum AuditHTMLStyle {
    static let css = """
    :root { --ink: #1d2330; --muted: #5b6475; --line: #d9dde5; --bg: #ffffff; --panel: #f6f7f9;
      --critical: #b3124a; --error: #d1352b; --warning: #b86e00; --info: #2f6db5;
      --free: #eef0f3; --assigned: #2e9d5b; --drifted: #e08a00; --stale: #8a4fc7; --foreign: #2f6db5; --unknown: #9aa1ad; }
    * { box-sizing: border-box; }
    body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
      color: var(--ink); background: var(--bg); }
    h1 { font-size: 24px; margin: 0 0 4px; }
    h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
    h3 { font-size: 15px; margin: 20px 0 8px; }
    code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
    .meta { color: var(--muted); margin: 0 0 12px; }
    .badges { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
    .badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-weight: 600; font-size: 12.5px;
      color: #fff; background: var(--muted); white-space: nowrap; }
    .badge.critical { background: var(--critical); } .badge.error { background: var(--error); }
    .badge.warning { background: var(--warning); } .badge.info { background: var(--info); }
    .badge.clean { background: var(--assigned); }
    .notices { background: #fff8e6; border: 1px solid #f0d9a0; border-radius: 6px; padding: 8px 14px; margin: 12px 0; }
    .notices li { margin: 2px 0; }
    table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
    th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
    th { background: var(--panel); font-size: 12.5px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
    tr.sev-critical td:first-child { border-left: 4px solid var(--critical); }
    tr.sev-error td:first-child { border-left: 4px solid var(--error); }
    tr.sev-warning td:first-child { border-left: 4px solid var(--warning); }
    tr.sev-info td:first-child { border-left: 4px solid var(--info); }
    td.fix code { display: block; white-space: pre-wrap; word-break: break-all; background: var(--panel);
      padding: 2px 6px; border-radius: 4px; margin: 1px 0; }
    td code.rule { white-space: nowrap; }
    .objects { color: var(--muted); font-size: 12.5px; }
    .pf { margin: 10px 0 22px; }
    .pf figcaption { margin-bottom: 6px; }
    .pf figcaption .counts { color: var(--muted); }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(46px, 1fr)); gap: 3px; max-width: 1500px; }
    .grid.dense { grid-template-columns: repeat(32, minmax(30px, 1fr)); }
    .vf { position: relative; height: 38px; border-radius: 4px; padding: 2px 3px; overflow: hidden;
      font-size: 11px; line-height: 1.2; border: 1px solid rgba(0,0,0,.12); color: #fff; }
    .grid.dense .vf { height: 30px; font-size: 10px; }
    .vf b { display: block; font-weight: 700; }
    .vf span { display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; opacity: .95; }
    .s-free { background: var(--free); color: var(--muted); }
    .s-assigned { background: var(--assigned); }
    .s-drifted { background: var(--drifted); }
    .s-stale { background: var(--stale); }
    .s-foreign { background: var(--foreign); }
    .s-unknown { background: repeating-linear-gradient(45deg, #c9cdd4 0 4px, #e3e6ea 4px 8px); color: var(--ink); }
    .vf.flag { outline: 3px solid var(--critical); outline-offset: -3px; }
    .vf.flag::after { content: "!"; position: absolute; right: 4px; top: 1px; font-weight: 800; color: #fff;
      background: var(--critical); border-radius: 50%; width: 13px; height: 13px; line-height: 13px; text-align: center;
      font-size: 10px; }
    .legend { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; margin: 6px 0 10px; font-size: 13px; }
    .legend .vf { display: inline-block; width: 22px; height: 16px; vertical-align: middle; margin-right: 5px; }
    .cols { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
    footer { margin-top: 40px; color: var(--muted); font-size: 12px; }
    @media (max-width: 900px) { .cols { grid-template-columns: 1fr; } }
    @media print { body { padding: 0; } .vf { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
    """
}
