/**
 * The static part of the HTML report: its stylesheet and the script that renders the embedded data.
 * Neither holds any data (the page's Content-Security-Policy allows exactly these two by hash); the
 * script reads `#mockgen-data` and builds every node with `textContent` / `createElementNS`, never
 * with markup, so a recorded `</script>` or `<img onerror>` stays text.
 */

export const PAGE_STYLE = `
:root { --fg: #1b1f24; --muted: #59636e; --bg: #fff; --panel: #f6f8fa; --line: #d1d9e0; --error: #cf222e;
  --warning: #9a6700; --ok: #1a7f37; --bar: #0969da; --bar2: #8250df; --bar3: #bf8700; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --panel: #151b23; --line: #3d444d; --error: #f85149;
    --warning: #d29922; --ok: #3fb950; --bar: #4493f8; --bar2: #ab7df8; --bar3: #d29922; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
h4 { font-size: 13px; margin: 10px 0 4px; color: var(--muted); }
.meta { color: var(--muted); margin: 0; overflow-wrap: anywhere; }
.cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 110px; }
.card .n { display: block; font-size: 22px; font-weight: 600; }
.card.error .n { color: var(--error); } .card.warning .n { color: var(--warning); }
.verdict { font-weight: 600; padding: 6px 10px; border-radius: 6px; display: inline-block; }
.verdict.fail { color: #fff; background: var(--error); } .verdict.pass { color: #fff; background: var(--ok); }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.code, .code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; overflow-wrap: anywhere; }
pre { margin: 4px 0; padding: 6px 8px; background: var(--panel); border-radius: 4px; max-height: 240px; overflow: auto;
  white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; }
.sev { font-weight: 600; text-transform: uppercase; font-size: 11px; }
.sev.error { color: var(--error); } .sev.warning { color: var(--warning); }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; background: var(--panel);
  border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; position: sticky; top: 0; z-index: 1; }
.filters label { display: flex; gap: 6px; align-items: center; }
.filters input { min-width: 240px; }
.muted { color: var(--muted); }
.bar { display: inline-block; height: 8px; border-radius: 4px; background: var(--line); width: 80px; vertical-align: middle; margin-left: 6px; overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--bar); }
.below { color: var(--error); font-weight: 600; }
svg text { fill: var(--fg); font-size: 11px; font-family: system-ui, sans-serif; }
svg .track { fill: var(--panel); } svg .p { fill: var(--bar); } svg .r { fill: var(--bar2); } svg .q { fill: var(--bar3); }
.legend span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; vertical-align: middle; }
.legend .p { background: var(--bar); } .legend .r { background: var(--bar2); } .legend .q { background: var(--bar3); }
details summary { cursor: pointer; color: var(--muted); }
ul.plain { margin: 4px 0; padding-left: 18px; }
[hidden] { display: none !important; }
`;

export const PAGE_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('mockgen-data').textContent);
  var app = document.getElementById('app');
  // the SVG namespace from an element the HTML parser made (so the page names no URL at all)
  var SVG = document.getElementById('svg-namespace').namespaceURI;

  function el(tag, cls, children) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    append(e, children);
    return e;
  }
  function append(parent, children) {
    if (children === undefined || children === null) return parent;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c === undefined || c === null || c === false) return;
      parent.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    });
    return parent;
  }
  function withId(e, id) { e.id = id; return e; }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }
  function pct(c) { return c.percent === null ? '–' : c.percent + '%'; }
  function frac(c) { return c.total === 0 ? '–' : c.covered + '/' + c.total + ' (' + pct(c) + ')'; }
  function bar(c) {
    var b = el('span', 'bar');
    var fill = el('span');
    fill.style.width = (c.total === 0 ? 0 : (100 * c.covered) / c.total) + '%';
    b.appendChild(fill);
    return b;
  }
  function card(id, n, label, cls) {
    return el('div', 'card' + (cls ? ' ' + cls : ''), [withId(el('span', 'n', String(n)), id), label]);
  }
  function th(text, cls) { return el('th', cls, text); }
  function td(content, cls) { return el('td', cls, content); }

  document.title = 'mockgen drift: ' + data.contract;

  // ---- header and counts
  app.appendChild(el('h1', null, 'Drift report'));
  app.appendChild(el('p', 'meta', [
    'Contract ', el('span', 'code', data.contract), ' · recordings ',
    el('span', 'code', data.recordings.join(', ')),
    data.generatedAt ? ' · ' + data.generatedAt : '',
    data.toolVersion ? ' · mockgen ' + data.toolVersion : ''
  ]));
  var t = data.totals;
  var verdictText = data.fails
    ? (t.errors + t.warnings > 0 ? 'Drift found' : 'Coverage below the minimum')
    : (t.errors + t.warnings > 0 ? 'Passes (findings below --fail-on ' + data.failOn + ')' : 'No drift found');
  app.appendChild(withId(el('p', 'verdict ' + (data.fails ? 'fail' : 'pass'), verdictText), 'verdict'));
  app.appendChild(el('div', 'cards', [
    card('count-entries', t.entries, ' entries checked'),
    card('count-matched', t.matched, ' matched an operation'),
    card('count-errors', t.errors, t.errors === 1 ? ' error' : ' errors', 'error'),
    card('count-warnings', t.warnings, t.warnings === 1 ? ' warning' : ' warnings', 'warning'),
    card('count-groups', t.groups, t.groups === 1 ? ' group' : ' groups'),
    t.baselined > 0 ? card('count-baselined', t.baselined, ' accepted by the baseline') : null,
    t.skipped > 0 ? card('count-skipped', t.skipped, ' CORS preflights skipped') : null,
    t.otherHosts > 0 ? card('count-other-hosts', t.otherHosts, ' to other hosts, set aside') : null
  ]));

  // ---- coverage
  var cov = data.coverage;
  if (cov) {
    var section = withId(el('section'), 'coverage');
    section.appendChild(el('h2', null, 'Coverage'));
    var minimum = {};
    (cov.thresholds || []).forEach(function (th) { minimum[th.dimension] = th; });
    var names = { operations: 'Operations', parameters: 'Parameters', responses: 'Response codes', properties: 'Body properties' };
    var totals = el('table');
    totals.id = 'coverage-totals';
    totals.appendChild(el('tr', null, [th(''), th('Exercised', 'num'), th('Documented', 'num'), th('Coverage', 'num'), th('Minimum', 'num')]));
    ['operations', 'parameters', 'responses', 'properties'].forEach(function (d) {
      var c = cov.totals[d];
      var m = minimum[d];
      var row = el('tr', null, [
        td(names[d]), td(String(c.covered), 'num'), td(String(c.total), 'num'),
        withId(td([pct(c), bar(c)], 'num'), 'coverage-' + d),
        td(m ? [m.minimum + '%', m.passed ? '' : ' below'] : '–', 'num' + (m && !m.passed ? ' below' : ''))
      ]);
      row.setAttribute('data-dimension', d);
      totals.appendChild(row);
    });
    section.appendChild(totals);

    section.appendChild(el('h3', null, 'Per operation'));
    section.appendChild(chart(cov.operations));
    var byOp = el('table');
    byOp.id = 'coverage-table';
    byOp.appendChild(el('tr', null, [th('Operation'), th('Entries', 'num'), th('Parameters', 'num'),
      th('Response codes', 'num'), th('Body properties', 'num'), th('Not exercised')]));
    cov.operations.forEach(function (o) {
      var missing = [];
      o.parameters.forEach(function (p) { if (p.hits === 0) missing.push(p.in + ' ' + p.name); });
      o.responses.forEach(function (r) { if (r.hits === 0) missing.push('response ' + r.status); });
      var props = o.properties.filter(function (p) { return p.hits === 0; })
        .map(function (p) { return (p.body === 'request' ? 'request ' : p.body + ' ') + p.pointer; });
      var details = null;
      if (missing.length + props.length > 0) {
        details = el('details', null, [el('summary', null, plural(missing.length + props.length, 'item', 'items') +
          (o.propertiesTruncated ? ' (properties capped)' : ''))]);
        var list = el('ul', 'plain code');
        missing.concat(props).forEach(function (m) { list.appendChild(el('li', null, m)); });
        details.appendChild(list);
      }
      var row = el('tr', o.entries === 0 ? 'muted' : null, [
        td(o.operation, 'code'), td(String(o.entries), 'num'),
        td([frac(o.parametersCoverage), bar(o.parametersCoverage)], 'num'),
        td([frac(o.responsesCoverage), bar(o.responsesCoverage)], 'num'),
        td([frac(o.propertiesCoverage), bar(o.propertiesCoverage)], 'num'),
        td(details || '–')
      ]);
      row.className = (row.className ? row.className + ' ' : '') + 'coverage-row';
      byOp.appendChild(row);
    });
    section.appendChild(byOp);
    app.appendChild(section);
  }

  function chart(ops) {
    var shown = ops.slice(0, 150);
    var rowH = 30, labelW = 320, barW = 420, top = 8;
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('id', 'coverage-chart');
    svg.setAttribute('role', 'img');
    svg.setAttribute('width', String(labelW + barW + 60));
    svg.setAttribute('height', String(top + rowH * shown.length + 8));
    var title = document.createElementNS(SVG, 'title');
    title.textContent = 'Coverage per operation: parameters, response codes, body properties';
    svg.appendChild(title);
    shown.forEach(function (o, i) {
      var y = top + i * rowH;
      var label = document.createElementNS(SVG, 'text');
      label.setAttribute('x', '0');
      label.setAttribute('y', String(y + 17));
      var name = o.operation.length > 48 ? o.operation.slice(0, 47) + '…' : o.operation;
      label.textContent = name + (o.entries === 0 ? ' (untested)' : '');
      svg.appendChild(label);
      [['p', o.parametersCoverage], ['r', o.responsesCoverage], ['q', o.propertiesCoverage]].forEach(function (b, j) {
        var track = document.createElementNS(SVG, 'rect');
        track.setAttribute('class', 'track');
        track.setAttribute('x', String(labelW));
        track.setAttribute('y', String(y + 3 + j * 8));
        track.setAttribute('width', String(barW));
        track.setAttribute('height', '6');
        svg.appendChild(track);
        var c = b[1];
        var fill = document.createElementNS(SVG, 'rect');
        fill.setAttribute('class', b[0]);
        fill.setAttribute('x', String(labelW));
        fill.setAttribute('y', String(y + 3 + j * 8));
        fill.setAttribute('width', String(c.total === 0 ? 0 : Math.round((barW * c.covered) / c.total)));
        fill.setAttribute('height', '6');
        var tip = document.createElementNS(SVG, 'title');
        tip.textContent = ['parameters', 'response codes', 'body properties'][j] + ': ' + frac(c);
        fill.appendChild(tip);
        svg.appendChild(fill);
      });
    });
    var wrap = el('figure');
    wrap.appendChild(el('figcaption', 'legend muted', [
      el('span', 'p'), 'parameters', el('span', 'r'), 'response codes', el('span', 'q'), 'body properties',
      ops.length > shown.length ? ' · first ' + shown.length + ' of ' + ops.length + ' operations' : ''
    ]));
    wrap.appendChild(svg);
    return wrap;
  }

  // ---- baseline diff
  var base = data.baseline;
  if (base) {
    var b = withId(el('section'), 'baseline');
    b.appendChild(el('h2', null, 'Baseline' + (base.file ? ' ' + base.file : '')));
    b.appendChild(el('div', 'cards', [
      card('baseline-new', base.new.length, ' new', 'error'),
      card('baseline-still', base.stillPresent.length, ' still present'),
      card('baseline-fixed', base.fixed.length, ' fixed')
    ]));
    [['New', base.new, 'baseline-new-list'], ['Still present (accepted)', base.stillPresent, 'baseline-still-list'],
      ['Fixed (in the baseline, not seen in this traffic)', base.fixed, 'baseline-fixed-list']].forEach(function (part) {
      if (part[1].length === 0) return;
      var tbl = withId(el('table'), part[2]);
      tbl.appendChild(el('tr', null, [th('Kind'), th('Operation'), th('Where'), th('Count', 'num'), th('Message')]));
      part[1].forEach(function (e) {
        tbl.appendChild(el('tr', null, [td(e.kind || '–', 'code'), td(e.operation || '–', 'code'),
          td((e.status !== undefined ? e.status + ' ' : '') + (e.pointer || ''), 'code'),
          td(e.count !== undefined ? String(e.count) : '–', 'num'), td(e.message || e.fingerprint)]));
      });
      b.appendChild(el('h3', null, part[0]));
      b.appendChild(tbl);
    });
    app.appendChild(b);
  }

  // ---- findings, grouped by operation and kind, with filters
  var f = withId(el('section'), 'findings');
  f.appendChild(el('h2', null, 'Findings'));
  var severity = withId(el('select'), 'filter-severity');
  [['', 'all'], ['error', 'errors'], ['warning', 'warnings']].forEach(function (o) {
    var opt = el('option', null, o[1]); opt.value = o[0]; severity.appendChild(opt);
  });
  var kind = withId(el('select'), 'filter-kind');
  var all = el('option', null, 'all kinds'); all.value = ''; kind.appendChild(all);
  var kinds = {};
  data.groups.forEach(function (g) { kinds[g.kind] = g.title; });
  Object.keys(kinds).sort().forEach(function (k) {
    var opt = el('option', null, k); opt.value = k; kind.appendChild(opt);
  });
  var text = withId(el('input'), 'filter-operation');
  text.type = 'search';
  text.placeholder = 'operation contains…';
  var shownCount = withId(el('span', 'muted'), 'shown-count');
  f.appendChild(el('div', 'filters', [el('label', null, ['Severity', severity]), el('label', null, ['Kind', kind]),
    el('label', null, ['Operation', text]), shownCount]));

  var rows = [];
  var blocks = [];
  var byOperation = {};
  var order = [];
  data.groups.forEach(function (g) {
    if (!byOperation[g.operation]) { byOperation[g.operation] = {}; order.push(g.operation); }
    (byOperation[g.operation][g.kind] = byOperation[g.operation][g.kind] || []).push(g);
  });
  order.sort();
  if (order.length === 0) f.appendChild(withId(el('p', null, 'No findings.'), 'no-findings'));
  order.forEach(function (op) {
    var opSection = el('section', 'operation');
    var errors = 0, warnings = 0;
    var kindBlocks = [];
    Object.keys(byOperation[op]).sort().forEach(function (k) {
      var list = byOperation[op][k];
      var block = el('div', 'kind');
      block.appendChild(el('h4', null, [el('span', 'code', k), ' — ' + list[0].title]));
      var tbl = el('table');
      tbl.appendChild(el('tr', null, [th('Severity'), th('Entries'), th('Where'), th('Message, value and schema')]));
      var blockRows = [];
      list.forEach(function (g) {
        if (g.severity === 'error') errors += g.count; else warnings += g.count;
        var detail = [el('div', null, g.message)];
        if (g.value !== undefined) detail.push(el('div', null, [el('span', 'muted', 'recorded value '), el('pre', 'value', g.value)]));
        if (g.schemaPointer) detail.push(el('div', null, [el('span', 'muted', 'schema '), el('span', 'code', g.schemaPointer)]));
        if (g.schema !== undefined) detail.push(el('details', null, [el('summary', null, 'schema'), el('pre', 'schema', g.schema)]));
        var tr = el('tr', 'finding', [
          td(el('span', 'sev ' + g.severity, g.severity)),
          td([g.count > 1 ? '×' + g.count + ' ' : '', el('span', 'muted code', (g.count > 1 ? 'entries ' : 'entry ') +
            g.entries.join(', ') + (g.count > g.entries.length ? ' and ' + (g.count - g.entries.length) + ' more' : ''))]),
          td((g.status !== undefined ? g.status + ' ' : '') + (g.pointer || '(whole)'), 'code'),
          td(detail)
        ]);
        var row = { el: tr, group: g, search: g.operation.toLowerCase() };
        rows.push(row);
        blockRows.push(row);
        tbl.appendChild(tr);
      });
      block.appendChild(tbl);
      blocks.push({ el: block, rows: blockRows });
      kindBlocks.push(block);
    });
    opSection.appendChild(el('h3', null, [op, el('span', 'muted', ' — ' + plural(errors, 'error', 'errors') + ', ' +
      plural(warnings, 'warning', 'warnings'))]));
    kindBlocks.forEach(function (k) { opSection.appendChild(k); });
    blocks.push({ el: opSection, rows: rows.filter(function (r) { return r.group.operation === op; }) });
    f.appendChild(opSection);
  });
  if (data.groupsOmitted > 0)
    f.appendChild(el('p', 'muted', data.groupsOmitted + ' more groups are not shown; the JSON report (--format json) has every finding.'));
  if (data.untested.length > 0) {
    f.appendChild(el('h3', null, 'Untested operations (' + data.untested.length + ')'));
    var ul = withId(el('ul', 'plain code'), 'untested');
    data.untested.forEach(function (u) { ul.appendChild(el('li', null, u)); });
    f.appendChild(ul);
  }
  app.appendChild(f);

  function applyFilters() {
    var sev = severity.value, k = kind.value, q = text.value.trim().toLowerCase();
    var groups = 0, findings = 0, total = 0;
    rows.forEach(function (r) {
      var g = r.group;
      var show = (!sev || g.severity === sev) && (!k || g.kind === k) && (!q || r.search.indexOf(q) >= 0);
      r.el.hidden = !show;
      r.visible = show;
      total += g.count;
      if (show) { groups++; findings += g.count; }
    });
    blocks.forEach(function (b) { b.el.hidden = !b.rows.some(function (r) { return r.visible; }); });
    shownCount.textContent = 'Showing ' + groups + ' of ' + rows.length + ' groups (' + findings + ' of ' + total + ' findings)';
  }
  [severity, kind].forEach(function (s) { s.addEventListener('change', applyFilters); });
  text.addEventListener('input', applyFilters);
  applyFilters();
})();
`;
