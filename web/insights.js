// Switchboard insights: reads GET /v1/insights with the agent's token and
// draws plain SVG. No library, no build step.
(function () {
  'use strict';

  var TOKEN_KEY = 'switchboard.agent.token'; // the console's key: one login serves both
  var SVG = 'http://www.w3.org/2000/svg';
  var REASONS = {
    customer_request: 'Asked for a person',
    no_match: 'Bot did not understand',
    complaint: 'Complaint',
    policy: 'Policy (always a person)',
    action_failed: 'Business action failed'
  };
  var state = { token: null, days: 7, locale: '', channel: '', seq: 0 };

  function $(id) { return document.getElementById(id); }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  // ------------------------------------------------------------ formatting
  // Numbers and dates must read one way only: ISO days, percentages with one
  // decimal, durations as "at most" a bucket's bound.

  function percent(rate) {
    return rate === null || rate === undefined ? '–' : (rate * 100).toFixed(1) + ' %';
  }
  function seconds(s) {
    if (s < 60) return s + ' s';
    if (s < 3600) return (s / 60) + ' min';
    return (s / 3600) + ' h';
  }
  function bound(q) {
    if (!q) return '–';
    if (q.at_most_s !== undefined) return '≤ ' + seconds(q.at_most_s);
    if (q.over_s !== undefined) return '> ' + seconds(q.over_s);
    return '–';
  }
  function utc(ts) {
    // RFC 3339 in UTC -> "YYYY-MM-DD HH:MM"
    var m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(String(ts || ''));
    return m ? m[1] + ' ' + m[2] : String(ts || '');
  }

  // ------------------------------------------------------------ login

  function showLogin(error) {
    $('insights').hidden = true;
    $('logout').hidden = true;
    $('login-view').hidden = false;
    $('login-error').textContent = error || '';
    $('token').focus();
  }
  $('login-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var token = $('token').value.trim();
    if (!token) { $('login-error').textContent = 'Enter your access token.'; return; }
    try { sessionStorage.setItem(TOKEN_KEY, token); } catch (e) { /* this tab only */ }
    state.token = token;
    $('token').value = '';
    load();
  });
  $('logout').addEventListener('click', function (ev) {
    ev.preventDefault();
    try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* ignore */ }
    state.token = null;
    showLogin('');
  });

  // ------------------------------------------------------------ data

  function params() {
    var p = 'days=' + state.days;
    if (state.locale) p += '&locale=' + encodeURIComponent(state.locale);
    if (state.channel) p += '&channel=' + encodeURIComponent(state.channel);
    return p;
  }

  function get(path) {
    return fetch(path, {
      headers: { Authorization: 'Bearer ' + state.token },
      cache: 'no-store'
    }).then(function (r) {
      if (r.status === 401) {
        try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* ignore */ }
        state.token = null;
        showLogin('Invalid token');
        throw new Error('unauthorized');
      }
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r;
    });
  }

  function load() {
    var seq = ++state.seq;
    $('status').textContent = 'Loading…';
    document.body.dataset.loaded = 'false';
    get('/v1/insights?' + params()).then(function (r) { return r.json(); }).then(function (report) {
      if (seq !== state.seq) return;
      $('login-view').hidden = true;
      $('insights').hidden = false;
      $('logout').hidden = false;
      render(report);
      $('status').textContent = '';
      document.body.dataset.loaded = 'true';
      document.body.dataset.query = params();
    }).catch(function (err) {
      if (seq !== state.seq || err.message === 'unauthorized') return;
      $('status').textContent = 'Could not load the figures (' + err.message + ').';
    });
  }

  function download(path, file) {
    get(path + '?' + params()).then(function (r) { return r.blob(); }).then(function (blob) {
      var url = URL.createObjectURL(blob);
      var a = document.createElement('a');
      a.href = url;
      a.download = file;
      document.body.appendChild(a);
      a.click();
      document.body.removeChild(a);
      setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    }).catch(function (err) {
      if (err.message !== 'unauthorized') $('status').textContent = 'Download failed (' + err.message + ').';
    });
  }
  $('csv-daily').addEventListener('click', function () { download('/v1/insights/daily.csv', 'switchboard-daily.csv'); });
  $('csv-unanswered').addEventListener('click', function () { download('/v1/insights/unanswered.csv', 'switchboard-unanswered.csv'); });

  // ------------------------------------------------------------ filters

  [1, 7, 30].forEach(function (days) {
    $('range-' + days).addEventListener('click', function () {
      state.days = days;
      [1, 7, 30].forEach(function (d) { $('range-' + d).setAttribute('aria-pressed', d === days ? 'true' : 'false'); });
      load();
    });
  });
  $('filter-locale').addEventListener('change', function () { state.locale = this.value; load(); });
  $('filter-channel').addEventListener('change', function () { state.channel = this.value; load(); });

  function fillLocales(locales) {
    var select = $('filter-locale');
    if (select.options.length > 1) return;
    (locales || []).forEach(function (l) {
      var option = el('option', l);
      option.value = l;
      select.appendChild(option);
    });
    select.value = state.locale;
  }

  // ------------------------------------------------------------ drawing

  function render(r) {
    fillLocales(r.locales);
    $('period').textContent = (r.from === r.to ? r.from : r.from + ' to ' + r.to) + ' (UTC days)';
    var t = r.totals;
    $('kpi-conversations').textContent = String(t.conversations);
    $('kpi-containment').textContent = percent(t.containment_rate);
    $('kpi-containment-note').textContent = t.contained + ' of ' + t.conversations + ' contained';
    $('kpi-handoff').textContent = percent(t.handoff_rate);
    $('kpi-handoff-note').textContent = t.handoffs + (t.handoffs === 1 ? ' handoff' : ' handoffs');
    $('kpi-fallback').textContent = percent(t.fallback_rate);
    $('kpi-fallback-note').textContent = t.unanswered_turns + ' of ' + t.bot_turns + ' messages unanswered';
    $('kpi-csat').textContent = r.csat_average === null ? '–' : r.csat_average.toFixed(2);
    $('kpi-csat-note').textContent = r.ratings_count + (r.ratings_count === 1 ? ' rating' : ' ratings');
    $('kpi-wait-median').textContent = bound(r.wait.median);
    $('kpi-wait-p90').textContent = bound(r.wait.p90);
    $('kpi-wait-note').textContent = r.wait.samples + (r.wait.samples === 1 ? ' claim' : ' claims') + ' (a conversation released and claimed again counts twice)';
    drawRates($('chart-rates'), r.by_day);
    drawBars($('chart-reasons'), Object.keys(REASONS).map(function (k) {
      return { key: k, label: REASONS[k], value: r.handoffs_by_reason[k] || 0 };
    }), 'reason');
    drawBars($('chart-csat'), ['5', '4', '3', '2', '1'].map(function (s) {
      return { key: s, label: s + (s === '5' ? ' (best)' : s === '1' ? ' (worst)' : ''), value: r.ratings[s] || 0 };
    }), 'score');
    var bounds = r.bucket_bounds_s || [];
    drawBars($('chart-wait'), r.wait.buckets.map(function (n, i) {
      var label = i < bounds.length ? '≤ ' + seconds(bounds[i]) : '> ' + seconds(bounds[bounds.length - 1]);
      return { key: i < bounds.length ? String(bounds[i]) : 'inf', label: label, value: n };
    }).filter(function (b) { return b.value > 0; }), 'bound', 'No conversation was claimed in this period.');
    drawArticles(r.articles);
    drawUnanswered(r.unanswered);
  }

  // Two lines, 0–100 %, one point per UTC day.
  function drawRates(box, days) {
    clear(box);
    var W = 720, H = 200, L = 44, R = 12, T = 10, B = 30;
    var chart = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Containment and handoff rate by day' });
    [0, 0.25, 0.5, 0.75, 1].forEach(function (f) {
      var y = T + (H - T - B) * (1 - f);
      chart.appendChild(svg('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'axis' }));
      chart.appendChild(svg('text', { x: L - 6, y: y + 4, 'text-anchor': 'end' }, (f * 100) + ' %'));
    });
    var n = days.length;
    var x = function (i) { return n === 1 ? (L + W - R) / 2 : L + (W - L - R) * i / (n - 1); };
    var y = function (rate) { return T + (H - T - B) * (1 - rate); };
    var every = Math.max(1, Math.ceil(n / 8));
    days.forEach(function (d, i) {
      if (i % every === 0 || i === n - 1) {
        var anchor = n === 1 ? 'middle' : i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
        chart.appendChild(svg('text', { x: x(i), y: H - 10, 'text-anchor': anchor }, d.day));
      }
    });
    // Handoff first and larger: where both rates are equal, both dots show.
    [['handoff_rate', 'series-handoff', 5.5], ['containment_rate', 'series-containment', 3.5]].forEach(function (s) {
      var known = days.map(function (d, i) { return { d: d, i: i, rate: d[s[0]] }; })
        .filter(function (p) { return p.rate !== null && p.rate !== undefined; });
      if (known.length > 1) {
        chart.appendChild(svg('polyline', {
          points: known.map(function (p) { return x(p.i).toFixed(1) + ',' + y(p.rate).toFixed(1); }).join(' '),
          class: s[1]
        }));
      }
      known.forEach(function (p) {
        var dot = svg('circle', { cx: x(p.i), cy: y(p.rate), r: s[2], class: s[1], 'data-day': p.d.day, 'data-value': p.rate });
        dot.appendChild(svg('title', {}, p.d.day + ': ' + percent(p.rate) + ' (' + p.d.conversations + ' conversations)'));
        chart.appendChild(dot);
      });
    });
    box.appendChild(chart);
    if (!days.some(function (d) { return d.conversations > 0; })) box.appendChild(el('p', 'No conversation started in this period.', 'empty'));
  }

  // Horizontal bars with their counts.
  function drawBars(box, items, attr, emptyText) {
    clear(box);
    if (!items.length) { box.appendChild(el('p', emptyText || 'Nothing yet.', 'empty')); return; }
    var W = 360, row = 24, L = 150, R = 40;
    var H = items.length * row + 4;
    var max = Math.max.apply(null, items.map(function (i) { return i.value; }).concat([1]));
    var chart = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img' });
    items.forEach(function (item, i) {
      var y = i * row + 2;
      chart.appendChild(svg('text', { x: L - 6, y: y + 15, 'text-anchor': 'end' }, item.label));
      var w = (W - L - R) * item.value / max;
      var bar = svg('rect', { x: L, y: y + 3, width: Math.max(w, item.value ? 2 : 0), height: row - 8, rx: 3, class: 'bar', 'data-value': item.value });
      bar.setAttribute('data-' + attr, item.key);
      chart.appendChild(bar);
      chart.appendChild(svg('text', { x: L + w + 6, y: y + 15, class: 'value' }, item.value));
    });
    box.appendChild(chart);
  }

  function drawArticles(articles) {
    var body = $('table-articles').tBodies[0];
    clear(body);
    if (!articles.length) {
      var td = el('td', 'No “did this help?” answers in this period.', 'empty');
      td.colSpan = 4;
      body.appendChild(el('tr')).appendChild(td);
      return;
    }
    articles.forEach(function (a) {
      var tr = el('tr');
      tr.dataset.article = a.article;
      tr.appendChild(el('td', a.article));
      tr.appendChild(el('td', a.helpful, 'num'));
      tr.appendChild(el('td', a.not_helpful, 'num'));
      var total = a.helpful + a.not_helpful;
      tr.appendChild(el('td', total ? percent(a.not_helpful / total) : '–', 'num'));
      body.appendChild(tr);
    });
  }

  function drawUnanswered(rows) {
    var body = $('table-unanswered').tBodies[0];
    clear(body);
    if (!rows.length) {
      var td = el('td', 'Every question was answered in this period.', 'empty');
      td.colSpan = 6;
      body.appendChild(el('tr')).appendChild(td);
      return;
    }
    rows.forEach(function (q) {
      var tr = el('tr');
      tr.appendChild(el('td', q.text));
      tr.appendChild(el('td', q.locale));
      tr.appendChild(el('td', q.channel));
      tr.appendChild(el('td', q.count, 'num'));
      tr.appendChild(el('td', utc(q.last_asked)));
      var link = el('a', 'Open');
      link.href = '/agent#conversation=' + encodeURIComponent(q.conversation);
      link.className = 'open-conversation';
      var cell = el('td');
      cell.appendChild(link);
      tr.appendChild(cell);
      body.appendChild(tr);
    });
  }

  // ------------------------------------------------------------ start

  try { state.token = sessionStorage.getItem(TOKEN_KEY); } catch (e) { state.token = null; }
  if (state.token) load();
  else showLogin('');
})();
