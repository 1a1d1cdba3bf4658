// The inline style sheet and script of the HTML report. The page reads completely without the script:
// it only turns the column headings into sort buttons (the table arrives sorted by cost).

/// System fonts only (nothing is downloaded); numbers in tabular figures, right-aligned.
let htmlReportStyle = """
    :root{--fg:#1f2328;--muted:#59636e;--line:#d8dee4;--soft:#f6f8fa;--accent:#0969da;--hot:#d1242f;color-scheme:light}
    *{box-sizing:border-box}
    body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","Noto Sans","Liberation Sans",Arial,sans-serif;color:var(--fg);background:#fff}
    header,main,footer{max-width:1240px;margin:0 auto;padding:0 24px}
    h1{font-size:22px;line-height:1.25;margin:24px 0 14px;font-weight:650;letter-spacing:-.01em}
    h2{font-size:15px;margin:0 0 12px;font-weight:600}
    code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
    .summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:0 0 20px}
    .summary div{border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:var(--soft)}
    .summary dt{font-size:11px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em;font-weight:600}
    .summary dd{margin:2px 0 0}
    .summary .big{display:block;font-size:24px;font-weight:600;line-height:1.3;text-align:left}
    .note{font-size:12px;color:var(--muted)}
    .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    .muted{color:var(--muted)}
    .charts{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:20px;margin-bottom:24px;align-items:start}
    .chart,section.table{border:1px solid var(--line);border-radius:8px;padding:14px 16px}
    .bars{list-style:none;margin:0;padding:0}
    .bars li{display:grid;grid-template-columns:minmax(0,17em) minmax(0,1fr) 5.5em;gap:10px;align-items:center;font-size:13px;line-height:21px}
    .label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
    .bar{width:100%;height:12px;display:block}
    .bar rect{fill:var(--accent)}
    .others .bar rect{fill:#8c959f}
    .others .label{color:var(--muted)}
    .stack{width:100%;height:16px;display:block;border-radius:4px;margin-bottom:10px}
    table{border-collapse:collapse;width:100%}
    th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
    th.num,td.num{text-align:right}
    thead th{font-size:12px;color:var(--muted);font-weight:600;background:var(--soft);vertical-align:bottom}
    caption{caption-side:top;text-align:left;color:var(--muted);font-size:12px;padding:0 0 8px}
    .models th[scope=row]{font-weight:400;overflow-wrap:break-word}
    .chart{overflow-x:auto;min-width:0}
    .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:8px}
    .scroll{overflow-x:auto;position:relative}
    .prompts tbody th{font-weight:500;overflow-wrap:break-word;min-width:12em}
    .prompts>tbody>tr:first-child>td:nth-child(n+3):nth-child(-n+9){text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    .prompts tbody tr:first-child>*{border-bottom:0;padding-bottom:1px}
    .prompts tbody:hover{background:#f6f8fa80}
    .m td{padding-top:0}
    summary{cursor:pointer;font-size:12px;color:var(--muted);width:max-content}
    summary:hover{color:var(--accent)}
    .d{display:grid;grid-template-columns:minmax(0,22em) minmax(0,1fr);gap:24px;padding:8px 0 10px}
    .ms{margin:0;font-size:13px}
    .ms b{font-weight:600}
    .ms b.h{display:block;font-size:12px;color:var(--muted);margin-bottom:2px;font-weight:400}
    .f{margin:0;padding-left:1.2em;font-size:13px}
    .f li{margin:0 0 4px}
    .f i{font-style:normal;color:var(--muted);font-variant-numeric:tabular-nums}
    .f b{display:inline-block;border-radius:10px;font-size:12px;line-height:18px;padding:0 7px;font-weight:500}
    .f s{text-decoration:none;color:#1a7f37;font-size:12px;white-space:nowrap}
    .trend{grid-column:1/-1;margin:0;font-size:13px}
    .c{display:inline-block;border-radius:10px;font-size:12px;line-height:18px;padding:0 7px;font-weight:500;margin-left:4px;min-width:2.6em;text-align:center}
    .c i{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
    .c::before{margin-right:3px;font-weight:700}
    .c.e::before{content:"✕"}
    .c.w::before{content:"!"}
    .c.i::before{content:"i"}
    .e{background:#ffebe9;color:#a40e26}
    .w{background:#fff8c5;color:#7d4e00}
    .i{background:#ddf4ff;color:#0550ae}
    .badge{display:inline-block;font-size:11px;background:#fff1e5;color:#953800;border-radius:10px;padding:0 7px;font-weight:500;white-space:nowrap}
    th[data-sort]{cursor:pointer}
    th button{font:inherit;color:inherit;background:none;border:0;padding:0;cursor:pointer;text-align:inherit}
    th button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
    th[aria-sort=descending]::after{content:" ▼";font-size:9px}
    th[aria-sort=ascending]::after{content:" ▲";font-size:9px}
    .spark{display:block;overflow:visible}
    .spark polyline{fill:none;stroke:var(--accent);stroke-width:1.5;stroke-linejoin:round}
    .spark circle{fill:var(--accent)}
    .spark line.jump{stroke:var(--hot);stroke-width:2.5;stroke-linecap:round}
    .spark circle.jump{fill:var(--hot)}
    .problems{font-size:13px}
    section{margin-bottom:24px}
    footer{color:var(--muted);font-size:12px;padding-bottom:32px}
    footer p{margin:4px 0}
    .vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
    .empty{color:var(--muted)}
    @media (prefers-color-scheme:dark){
    :root{--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--soft:#151b23;--accent:#4493f8;--hot:#f85149;color-scheme:dark}
    body{background:#0d1117}
    .prompts tbody:hover{background:#151b2380}
    .e{background:#5d0f1a;color:#ffdcd7}
    .w{background:#4b3500;color:#f8e3a1}
    .i{background:#0c2d6b;color:#cae8ff}
    .badge{background:#5a1e02;color:#ffd8b5}
    .others .bar rect{fill:#656c76}
    }
    @media (max-width:760px){
    header,main,footer{padding:0 12px}
    h1{font-size:19px;margin-top:16px}
    .summary{grid-template-columns:repeat(2,minmax(0,1fr));gap:8px}
    .summary .big{font-size:19px}
    .charts{grid-template-columns:minmax(0,1fr)}
    .bars li{grid-template-columns:minmax(0,1fr) 5.5em;gap:2px 10px}
    .bars .label{grid-column:1/-1}
    .d{grid-template-columns:minmax(0,1fr)}
    .prompts tbody th{min-width:12em}
    .models th,.models td{padding:4px 6px}
    caption{max-width:calc(100vw - 24px)}
    }
    """

/// Sorting: each sortable heading becomes a button; a click orders the prompts' `<tbody>`s by the
/// cells' `data-v` (numbers) or text and moves `aria-sort` to that heading.
let htmlReportScript = """
    (function(){var t=document.getElementById("prompt-table");if(!t)return;var hs=t.tHead.rows[0].cells;
    Array.prototype.forEach.call(hs,function(h,i){var k=h.getAttribute("data-sort");if(!k)return;
    var b=document.createElement("button");b.type="button";b.textContent=h.textContent;h.textContent="";h.appendChild(b);
    b.addEventListener("click",function(){var c=h.getAttribute("aria-sort");
    var n=c==="ascending"?"descending":c==="descending"?"ascending":(k==="n"?"descending":"ascending");var s=n==="ascending"?1:-1;
    function v(r){var e=r.rows[0].cells[i],d=e.getAttribute("data-v");return d===null?e.textContent:d;}
    var rows=Array.prototype.slice.call(t.tBodies);rows.sort(function(x,y){var a=v(x),z=v(y);
    return s*(k==="n"?parseFloat(a)-parseFloat(z):a.localeCompare(z));});
    rows.forEach(function(r){t.appendChild(r);});Array.prototype.forEach.call(hs,function(o){o.removeAttribute("aria-sort");});
    h.setAttribute("aria-sort",n);});});})();
    """
