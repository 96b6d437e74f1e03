/* html_page.js -- the HTML page's script (--html), compiled into
   servgap-report (embed_assets.py): the matrix's hover list, the choice
   of a gap chain, and the accounts table (sort, filter, page, drill
   down) over the JSON the page embeds (html_data.c). Everything it shows
   is built with textContent, never parsed as HTML, so names from the
   data stay text. The page reads without it; "#only-SECTION" shows one
   section alone (for screenshots), and "#check" also drives the table
   and writes what the page shows into <pre id="shown-numbers"> for the
   tests (test_html_browser.py). */
(function () {
  'use strict';
  var doc = document;
  var D = JSON.parse(doc.getElementById('servgap-data').textContent);
  /* The columns of D.acc, D.f, D.t and D.p (html_data.c). */
  var NAME = 0, TIER = 1, VALUE = 2, HEALTH = 3, FLAGS = 4, RENEWAL = 5, RROW = 6, RISK = 7,
    WSF = 8, CONTRIB = 9, WORST = 10, NF = 11, TRIG = 12, REVIEW = 13, NP = 14;

  function el(tag, attrs, text) {
    var e = doc.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var c = arguments[i];
      parent.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c);
    }
    return parent;
  }
  function fixed(v, d) { return v == null ? '\u2013' : v.toFixed(d); }
  function signed(v, d) { return v == null ? '\u2013' : (v > 0 ? '+' : '') + v.toFixed(d); }
  function money(v) { return v == null ? '\u2013' : Math.round(v).toLocaleString('en-US'); }
  function tagged(text, path) { return el('span', { 'data-j': path }, text); }
  function td(cls) { return el('td', cls ? { 'class': cls } : {}); }
  /* An account the summary level leaves out is 0 in D.acc (html_data.c). */
  function listed(a) { return Array.isArray(a); }
  function tpName(t) { return t === -2 ? 'all' : t === -1 ? 'any' : D.tps[t]; }
  function metricName(m, dim) { return m === -2 ? 'dim:' + D.dims[dim] : D.metrics[m]; }

  /* ---- one section alone: #only-ID ---- */
  function showOnly() {
    var m = /^#only-([a-z]+)/.exec(location.hash);
    doc.body.classList.toggle('only', !!m);
    doc.querySelectorAll('main > section').forEach(function (s) {
      s.classList.toggle('shown', !!m && s.id === m[1]);
    });
  }

  /* ---- the matrix: every point under the pointer ---- */
  function matrix() {
    var svg = doc.getElementById('matrix-svg'), tip = doc.getElementById('matrix-tip');
    if (!svg) return;
    var pts = [].slice.call(svg.querySelectorAll('circle.pt')).map(function (c) {
      var t = c.querySelector('title'), text = t ? t.textContent : '';
      /* The list below replaces the browser's tooltip, which shows one point. */
      if (t) t.remove();
      c.setAttribute('aria-label', text);
      return { c: c, x: +c.getAttribute('cx'), y: +c.getAttribute('cy'), r: +c.getAttribute('r'),
        i: +c.getAttribute('data-i'), cell: c.getAttribute('data-cell'), text: text };
    }).sort(function (a, b) { return a.i - b.i; });
    var lit = [];
    function under(e) {
      var p = svg.createSVGPoint();
      p.x = e.clientX; p.y = e.clientY;
      p = p.matrixTransform(svg.getScreenCTM().inverse());
      return pts.filter(function (q) { return Math.hypot(q.x - p.x, q.y - p.y) <= q.r + 2; });
    }
    svg.addEventListener('mousemove', function (e) {
      var hits = under(e), box = svg.parentNode.getBoundingClientRect();
      lit.forEach(function (q) { q.c.classList.remove('hl'); });
      lit = hits;
      if (!hits.length) { tip.hidden = true; return; }
      tip.textContent = '';
      hits.slice(0, 12).forEach(function (q) { q.c.classList.add('hl'); add(tip, el('div', {}, q.text)); });
      if (hits.length > 12) add(tip, el('div', {}, '... and ' + (hits.length - 12) + ' more here'));
      tip.hidden = false;
      var x = e.clientX - box.left + 14, y = e.clientY - box.top + 14;
      tip.style.left = Math.min(x, box.width - 300) + 'px';
      tip.style.top = y + 'px';
    });
    svg.addEventListener('mouseleave', function () { tip.hidden = true; });
    svg.addEventListener('click', function (e) {
      var hits = under(e);
      if (!hits.length) return;
      if (!chooseChain(hits[0].cell)) {
        var row = doc.getElementById('f-' + (hits[0].i + 1));
        if (row) { row.scrollIntoView({ block: 'center' }); row.classList.add('flash'); }
      } else doc.getElementById('chain').scrollIntoView();
    });
  }

  /* ---- the chain: one cell's picture at a time ---- */
  var figs = [].slice.call(doc.querySelectorAll('figure.chainfig'));
  function chooseChain(cell) {
    var found = figs.some(function (f) { return f.id === 'chain-' + cell; });
    if (!found) return false;
    figs.forEach(function (f) { f.hidden = f.id !== 'chain-' + cell; });
    doc.querySelectorAll('#chain-pick a').forEach(function (a) {
      a.classList.toggle('on', a.getAttribute('data-cell') === String(cell));
    });
    return true;
  }
  function chains() {
    if (!figs.length) return;
    /* The fullest chain first: the first finding's cell may hold only a promise and deliveries. */
    var best = figs[0];
    figs.forEach(function (f) { if (+f.getAttribute('data-levels') > +best.getAttribute('data-levels')) best = f; });
    chooseChain(best.id.slice(6));
    doc.getElementById('chain-pick').addEventListener('click', function (e) {
      var a = e.target.closest('a[data-cell]');
      if (a) { e.preventDefault(); chooseChain(a.getAttribute('data-cell')); }
    });
  }

  /* ---- the accounts table ---- */
  var S = { key: 'risk', dir: -1, q: '', tier: '', trig: false, find: false, risk: false, page: 0 };
  var order = [], open = {};
  var byAcc = null;
  function bits(n) { var c = 0; for (; n; n &= n - 1) c++; return c; }
  function sortValue(a, key) {
    switch (key) {
      case 'name': return a[NAME].toLowerCase();
      case 'tier': return a[TIER] < 0 ? '' : D.tiers[a[TIER]];
      case 'value': return a[VALUE];
      case 'health': return a[HEALTH];
      case 'risk': return a[RISK];
      case 'windows': return a[WSF];
      case 'worst': return a[WORST];
      case 'findings': return a[NF];
      case 'triggers': return bits(a[TRIG]);
      default: return a[NP];
    }
  }
  /* As the static page (html_accounts.c): most at risk, then the largest value, then by id. */
  function compare(i, j) {
    var a = D.acc[i], b = D.acc[j], x = sortValue(a, S.key), y = sortValue(b, S.key);
    if (x == null && y != null) return 1;
    if (y == null && x != null) return -1;
    if (x < y) return -S.dir;
    if (x > y) return S.dir;
    if (S.key === 'risk' && a[VALUE] !== b[VALUE]) return b[VALUE] - a[VALUE];
    return i - j;
  }
  function select() {
    var q = S.q.toLowerCase(), tier = S.tier === '' ? null : +S.tier;
    order = [];
    for (var i = 0; i < D.acc.length; i++) {
      var a = D.acc[i];
      if (!listed(a)) continue;
      if (q && a[NAME].toLowerCase().indexOf(q) < 0) continue;
      if (tier != null && a[TIER] !== tier) continue;
      if ((S.trig && !a[TRIG]) || (S.find && !a[NF]) || (S.risk && !(a[FLAGS] & 1))) continue;
      order.push(i);
    }
    order.sort(compare);
  }
  function accountRow(i) {
    var a = D.acc[i], r = a[RROW], tr = el('tr', { 'data-a': i });
    add(tr, el('th', { scope: 'row' }, a[NAME]), el('td', {}, a[TIER] < 0 ? '' : D.tiers[a[TIER]]));
    var c = td('num');
    add(c, r < 0 ? money(a[VALUE]) : tagged(money(a[VALUE]), 'risk.' + r + '.value'));
    add(tr, c, el('td', { 'class': 'num' }, a[HEALTH] == null ? '\u2013' : fixed(a[HEALTH], 0)));
    if (r < 0) add(tr, el('td', { 'class': 'num' }, '\u2013'), td(), td());
    else {
      add(tr, add(td('num'), tagged(fixed(a[RISK], 2), 'risk.' + r + '.risk')),
        add(td('num'), tagged(String(a[WSF]), 'risk.' + r + '.with_shortfall'), '/' + D.K),
        add(td('num'), tagged(signed(a[WORST], 2), 'risk.' + r + '.worst_normalized')));
    }
    var tg = td();
    for (var k = 1; k < D.kinds.length - 1; k++)
      if (a[TRIG] & (1 << k)) add(tg, el('span', { 'class': 'badge' }, D.kinds[k]));
    if (a[FLAGS] & 1) add(tg, el('span', { 'class': 'badge warn' }, 'at risk'));
    if (a[FLAGS] & 2) add(tg, el('span', { 'class': 'badge' }, 'churned'));
    add(tr, el('td', { 'class': 'num' }, String(a[NF])), tg, el('td', { 'class': 'num' }, String(a[NP])));
    return tr;
  }
  function render() {
    var body = doc.getElementById('acc-body'), pages = Math.max(1, Math.ceil(order.length / D.page));
    S.page = Math.min(S.page, pages - 1);
    body.textContent = '';
    order.slice(S.page * D.page, (S.page + 1) * D.page).forEach(function (i) {
      body.appendChild(accountRow(i));
      if (open[i]) body.appendChild(drill(i));
    });
    doc.querySelectorAll('#acc-table th[data-k]').forEach(function (th) {
      th.classList.toggle('asc', th.getAttribute('data-k') === S.key && S.dir > 0);
      th.classList.toggle('desc', th.getAttribute('data-k') === S.key && S.dir < 0);
    });
    doc.getElementById('acc-count').textContent = order.length + ' of ' + D.acc.filter(listed).length +
      ' accounts';
    pager(pages);
  }
  function pager(pages) {
    var p = doc.getElementById('acc-pager'), first = S.page * D.page;
    p.textContent = '';
    var prev = el('button', { type: 'button', id: 'acc-prev' }, '\u2039 previous');
    var next = el('button', { type: 'button', id: 'acc-next' }, 'next \u203a');
    prev.disabled = S.page === 0;
    next.disabled = S.page >= pages - 1;
    prev.onclick = function () { S.page--; render(); };
    next.onclick = function () { S.page++; render(); };
    add(p, prev, el('span', { id: 'acc-page' }, 'page ' + (S.page + 1) + ' of ' + pages + ' (rows ' +
      (order.length ? first + 1 : 0) + '\u2013' + Math.min(first + D.page, order.length) + ')'), next);
    p.hidden = false;
  }

  /* ---- one account's findings, triggers, risk and plans ---- */
  function index() {
    if (byAcc) return byAcc;
    byAcc = { f: {}, t: {}, p: {} };
    function put(map, k, v) { (map[k] = map[k] || []).push(v); }
    D.f.forEach(function (x) { put(byAcc.f, x[1], x); });
    D.t.forEach(function (x) { put(byAcc.t, x[1], x); });
    var owner = {};
    D.f.forEach(function (x) { owner[x[0]] = x[1]; });
    D.p.forEach(function (x) {
      if (x[1] === 1) put(byAcc.p, x[2], x);
      else if (x[12] >= 0 && owner[x[12]] != null) put(byAcc.p, owner[x[12]], x);
    });
    return byAcc;
  }
  function table(head, rows) {
    var t = el('table', { 'class': 'grid small' }), h = el('tr');
    head.forEach(function (x) { add(h, el('th', {}, x)); });
    add(t, add(el('thead'), h));
    var b = el('tbody');
    rows.forEach(function (r) { b.appendChild(r); });
    return add(t, b);
  }
  function findingRow(x) {
    var i = x[0], tr = el('tr');
    add(tr, el('td', {}, '#' + (i + 1)), el('td', {}, D.quadrants[x[9]] || '?'), el('td', {}, tpName(x[2])),
      el('td', {}, metricName(x[3], x[4])), el('td', {}, (x[10] & 2) ? 'no standard' : D.gaps[x[5]]),
      add(td('num'), tagged(signed(x[6], 2), 'priorities.' + i + '.value')),
      add(td('num'), tagged(fixed(x[7], 1), 'priorities.' + i + '.impact')),
      add(td('num'), tagged(fixed(x[8], 2), 'priorities.' + i + '.effort')),
      add(td('num'), tagged(String(x[11]), 'priorities.' + i + '.windows'), '/' + D.K),
      el('td', {}, x[12] >= 0 ? 'repeats tier finding #' + (x[12] + 1) : ''));
    return tr;
  }
  function triggerRow(x) {
    return add(el('tr'), el('td', {}, D.kinds[x[2]]), add(td(), tagged(x[3] || '\u2013', 'triggers.' + x[0] + '.date')),
      add(td(), tagged(x[5], 'triggers.' + x[0] + '.detail')));
  }
  function planRow(x) {
    var i = x[0], what = D.gaps[x[6]] + ' at ' + tpName(x[3]) + ' / ' + metricName(x[4], x[5]);
    return add(el('tr'), el('td', {}, String(i + 1)), el('td', {}, what),
      add(td(), tagged(x[7], 'plans.' + i + '.owner')),
      add(td(), tagged(x[8] || '\u2013', 'plans.' + i + '.deadline'), x[10] ? ' overdue' : ''),
      add(td(), tagged(D.outcomes[x[9]], 'plans.' + i + '.outcome')),
      add(td(), tagged(x[11] || '\u2013', 'plans.' + i + '.next_check')));
  }
  function drill(i) {
    var a = D.acc[i], r = a[RROW], ix = index(), box = el('td', { colspan: 10 });
    var p = el('p');
    if (r >= 0) {
      add(p, 'Risk ', tagged(fixed(a[RISK], 2), 'risk.' + r + '.risk'), ': ',
        tagged(String(a[WSF]), 'risk.' + r + '.with_shortfall'), ' of the last ' + D.K +
        ' windows held a significant shortfall, from ', tagged(String(a[CONTRIB]), 'risk.' + r + '.findings'),
        ' account-level shortfalls; the worst ', tagged(signed(a[WORST], 2), 'risk.' + r + '.worst_normalized'),
        ' of its scale. ');
    }
    add(p, 'Renewal ' + (a[RENEWAL] || 'none') + '; next quarterly review ' + (a[REVIEW] || 'none') + '.');
    add(box, p);
    var f = ix.f[i] || [], t = ix.t[i] || [], pl = ix.p[i] || [];
    add(box, el('h4', {}, f.length + ' finding' + (f.length === 1 ? '' : 's') + ' of its own'));
    if (f.length) add(box, table(['rank', 'quadrant', 'where', 'what', 'gap', 'value', 'impact', 'effort',
      'windows', 'root'], f.slice(0, 100).map(findingRow)));
    if (f.length > 100) add(box, el('p', {}, (f.length - 100) + ' more: see the JSON report.'));
    add(box, el('h4', {}, t.length + ' review trigger' + (t.length === 1 ? '' : 's')));
    if (t.length) add(box, table(['trigger', 'date', 'evidence'], t.map(triggerRow)));
    add(box, el('h4', {}, pl.length + ' plan' + (pl.length === 1 ? '' : 's')));
    if (pl.length) add(box, table(['plan', 'for', 'owner', 'deadline', 'status', 'next check'], pl.map(planRow)));
    return add(el('tr', { 'class': 'drill', 'data-of': i }), box);
  }
  function accounts() {
    if (!doc.getElementById('acc-table')) return;
    var tierSel = doc.getElementById('acc-tier');
    D.tiers.forEach(function (t, k) { add(tierSel, el('option', { value: k }, t)); });
    doc.getElementById('acc-controls').hidden = false;
    function refresh() { S.page = 0; select(); render(); }
    doc.getElementById('acc-q').addEventListener('input', function (e) { S.q = e.target.value; refresh(); });
    tierSel.addEventListener('change', function (e) { S.tier = e.target.value; refresh(); });
    [['acc-trig', 'trig'], ['acc-find', 'find'], ['acc-risk', 'risk']].forEach(function (c) {
      doc.getElementById(c[0]).addEventListener('change', function (e) { S[c[1]] = e.target.checked; refresh(); });
    });
    doc.querySelectorAll('#acc-table th[data-k]').forEach(function (th) {
      th.addEventListener('click', function () {
        var k = th.getAttribute('data-k');
        S.dir = S.key === k ? -S.dir : (k === 'name' || k === 'tier' || k === 'worst' ? 1 : -1);
        S.key = k;
        select(); render();
      });
    });
    doc.getElementById('acc-body').addEventListener('click', function (e) {
      var tr = e.target.closest('tr[data-a]');
      if (!tr) return;
      var i = +tr.getAttribute('data-a');
      open[i] = !open[i];
      render();
    });
    select(); render();
  }

  /* ---- #check: drive the table as a user would, and write what the page shows ---- */
  function rowsShown() {
    return [].slice.call(doc.querySelectorAll('#acc-body tr[data-a]')).map(function (tr) {
      return [].slice.call(tr.children).map(function (c) { return c.textContent; });
    });
  }
  function fire(id, type, value) {
    var e = doc.getElementById(id);
    if (value !== undefined) { if (e.type === 'checkbox') e.checked = value; else e.value = value; }
    e.dispatchEvent(new Event(type, { bubbles: true }));
  }
  function check() {
    var out = { steps: {} };
    function step(name) { out.steps[name] = { rows: rowsShown(), count: doc.getElementById('acc-count').textContent,
      page: doc.getElementById('acc-page').textContent }; }
    function header(k) { doc.querySelector('#acc-table th[data-k="' + k + '"]').click(); }
    step('initial');
    header('value'); step('value_desc');
    header('value'); step('value_asc');
    header('name'); step('name_asc');
    fire('acc-tier', 'change', '0'); step('tier0');
    fire('acc-tier', 'change', ''); fire('acc-trig', 'change', true); step('with_triggers');
    fire('acc-trig', 'change', false);
    var first = D.acc.filter(listed)[0];
    fire('acc-q', 'input', first ? first[NAME].slice(0, 4) : 'x'); step('query');
    fire('acc-q', 'input', '');
    if (!doc.getElementById('acc-next').disabled) { doc.getElementById('acc-next').click(); step('page2'); }
    header('risk');
    [].slice.call(doc.querySelectorAll('#acc-body tr[data-a]')).slice(0, 3).forEach(function (tr) {
      doc.querySelector('#acc-body tr[data-a="' + tr.getAttribute('data-a') + '"]').click();
    });
    step('drilled');
    out.drills = doc.querySelectorAll('#acc-body tr.drill').length;
    out.shown = [].slice.call(doc.querySelectorAll('[data-j],[data-c]')).map(function (e) {
      return e.hasAttribute('data-j') ? ['j', e.getAttribute('data-j'), e.textContent]
        : ['c', e.getAttribute('data-c'), e.textContent];
    });
    add(doc.body, el('pre', { id: 'shown-numbers', hidden: '' }, JSON.stringify(out)));
  }

  showOnly();
  window.addEventListener('hashchange', showOnly);
  matrix();
  chains();
  accounts();
  if (/check/.test(location.hash)) check();
  doc.documentElement.setAttribute('data-ready', '1');
})();
