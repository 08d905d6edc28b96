// Switchboard agent console. Speaks the agent channel of PROTOCOL.md
// (GET /v1/agent) over one WebSocket. Plain script, no build step.
//
// Everything the server sends is shown with textContent, never as HTML.
(function () {
  'use strict';

  var TOKEN_KEY = 'switchboard.agent.token';
  var AVAILABLE_KEY = 'switchboard.agent.available';
  var BASE_TITLE = 'Switchboard — Agent';
  var TYPING_IDLE_MS = 3000;        // our "typing off" after this much quiet
  var CUSTOMER_TYPING_MAX_MS = 15000; // hide "customer is typing" if no "off" arrives
  var BACKOFF_MIN_MS = 1000;
  var BACKOFF_MAX_MS = 30000;
  var HIGHLIGHT_MS = 4000;
  var MAX_TEXT_CHARS = 4000;

  var REASONS = {
    customer_request: 'Asked for a person',
    no_match: 'Bot did not understand',
    complaint: 'Complaint',
    policy: 'Policy: needs a person'
  };
  var PARTY = { customer: 'Customer', bot: 'Bot', agent: 'Agent', system: 'System' };

  // ---------------------------------------------------------------- state

  var state = {
    token: null,
    ws: null,
    conn: 'offline',
    wantConnected: false,   // false after logout / invalid token
    unauthorized: false,
    attempt: 0,
    reconnectAt: 0,
    reconnectTimer: null,
    readyOnce: false,       // a ready arrived since this login
    agent: null,
    queue: [],
    seenQueue: new Set(),
    highlightUntil: new Map(),
    claiming: new Set(),
    lastClaim: null,
    claimNoticeFor: null,   // the claim a `claimed` notice already explained
    convs: new Map(),       // conversation id -> conv
    order: [],              // tab order
    selected: null,
    attention: 0,
    seq: 0                  // DOM id counter
  };

  // ---------------------------------------------------------------- helpers

  function $(id) { return document.getElementById(id); }

  // el('div', {class: 'x', dataset: {a: 1}, text: 'hi'}, [children])
  function el(tag, props, children) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (k) {
        var v = props[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'text') node.textContent = String(v);
        else if (k === 'class') node.className = v;
        else if (k === 'dataset') Object.keys(v).forEach(function (d) { node.dataset[d] = String(v[d]); });
        else if (k.slice(0, 2) === 'on' && typeof v === 'function') node.addEventListener(k.slice(2), v);
        else if (v === true) node.setAttribute(k, '');
        else node.setAttribute(k, String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function str(v) { return v === undefined || v === null ? '' : String(v); }

  function randomId() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    var out = 'a-';
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] + 256).toString(16).slice(1);
    return out;
  }

  var languageNames = null;
  try { languageNames = new Intl.DisplayNames(['en'], { type: 'language' }); } catch (e) { languageNames = null; }
  function languageName(code) {
    if (!code) return '';
    try { return (languageNames && languageNames.of(code)) || code; } catch (e) { return code; }
  }
  function localeBadge(code, extraClass) {
    var c = str(code) || '?';
    return el('span', { class: 'badge locale' + (extraClass ? ' ' + extraClass : ''), title: languageName(c), text: c.toUpperCase() });
  }
  var CHANNEL_NAMES = { web: 'Web chat', telegram: 'Telegram', whatsapp: 'WhatsApp', webhook: 'Integration' };
  function channelBadge(ch) {
    var c = str(ch) || 'web';
    return el('span', { class: 'badge channel channel-' + c, title: 'Channel', text: CHANNEL_NAMES[c] || c });
  }
  function reasonText(r) {
    if (!r) return 'Unknown reason';
    return REASONS[r] || String(r).replace(/_/g, ' ');
  }
  function isHigh(p) {
    if (typeof p === 'number') return p > 0;
    var s = str(p).toLowerCase();
    return s === 'high' || s === 'urgent';
  }
  function parseTime(ts) {
    var t = Date.parse(ts);
    return isNaN(t) ? null : t;
  }
  function clock(ts) {
    var t = parseTime(ts);
    if (t === null) return '';
    return new Date(t).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  }
  function duration(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    if (h) return h + ' h ' + (m < 10 ? '0' : '') + m + ' min';
    if (m) return m + ' min ' + (sec < 10 ? '0' : '') + sec + ' s';
    return sec + ' s';
  }
  // Wait estimates are rounded up, never down (DESIGN.md §1).
  function estimate(s) {
    if (!isFinite(s) || s < 0) return 'unknown';
    if (s < 60) return Math.ceil(s) + ' s';
    return Math.ceil(s / 60) + ' min';
  }
  function speaks(locale) {
    if (!state.agent || !Array.isArray(state.agent.languages) || !locale) return true;
    var base = String(locale).toLowerCase().split(/[-_]/)[0];
    return state.agent.languages.some(function (l) { return String(l).toLowerCase().split(/[-_]/)[0] === base; });
  }
  function customerName(customer) {
    return customer && customer.name ? String(customer.name) : '';
  }
  function lookingAtPage() {
    return !document.hidden && (typeof document.hasFocus !== 'function' || document.hasFocus());
  }

  function notice(text, kind) {
    var box = $('notices');
    var n = el('div', { class: 'notice' + (kind ? ' ' + kind : ''), text: text });
    box.appendChild(n);
    while (box.children.length > 3) box.removeChild(box.firstChild);
    setTimeout(function () { if (n.parentNode) n.parentNode.removeChild(n); }, 5000);
  }

  // ---------------------------------------------------------------- title badge

  function bumpAttention(n) {
    state.attention += n;
    updateTitle();
  }
  function clearAttention() {
    if (!state.attention) return;
    state.attention = 0;
    updateTitle();
  }
  function updateTitle() {
    document.title = (state.attention > 0 ? '(' + state.attention + ') ' : '') + BASE_TITLE;
  }
  window.addEventListener('focus', clearAttention);
  document.addEventListener('visibilitychange', function () {
    if (!document.hidden) {
      clearAttention();
      var c = state.convs.get(state.selected);
      if (c) markRead(c);
    }
  });
  // Typing or clicking in the console means the agent is looking at it.
  document.addEventListener('pointerdown', clearAttention, true);
  document.addEventListener('keydown', clearAttention, true);

  // ---------------------------------------------------------------- connection

  function setConn(s) {
    state.conn = s;
    var box = $('conn');
    box.dataset.state = s;
    renderConnText();
    $('reconnect-now').hidden = s !== 'reconnecting';
    $('queue-pane').classList.toggle('stale', s !== 'connected');
    $('available').disabled = s !== 'connected';
    refreshControls();
  }

  function renderConnText() {
    var s = state.conn, t;
    if (s === 'connected') t = 'Connected';
    else if (s === 'connecting') t = 'Connecting…';
    else if (s === 'authenticating') t = 'Signing in…';
    else if (s === 'reconnecting') {
      var left = Math.max(0, Math.ceil((state.reconnectAt - Date.now()) / 1000));
      t = 'Disconnected — retrying in ' + left + ' s';
    } else t = 'Signed out';
    var node = $('conn-text');
    if (node.textContent !== t) node.textContent = t;
    // Before the first ready of a login, the login card shows the state.
    if (!state.readyOnce && state.wantConnected) {
      var ls = $('login-status');
      var lt = s === 'reconnecting' ? 'Cannot reach the server. ' + t.replace('Disconnected — r', 'R') + '.' : t;
      if (ls.textContent !== lt) ls.textContent = lt;
    }
  }

  function wsUrl() {
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/v1/agent';
  }

  function connect() {
    clearTimeout(state.reconnectTimer);
    state.reconnectTimer = null;
    if (!state.token) return;
    state.wantConnected = true;
    state.unauthorized = false;
    setConn('connecting');
    var ws;
    try {
      ws = new WebSocket(wsUrl());
    } catch (e) {
      scheduleReconnect();
      return;
    }
    state.ws = ws;
    ws.onopen = function () {
      if (ws !== state.ws) return;
      setConn('authenticating');
      ws.send(JSON.stringify({ type: 'auth', token: state.token }));
    };
    ws.onmessage = function (ev) {
      if (ws !== state.ws) return;
      if (typeof ev.data !== 'string') return;
      var frame;
      try { frame = JSON.parse(ev.data); } catch (e) { return; }
      if (!frame || typeof frame !== 'object') return;
      try { handleFrame(frame); } catch (e) { if (window.console) console.error('agent console: frame failed', frame, e); }
    };
    ws.onclose = function (ev) {
      if (ws !== state.ws) return;
      state.ws = null;
      onSocketClosed(ev.code);
    };
    ws.onerror = function () { /* onclose follows */ };
  }

  function onSocketClosed(code) {
    stopAllTyping(false);
    if (state.unauthorized || code === 1008) {
      invalidToken();
      return;
    }
    if (!state.wantConnected) { setConn('offline'); return; }
    scheduleReconnect();
  }

  function scheduleReconnect() {
    var delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, state.attempt));
    state.attempt++;
    state.reconnectAt = Date.now() + delay;
    setConn('reconnecting');
    clearTimeout(state.reconnectTimer);
    state.reconnectTimer = setTimeout(connect, delay);
  }

  function send(frame) {
    var ws = state.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || state.conn !== 'connected') return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  function isOnline() { return state.conn === 'connected'; }

  $('reconnect-now').addEventListener('click', function () { state.attempt = 0; connect(); });
  window.addEventListener('online', function () {
    if (state.conn === 'reconnecting') { state.attempt = 0; connect(); }
  });

  // ---------------------------------------------------------------- login / logout

  function showLogin(error) {
    $('console').hidden = true;
    $('agent-info').hidden = true;
    $('available-wrap').hidden = true;
    $('logout').hidden = true;
    $('insights-link').hidden = true;
    $('login-view').hidden = false;
    $('login-error').textContent = error || '';
    $('login-status').textContent = '';
    $('token').disabled = false;
    $('login').disabled = false;
    $('token').focus();
  }

  function showPendingLogin() {
    $('console').hidden = true;
    $('login-view').hidden = false;
    $('login-error').textContent = '';
    $('token').disabled = true;
    $('login').disabled = true;
    $('logout').hidden = false; // lets the agent cancel a login that keeps retrying
  }

  function showConsole() {
    $('login-view').hidden = true;
    $('console').hidden = false;
    $('agent-info').hidden = false;
    $('available-wrap').hidden = false;
    $('logout').hidden = false;
    $('insights-link').hidden = false;
    $('token').value = '';
  }

  function startSession(token) {
    state.token = token;
    state.readyOnce = false;
    state.attempt = 0;
    showPendingLogin();
    connect();
  }

  function resetSession() {
    state.wantConnected = false;
    clearTimeout(state.reconnectTimer);
    state.reconnectTimer = null;
    stopAllTyping(true);
    if (state.ws) {
      var ws = state.ws;
      state.ws = null;
      try { ws.close(1000, 'logout'); } catch (e) { /* ignore */ }
    }
    state.token = null;
    state.agent = null;
    state.readyOnce = false;
    state.queue = [];
    state.seenQueue = new Set();
    state.highlightUntil = new Map();
    state.claiming = new Set();
    state.convs.forEach(function (c) { removeConvDom(c); });
    state.convs = new Map();
    state.order = [];
    state.selected = null;
    clear($('queue'));
    renderTabs();
    state.attention = 0;
    updateTitle();
    setConn('offline');
  }

  function invalidToken() {
    try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* ignore */ }
    resetSession();
    showLogin('Invalid token');
  }

  $('login-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var token = $('token').value.trim();
    if (!token) {
      $('login-error').textContent = 'Enter your access token.';
      $('token').focus();
      return;
    }
    try { sessionStorage.setItem(TOKEN_KEY, token); } catch (e) { /* private mode: this tab only */ }
    startSession(token);
  });

  $('logout').addEventListener('click', function (ev) {
    ev.preventDefault();
    try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* ignore */ }
    resetSession();
    showLogin('');
  });

  // ---------------------------------------------------------------- availability

  function availablePref() {
    try { return sessionStorage.getItem(AVAILABLE_KEY) !== 'false'; } catch (e) { return true; }
  }
  function renderAvailable() {
    var on = $('available').checked;
    $('available-text').textContent = on ? 'Available' : 'Away';
    if (state.queue) drawQueue();
  }
  $('available').checked = availablePref();
  renderAvailable();
  $('available').addEventListener('change', function () {
    var on = $('available').checked;
    try { sessionStorage.setItem(AVAILABLE_KEY, on ? 'true' : 'false'); } catch (e) { /* ignore */ }
    renderAvailable();
    if (!send({ type: 'status', available: on })) notice('Not connected: your status is sent when the connection is back.');
  });

  // ---------------------------------------------------------------- frames

  function handleFrame(f) {
    switch (f.type) {
      case 'ready': onReady(f); break;
      case 'queue': state.queueTotal = f.total; renderQueue(f.items, false); break;
      case 'history': onHistory(f); break;
      case 'conversation': onConversation(f, true); break;
      case 'message': onMessage(f); break;
      case 'claimed': onClaimed(f); break;
      case 'typing': onTyping(f); break;
      case 'closed': onClosed(f); break;
      case 'rating': onRating(f); break;
      case 'dead_letter': onDeadLetter(f); break;
      case 'ack': onAck(f); break;
      case 'error': onError(f); break;
      default: break; // newer server, older console: ignore
    }
  }

  function onReady(f) {
    var first = !state.readyOnce;
    state.readyOnce = true;
    state.attempt = 0;
    state.agent = f.agent || { name: '', languages: [] };
    setConn('connected');
    showConsole();
    renderAgent();
    // Tell the server which way the switch is, so both agree after a reconnect.
    send({ type: 'status', available: $('available').checked });
    state.claiming.clear();
    state.queueTotal = f.queue_total;
    renderQueue(f.queue, first);

    var assigned = Array.isArray(f.assigned) ? f.assigned.map(String) : [];
    var held = new Set(assigned);
    // Conversations we showed as ours but no longer hold (the reconnect grace ran out).
    state.convs.forEach(function (c) {
      if ((c.status === 'active' || c.status === 'closing') && !held.has(c.id)) {
        setStatus(c, 'released', 'No longer assigned to you: it went back to the queue while you were disconnected.');
      }
    });
    assigned.forEach(function (id) {
      var c = ensureConv(id);
      if (c.status !== 'closed') setStatus(c, 'active');
      loadContext(c);
      flushPending(c);
    });
    if (!state.selected && assigned.length) selectConv(assigned[0], false);
    if (first) openFromLink();
    refreshControls();
  }

  // `/agent#conversation=<id>` (the insights page links here): the
  // conversation opens read-only, from GET /v1/conversations/{id}.
  function openFromLink() {
    var match = /^#conversation=([A-Za-z0-9_-]{1,64})$/.exec(location.hash || '');
    if (!match) return;
    var id = match[1];
    if (!state.convs.has(id)) {
      var c = ensureConv(id);
      setStatus(c, 'viewing', 'Opened from Insights: read-only. Claim it from the queue to reply.');
      loadContext(c);
    }
    selectConv(id, false);
  }
  window.addEventListener('hashchange', function () { if (state.readyOnce) openFromLink(); });

  function renderAgent() {
    var a = state.agent || {};
    $('agent-name').textContent = str(a.name) || 'Agent';
    var langs = $('agent-languages');
    clear(langs);
    (Array.isArray(a.languages) ? a.languages : []).forEach(function (l) {
      langs.appendChild(localeBadge(l, 'muted'));
      langs.appendChild(document.createTextNode(' '));
    });
  }

  // ---------------------------------------------------------------- queue

  function renderQueue(items, initial) {
    items = Array.isArray(items) ? items.filter(function (it) { return it && it.conversation !== undefined; }) : [];
    items = items.map(function (it, i) { return { item: it, i: i }; }).sort(function (a, b) {
      var pa = Number(a.item.position), pb = Number(b.item.position);
      if (isFinite(pa) && isFinite(pb) && pa !== pb) return pa - pb;
      return a.i - b.i;
    }).map(function (x) { return x.item; });
    // Never offer what we already hold.
    items = items.filter(function (it) {
      var c = state.convs.get(String(it.conversation));
      return !(c && (c.status === 'active' || c.status === 'closing'));
    });
    var now = Date.now();
    var fresh = 0;
    items.forEach(function (it) {
      var id = String(it.conversation);
      if (!state.seenQueue.has(id)) {
        state.seenQueue.add(id);
        if (!initial) {
          fresh++;
          state.highlightUntil.set(id, now + HIGHLIGHT_MS);
        }
      }
    });
    state.queue = items;
    if (fresh) bumpAttention(fresh);
    drawQueue();
  }

  function drawQueue() {
    var list = $('queue');
    var existing = new Map();
    Array.prototype.forEach.call(list.children, function (li) { existing.set(li.dataset.conversation, li); });
    var keep = new Set();
    var prev = null;
    state.queue.forEach(function (it) {
      var id = String(it.conversation);
      keep.add(id);
      var li = existing.get(id);
      if (!li) li = buildQueueItem(id);
      fillQueueItem(li, it);
      var want = prev ? prev.nextSibling : list.firstChild;
      if (want !== li) list.insertBefore(li, want);
      prev = li;
    });
    existing.forEach(function (li, id) { if (!keep.has(id)) list.removeChild(li); });
    // The server sends the first 50 by priority and wait, and the total.
    var total = Number(state.queueTotal);
    $('queue-count').textContent = isFinite(total) && total > state.queue.length
      ? state.queue.length + ' of ' + total : String(state.queue.length);
    $('queue-empty').hidden = state.queue.length > 0;
    // Away, the server offers nothing: say so rather than "nobody is waiting".
    $('queue-empty').textContent = $('available').checked
      ? 'Nobody is waiting. New conversations appear here.'
      : 'You are set to Away, so waiting customers are not shown. Switch to Available to see the queue.';
    tickQueue();
  }

  function buildQueueItem(id) {
    var li = el('li', { class: 'queue-item', dataset: { conversation: id } });
    var claim = el('button', { type: 'button', class: 'btn btn-primary btn-small claim', text: 'Claim' });
    claim.addEventListener('click', function () { claimConv(id); });
    li.appendChild(el('div', { class: 'qi-top' }, [
      el('span', { class: 'qi-locale' }),
      el('span', { class: 'qi-reason' }),
      el('span', { class: 'qi-priority' }),
      el('span', { class: 'qi-pos' })
    ]));
    li.appendChild(el('div', { class: 'qi-name' }));
    li.appendChild(el('p', { class: 'qi-summary' }));
    li.appendChild(el('div', { class: 'qi-bottom' }, [
      el('time', { class: 'wait' }),
      claim
    ]));
    return li;
  }

  function setText(node, t) { if (node.textContent !== t) node.textContent = t; }

  function fillQueueItem(li, it) {
    var id = String(it.conversation);
    var high = isHigh(it.priority);
    li.classList.toggle('priority-high', high);
    li.dataset.priority = str(it.priority) || 'normal';
    li.dataset.reason = str(it.reason);
    li.dataset.locale = str(it.locale);

    var loc = li.querySelector('.qi-locale');
    clear(loc);
    var badge = localeBadge(it.locale, speaks(it.locale) ? '' : 'foreign');
    if (!speaks(it.locale)) badge.title = languageName(it.locale) + ' (not one of your languages)';
    loc.appendChild(badge);

    loc.appendChild(channelBadge(it.channel));
    li.dataset.channel = str(it.channel) || 'web';

    var reason = li.querySelector('.qi-reason');
    setText(reason, reasonText(it.reason));
    reason.dataset.reason = str(it.reason);

    var prio = li.querySelector('.qi-priority');
    clear(prio);
    if (high) prio.appendChild(el('span', { class: 'badge high', text: 'High priority' }));

    setText(li.querySelector('.qi-pos'), it.position !== undefined && it.position !== null ? '#' + it.position : '');
    li.querySelector('.qi-pos').title = 'Position in the queue';

    var name = customerName(it.customer);
    var nameEl = li.querySelector('.qi-name');
    setText(nameEl, name || 'Anonymous customer');
    nameEl.classList.toggle('anon', !name);

    var summary = li.querySelector('.qi-summary');
    setText(summary, str(it.summary) || 'No summary.');

    var wait = li.querySelector('.wait');
    wait.dataset.since = str(it.waiting_since);
    wait.setAttribute('datetime', str(it.waiting_since));

    var claim = li.querySelector('.claim');
    var claiming = state.claiming.has(id);
    setText(claim, claiming ? 'Claiming…' : 'Claim');
    claim.disabled = claiming || !isOnline();
    claim.setAttribute('aria-label', 'Claim conversation with ' + (name || 'anonymous customer') + ', ' +
      languageName(it.locale) + ', ' + reasonText(it.reason));
  }

  function tickQueue() {
    var now = Date.now();
    Array.prototype.forEach.call($('queue').children, function (li) {
      var wait = li.querySelector('.wait');
      var since = parseTime(wait.dataset.since);
      var t = since === null ? 'Waiting' : 'Waiting ' + duration(now - since);
      setText(wait, t);
      wait.classList.toggle('long', since !== null && now - since > 5 * 60 * 1000);
      var until = state.highlightUntil.get(li.dataset.conversation);
      var isNew = until !== undefined && until > now;
      if (until !== undefined && !isNew) state.highlightUntil.delete(li.dataset.conversation);
      li.classList.toggle('is-new', isNew);
    });
  }

  function claimConv(id) {
    if (!send({ type: 'claim', conversation: id })) { notice('Not connected.', 'error'); return; }
    state.claiming.add(id);
    state.lastClaim = id;
    drawQueue();
  }

  function removeFromQueue(id) {
    var before = state.queue.length;
    state.queue = state.queue.filter(function (it) { return String(it.conversation) !== id; });
    state.claiming.delete(id);
    if (state.queue.length !== before) drawQueue();
  }

  function onClaimed(f) {
    var id = str(f.conversation);
    var who = f.agent && f.agent.name ? String(f.agent.name) : 'another agent';
    var mine = state.agent && f.agent && f.agent.name === state.agent.name;
    if (state.claiming.has(id) && !mine) {
      notice(who + ' took this conversation first.');
      state.claimNoticeFor = id;
    }
    removeFromQueue(id);
    var c = state.convs.get(id);
    if (c && c.status !== 'active' && c.status !== 'closing' && c.status !== 'closed' && !mine) {
      setStatus(c, 'taken', 'Now handled by ' + who + '.');
    }
  }

  // ---------------------------------------------------------------- conversations

  function ensureConv(id) {
    id = String(id);
    var c = state.convs.get(id);
    if (c) return c;
    c = {
      id: id,
      n: ++state.seq,
      ctx: null,
      status: 'active',
      entries: new Map(),   // seq -> entry
      pending: new Map(),   // client id -> {text, node, state}
      unread: 0,
      loading: false,
      typingOn: false,
      typingTimer: null,
      customerTypingTimer: null,
      rating: null
    };
    buildConvDom(c);
    state.convs.set(id, c);
    state.order.push(id);
    renderTabs();
    return c;
  }

  function buildConvDom(c) {
    var panelId = 'conv-panel-' + c.n, tabId = 'conv-tab-' + c.n, inputId = 'reply-' + c.n;

    // Tab
    var label = el('span', { class: 'tab-label', text: shortId(c.id) });
    var loc = el('span', { class: 'tab-locale' });
    var dot = el('span', { class: 'unread-dot', hidden: true, 'aria-hidden': 'true' });
    var unreadSr = el('span', { class: 'sr-only tab-unread-sr' });
    var tab = el('button', {
      type: 'button', role: 'tab', class: 'tab', id: tabId, 'aria-controls': panelId,
      'aria-selected': 'false', tabindex: '-1', dataset: { conversation: c.id }
    }, [loc, label, dot, unreadSr]);
    tab.addEventListener('click', function () { selectConv(c.id, true); });
    tab.addEventListener('keydown', onTabKey);
    var dismiss = el('button', { type: 'button', class: 'tab-dismiss', 'aria-label': 'Close tab', title: 'Close tab', text: '×', hidden: true });
    dismiss.addEventListener('click', function () { dismissConv(c.id); });
    var wrap = el('div', { class: 'tab-wrap', role: 'presentation' }, [tab, dismiss]);

    // Panel
    var title = el('h2', { class: 'conv-title' });
    var release = el('button', { type: 'button', class: 'btn btn-small release', text: 'Release to queue' });
    var toBot = el('button', { type: 'button', class: 'btn btn-small return-to-bot', text: 'Return to bot' });
    var close = el('button', { type: 'button', class: 'btn btn-small btn-danger close', text: 'Close conversation' });
    release.addEventListener('click', function () { releaseConv(c); });
    toBot.addEventListener('click', function () { returnToBot(c); });
    close.addEventListener('click', function () { closeConv(c); });

    var banner = el('div', { class: 'conv-banner', role: 'status', hidden: true });
    // The server sends the newest part of a long transcript; older pages on request.
    var earlier = el('button', { type: 'button', class: 'btn btn-small load-earlier', text: 'Load earlier messages', hidden: true });
    earlier.addEventListener('click', function () { loadEarlier(c); });
    var transcript = el('ol', { class: 'transcript', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Transcript', tabindex: '0' });
    var typing = el('div', { class: 'typing-indicator', 'aria-live': 'polite' });
    var rating = el('section', { class: 'rating', 'aria-label': 'Customer rating', hidden: true });

    var input = el('textarea', {
      class: 'reply-input', id: inputId, rows: '2', maxlength: String(MAX_TEXT_CHARS),
      placeholder: 'Write a reply…', 'aria-describedby': inputId + '-hint'
    });
    var sendBtn = el('button', { type: 'submit', class: 'btn btn-primary reply-send', text: 'Send' });
    var form = el('form', { class: 'reply', novalidate: true }, [
      el('label', { class: 'sr-only', for: inputId, text: 'Reply to the customer' }),
      input, sendBtn
    ]);
    form.addEventListener('submit', function (ev) { ev.preventDefault(); sendReply(c); });
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
        ev.preventDefault();
        sendReply(c);
      }
    });
    input.addEventListener('input', function () { onOwnTyping(c); });
    input.addEventListener('blur', function () { if (!input.value.trim()) setOwnTyping(c, false); });
    var hint = el('p', { class: 'reply-hint', id: inputId + '-hint', text: 'Enter to send · Shift+Enter for a new line' });

    var main = el('div', { class: 'conv-main' }, [
      el('div', { class: 'conv-head' }, [title, el('div', { class: 'conv-actions' }, [release, toBot, close])]),
      banner, earlier, transcript, typing, rating, form, hint
    ]);
    var context = el('aside', { class: 'context', 'aria-label': 'Conversation context' });
    var panel = el('section', {
      class: 'conversation', id: panelId, role: 'tabpanel', 'aria-labelledby': tabId,
      dataset: { conversation: c.id, status: c.status }, hidden: true
    }, [main, context]);

    $('conversations').appendChild(panel);
    c.dom = {
      wrap: wrap, tab: tab, label: label, loc: loc, dot: dot, unreadSr: unreadSr, dismiss: dismiss,
      panel: panel, title: title, release: release, toBot: toBot, close: close, banner: banner, earlier: earlier,
      transcript: transcript, typing: typing, rating: rating, input: input, send: sendBtn, context: context
    };
    renderContext(c);
    renderTitle(c);
    refreshConvControls(c);
  }

  function shortId(id) { return id.length > 10 ? id.slice(0, 8) + '…' : id; }

  function removeConvDom(c) {
    clearTimeout(c.typingTimer);
    clearTimeout(c.customerTypingTimer);
    if (c.dom.panel.parentNode) c.dom.panel.parentNode.removeChild(c.dom.panel);
    if (c.dom.wrap.parentNode) c.dom.wrap.parentNode.removeChild(c.dom.wrap);
  }

  function renderTabs() {
    var strip = $('tabs');
    state.order.forEach(function (id) {
      var c = state.convs.get(id);
      if (c && c.dom.wrap.parentNode !== strip) strip.appendChild(c.dom.wrap);
    });
    strip.hidden = state.order.length === 0;
    $('no-conversation').hidden = state.order.length > 0;
    var hasSelected = false;
    state.order.forEach(function (id) {
      var c = state.convs.get(id);
      var sel = id === state.selected;
      hasSelected = hasSelected || sel;
      c.dom.wrap.classList.toggle('selected', sel);
      c.dom.tab.setAttribute('aria-selected', sel ? 'true' : 'false');
      c.dom.panel.hidden = !sel;
    });
    // Keep one tab reachable with Tab even when none is selected.
    state.order.forEach(function (id, i) {
      var c = state.convs.get(id);
      var focusable = id === state.selected || (!hasSelected && i === 0);
      c.dom.tab.setAttribute('tabindex', focusable ? '0' : '-1');
    });
  }

  function renderTab(c) {
    var name = c.ctx ? customerName(c.ctx.customer) : '';
    setText(c.dom.label, name || shortId(c.id));
    c.dom.tab.title = (name ? name + ' — ' : '') + c.id;
    clear(c.dom.loc);
    if (c.ctx && c.ctx.locale) c.dom.loc.appendChild(localeBadge(c.ctx.locale));
    c.dom.dot.hidden = c.unread === 0;
    setText(c.dom.unreadSr, c.unread ? ', ' + c.unread + ' unread' : '');
    var finished = c.status !== 'active' && c.status !== 'closing';
    c.dom.wrap.classList.toggle('finished', finished);
    c.dom.dismiss.hidden = !finished;
    c.dom.dismiss.setAttribute('aria-label', 'Close tab ' + (name || c.id));
  }

  function onTabKey(ev) {
    var idx = state.order.indexOf(ev.currentTarget.dataset.conversation);
    var next = null;
    if (ev.key === 'ArrowRight') next = (idx + 1) % state.order.length;
    else if (ev.key === 'ArrowLeft') next = (idx - 1 + state.order.length) % state.order.length;
    else if (ev.key === 'Home') next = 0;
    else if (ev.key === 'End') next = state.order.length - 1;
    if (next === null) return;
    ev.preventDefault();
    var id = state.order[next];
    selectConv(id, false);
    state.convs.get(id).dom.tab.focus();
  }

  function selectConv(id, focusInput) {
    var c = state.convs.get(id);
    if (!c) return;
    state.selected = id;
    renderTabs();
    markRead(c);
    scrollToEnd(c, true);
    if (focusInput && !c.dom.input.disabled) c.dom.input.focus();
  }

  function markRead(c) {
    if (!c.unread) return;
    c.unread = 0;
    renderTab(c);
  }

  function dismissConv(id) {
    var c = state.convs.get(id);
    if (!c || c.status === 'active' || c.status === 'closing') return;
    var idx = state.order.indexOf(id);
    removeConvDom(c);
    state.convs.delete(id);
    state.order.splice(idx, 1);
    if (state.selected === id) {
      state.selected = state.order[Math.min(idx, state.order.length - 1)] || null;
    }
    renderTabs();
    var sel = state.convs.get(state.selected);
    if (sel) sel.dom.tab.focus(); else $('queue-heading').focus();
  }

  function setStatus(c, status, text) {
    c.status = status;
    c.dom.panel.dataset.status = status;
    var banner = c.dom.banner;
    if (status === 'active') {
      banner.hidden = true;
      setText(banner, '');
    } else if (text) {
      var atEnd = nearBottom(c.dom.transcript);
      banner.hidden = false;
      setText(banner, text);
      banner.classList.toggle('closed', status === 'closed');
      // The banner takes room from the transcript: keep its last lines in view.
      scrollToEnd(c, atEnd);
    }
    if (status !== 'active') {
      setOwnTyping(c, false);
      hideCustomerTyping(c);
    }
    renderTab(c);
    refreshConvControls(c);
  }

  function refreshControls() {
    state.convs.forEach(refreshConvControls);
    if (state.queue) Array.prototype.forEach.call($('queue').querySelectorAll('.claim'), function (b) {
      var id = b.closest('.queue-item').dataset.conversation;
      b.disabled = state.claiming.has(id) || !isOnline();
    });
  }

  function refreshConvControls(c) {
    var active = c.status === 'active';
    var canAct = active && isOnline();
    c.dom.release.disabled = !canAct;
    c.dom.toBot.disabled = !canAct;
    c.dom.close.disabled = !canAct;
    c.dom.input.disabled = !active;
    c.dom.send.disabled = !active;
    c.dom.input.placeholder = active ? 'Write a reply…' : 'This conversation is read-only.';
  }

  function renderTitle(c) {
    var t = c.dom.title;
    clear(t);
    var ctx = c.ctx;
    var name = ctx ? customerName(ctx.customer) : '';
    t.appendChild(el('span', { text: name || 'Customer' }));
    if (ctx && ctx.locale) t.appendChild(localeBadge(ctx.locale));
    if (ctx && ctx.channel) t.appendChild(channelBadge(ctx.channel));
    if (ctx && ctx.reason) t.appendChild(el('span', { class: 'badge muted', text: reasonText(ctx.reason) }));
  }

  // A `conversation` frame (or the same object from GET /v1/conversations/{id}).
  function onConversation(f, focus) {
    if (f.conversation === undefined || f.conversation === null) return;
    var id = String(f.conversation);
    removeFromQueue(id);
    var c = ensureConv(id);
    if (c.status !== 'active') setStatus(c, 'active');
    applyContext(c, f);
    if (focus || !state.selected) selectConv(id, focus);
  }

  function applyContext(c, f) {
    var ctx = c.ctx || {};
    ['locale', 'customer', 'reason', 'summary', 'intents', 'articles_shown', 'channel', 'dead_letters'].forEach(function (k) {
      if (f[k] !== undefined) ctx[k] = f[k];
    });
    c.ctx = ctx;
    c.contextError = null;
    renderContext(c);
    renderTitle(c);
    renderTab(c);
    var transcript = Array.isArray(f.transcript) ? f.transcript : [];
    var added = false;
    transcript.forEach(function (e) { added = addEntry(c, e) || added; });
    if (f.earlier !== undefined && !c.pagedBack) c.dom.earlier.hidden = !f.earlier;
    // A closed entry at the end of the transcript means the conversation is over.
    var last = null;
    c.entries.forEach(function (e, seq) { if (!last || seq > last.seq) last = { seq: seq, e: e }; });
    if (last && last.e.type === 'closed') {
      setStatus(c, 'closed', 'Closed by ' + partyName(last.e.by) + '.');
    }
    if (added) scrollToEnd(c, true);
  }

  function oldestSeq(c) {
    var oldest = null;
    c.entries.forEach(function (e, seq) { if (oldest === null || seq < oldest) oldest = seq; });
    return oldest;
  }

  function loadEarlier(c) {
    var before = oldestSeq(c);
    if (before === null) return;
    c.dom.earlier.disabled = true;
    if (!send({ type: 'history', conversation: c.id, before: before })) {
      c.dom.earlier.disabled = false;
      notice('Not connected.', 'error');
    }
  }

  // A `history` frame: older entries of a conversation, oldest first.
  function onHistory(f) {
    var c = state.convs.get(str(f.conversation));
    if (!c) return;
    c.pagedBack = true;
    (Array.isArray(f.entries) ? f.entries : []).forEach(function (e) { addEntry(c, e); });
    c.dom.earlier.disabled = false;
    c.dom.earlier.hidden = !f.earlier;
  }

  function partyName(by) {
    if (by === 'customer') return 'the customer';
    if (by === 'agent') return 'an agent';
    if (by === 'system') return 'the system';
    return by ? String(by) : 'the system';
  }

  function loadContext(c) {
    if (c.loading || !state.token || !window.fetch) return;
    c.loading = true;
    renderContext(c);
    var token = state.token;
    fetch('/v1/conversations/' + encodeURIComponent(c.id), {
      headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' },
      cache: 'no-store'
    }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then(function (data) {
      c.loading = false;
      if (state.token !== token || state.convs.get(c.id) !== c) return;
      if (data && typeof data === 'object') {
        if (data.conversation === undefined) data.conversation = c.id;
        applyContext(c, data);
      }
    }).catch(function (err) {
      c.loading = false;
      if (state.convs.get(c.id) !== c) return;
      if (!c.ctx) { c.contextError = err && err.message ? err.message : 'failed'; }
      renderContext(c);
    });
  }

  function renderContext(c) {
    var box = c.dom.context;
    clear(box);
    var ctx = c.ctx;
    if (!ctx) {
      if (c.loading) {
        box.appendChild(el('p', { class: 'none', text: 'Loading the conversation…' }));
      } else if (c.contextError) {
        box.appendChild(el('p', { class: 'context-error', text: 'The context could not be loaded (' + c.contextError + ').' }));
        var retry = el('button', { type: 'button', class: 'btn btn-small', text: 'Try again' });
        retry.addEventListener('click', function () { loadContext(c); });
        box.appendChild(retry);
      } else {
        box.appendChild(el('p', { class: 'none', text: 'Waiting for the conversation details…' }));
      }
      box.appendChild(el('h3', { text: 'Conversation' }));
      box.appendChild(el('dl', null, [el('dt', { text: 'Id' }), el('dd', { text: c.id })]));
      // keep the documented hooks present even before the context arrives
      box.appendChild(el('p', { class: 'summary', hidden: true }));
      box.appendChild(el('ul', { class: 'intents', hidden: true }));
      return;
    }

    var cust = ctx.customer && typeof ctx.customer === 'object' ? ctx.customer : {};
    box.appendChild(el('h3', { text: 'Customer' }));
    var dl = el('dl', { class: 'customer' });
    function row(label, value, cls) {
      if (value === undefined || value === null || value === '') return;
      dl.appendChild(el('dt', { text: label }));
      dl.appendChild(el('dd', { class: cls, text: typeof value === 'object' ? JSON.stringify(value) : String(value) }));
    }
    row('Name', cust.name, 'customer-name');
    row('Email', cust.email, 'customer-email');
    row('Id', cust.id, 'customer-id');
    if (!dl.children.length) dl.appendChild(el('dd', { class: 'none', text: 'Anonymous customer' }));
    box.appendChild(dl);
    var attrs = cust.attributes && typeof cust.attributes === 'object' ? cust.attributes : null;
    if (attrs && Object.keys(attrs).length) {
      box.appendChild(el('h3', { text: 'Attributes' }));
      var adl = el('dl', { class: 'attributes' });
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        adl.appendChild(el('dt', { text: k }));
        adl.appendChild(el('dd', { text: v !== null && typeof v === 'object' ? JSON.stringify(v) : str(v) }));
      });
      box.appendChild(adl);
    }

    box.appendChild(el('h3', { text: 'Conversation' }));
    var cdl = el('dl');
    cdl.appendChild(el('dt', { text: 'Language' }));
    cdl.appendChild(el('dd', { class: 'ctx-locale', text: ctx.locale ? languageName(ctx.locale) + ' (' + ctx.locale + ')' : '—' }));
    cdl.appendChild(el('dt', { text: 'Channel' }));
    cdl.appendChild(el('dd', { class: 'ctx-channel', text: CHANNEL_NAMES[str(ctx.channel) || 'web'] || str(ctx.channel) }));
    cdl.appendChild(el('dt', { text: 'Reason' }));
    cdl.appendChild(el('dd', { class: 'ctx-reason', text: reasonText(ctx.reason) }));
    cdl.appendChild(el('dt', { text: 'Id' }));
    cdl.appendChild(el('dd', { text: c.id }));
    box.appendChild(cdl);

    if (Array.isArray(ctx.dead_letters) && ctx.dead_letters.length) {
      box.appendChild(el('h3', { text: 'Not delivered' }));
      var dl = el('ul', { class: 'dead-letters' });
      ctx.dead_letters.forEach(function (d) {
        if (!d) return;
        dl.appendChild(el('li', { dataset: { seq: str(d.seq) }, text: 'Message #' + str(d.seq) + ' never reached the customer: ' + str(d.reason) }));
      });
      box.appendChild(dl);
    }

    box.appendChild(el('h3', { text: 'Summary' }));
    box.appendChild(el('p', { class: 'summary', text: str(ctx.summary) || 'No summary.' }));

    box.appendChild(el('h3', { text: 'Intents' }));
    var ul = el('ul', { class: 'intents' });
    (Array.isArray(ctx.intents) ? ctx.intents : []).forEach(function (it) {
      if (!it) return;
      var conf = Number(it.confidence);
      var pct = isFinite(conf) ? Math.round(conf * 100) : null;
      ul.appendChild(el('li', { dataset: { intent: str(it.intent) } }, [
        el('span', { class: 'intent-name', text: str(it.intent) }),
        el('span', { class: 'pct', text: pct === null ? '—' : pct + '%' }),
        el('span', { class: 'bar', 'aria-hidden': 'true' }, [el('span', { style: 'width:' + Math.max(0, Math.min(100, pct || 0)) + '%' })])
      ]));
    });
    box.appendChild(ul);
    if (!ul.children.length) box.appendChild(el('p', { class: 'none', text: 'None recognised.' }));

    box.appendChild(el('h3', { text: 'Articles shown' }));
    var arts = el('ul', { class: 'articles' });
    (Array.isArray(ctx.articles_shown) ? ctx.articles_shown : []).forEach(function (a) {
      var id = a && typeof a === 'object' ? (a.id !== undefined ? a.id : JSON.stringify(a)) : a;
      arts.appendChild(el('li', { text: str(id) }));
    });
    box.appendChild(arts);
    if (!arts.children.length) box.appendChild(el('p', { class: 'none', text: 'None.' }));
  }

  // ---------------------------------------------------------------- transcript

  // Adds one transcript entry unless its seq is already shown. Returns true if added.
  function addEntry(c, e) {
    if (!e || typeof e !== 'object') return false;
    var seq = Number(e.seq);
    var hasSeq = isFinite(seq) && e.seq !== null && e.seq !== undefined;
    if (hasSeq) {
      if (c.entries.has(seq)) return false;
      c.entries.set(seq, e);
    }
    // Our own message coming back (with its id) settles the pending bubble.
    if (e.from === 'agent' && e.id !== undefined && c.pending.has(String(e.id)) && hasSeq) {
      settlePending(c, String(e.id), seq, e.ts);
      return false;
    }
    var node = renderEntry(c, e);
    insertNode(c, node, hasSeq ? seq : null);
    return true;
  }

  function insertNode(c, node, seq) {
    var list = c.dom.transcript;
    // Keep seq order; bubbles still waiting for their ack stay last.
    var before = null;
    var kids = list.children;
    for (var i = kids.length - 1; i >= 0; i--) {
      var k = kids[i];
      var ks = k.dataset.seq;
      if (ks === undefined || ks === '') { before = k; continue; } // pending
      if (seq !== null && Number(ks) > seq) { before = k; continue; }
      break;
    }
    list.insertBefore(node, before);
  }

  function entryKind(e) {
    if (e.type) return e.type;
    return e.from ? 'message' : 'unknown';
  }

  function renderEntry(c, e) {
    var kind = entryKind(e);
    var seq = e.seq !== undefined && e.seq !== null ? String(e.seq) : '';
    if (kind === 'message') {
      var from = PARTY[e.from] ? e.from : 'system';
      var li = el('li', { class: 'msg msg-' + from, dataset: { seq: seq, from: from, type: 'message' } });
      li.appendChild(el('div', { class: 'bubble', text: str(e.text) }));
      var meta = el('div', { class: 'meta' });
      var who = PARTY[from];
      if (from === 'agent') {
        var an = e.agent && e.agent.name ? String(e.agent.name) : '';
        who = an && state.agent && an === state.agent.name ? 'You' : (an || 'Agent');
      }
      meta.appendChild(el('span', { class: 'who', text: who }));
      var t = clock(e.ts);
      if (t) meta.appendChild(el('time', { datetime: str(e.ts), text: t }));
      if (e.locale && c.ctx && c.ctx.locale && String(e.locale) !== String(c.ctx.locale)) {
        meta.appendChild(localeBadge(e.locale, 'muted'));
      }
      if (e.intent) {
        var conf = Number(e.confidence);
        meta.appendChild(el('span', { class: 'chip', text: String(e.intent) + (isFinite(conf) ? ' · ' + Math.round(conf * 100) + '%' : '') }));
      }
      li.appendChild(meta);
      if (Array.isArray(e.articles) && e.articles.length) {
        li.appendChild(el('div', { class: 'extra', text: 'Articles: ' + e.articles.map(function (a) {
          return a && typeof a === 'object' ? (a.title ? a.title + ' (' + str(a.id) + ')' : str(a.id)) : str(a);
        }).join(', ') }));
      }
      if (Array.isArray(e.quick_replies) && e.quick_replies.length) {
        var chips = el('div', { class: 'chips', 'aria-label': 'Quick replies offered' });
        e.quick_replies.forEach(function (q) { chips.appendChild(el('span', { class: 'chip', text: q && q.label ? q.label : str(q && q.value) })); });
        li.appendChild(chips);
      }
      return li;
    }
    var text;
    if (kind === 'handoff') text = handoffText(e);
    else if (kind === 'closed') text = 'Conversation closed by ' + partyName(e.by) + (e.survey ? '; survey offered' : '');
    else text = kind;
    var note = el('li', { class: 'msg note ' + kind, dataset: { seq: seq, from: 'system', type: kind } });
    var bubble = el('div', { class: 'bubble', text: text });
    var nt = clock(e.ts);
    if (nt) bubble.appendChild(el('time', { datetime: str(e.ts), text: ' · ' + nt }));
    note.appendChild(bubble);
    return note;
  }

  function handoffText(e) {
    var who = e.agent && e.agent.name ? String(e.agent.name) : '';
    switch (e.status) {
      case 'queued': {
        var parts = [];
        if (e.position !== undefined && e.position !== null) parts.push('position ' + e.position);
        if (e.estimated_wait_s !== undefined && e.estimated_wait_s !== null) parts.push('estimated wait ' + estimate(Number(e.estimated_wait_s)));
        return 'Handed to a person: queued' + (parts.length ? ' (' + parts.join(', ') + ')' : '');
      }
      case 'assigned': return 'Assigned to ' + (who || 'an agent');
      case 'returned_to_bot': return 'Returned to the bot';
      case 'offline': {
        var opens = parseTime(e.opens_at);
        return 'Support offline' + (opens !== null ? '; opens ' + new Date(opens).toLocaleString('en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit', day: 'numeric', month: 'short' }) : '');
      }
      default: return 'Handoff: ' + str(e.status);
    }
  }

  function nearBottom(list) {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  }
  function scrollToEnd(c, force) {
    var list = c.dom.transcript;
    if (force || nearBottom(list)) {
      requestAnimationFrame(function () { list.scrollTop = list.scrollHeight; });
    }
  }

  function onMessage(f) {
    if (f.conversation === undefined || f.conversation === null) return;
    var id = String(f.conversation);
    var c = state.convs.get(id);
    if (!c) {
      // A message for a conversation we hold but have no tab for yet.
      c = ensureConv(id);
      loadContext(c);
      if (!state.selected) selectConv(id, false);
    }
    var wasNear = nearBottom(c.dom.transcript);
    var entry = {};
    Object.keys(f).forEach(function (k) { entry[k] = f[k]; });
    entry.type = 'message';
    if (!addEntry(c, entry)) return;
    scrollToEnd(c, wasNear);
    if (f.from === 'customer') {
      hideCustomerTyping(c);
      var background = state.selected !== id;
      if (background || !lookingAtPage()) {
        if (background) { c.unread++; renderTab(c); }
        bumpAttention(1);
      }
    }
  }

  function onTyping(f) {
    var c = state.convs.get(str(f.conversation));
    if (!c) return;
    if (f.on && c.status === 'active') {
      setText(c.dom.typing, 'Customer is typing…');
      clearTimeout(c.customerTypingTimer);
      c.customerTypingTimer = setTimeout(function () { hideCustomerTyping(c); }, CUSTOMER_TYPING_MAX_MS);
    } else {
      hideCustomerTyping(c);
    }
  }

  function hideCustomerTyping(c) {
    clearTimeout(c.customerTypingTimer);
    setText(c.dom.typing, '');
  }

  function onClosed(f) {
    var c = state.convs.get(str(f.conversation));
    if (!c) return;
    var by = f.by === 'agent' && c.status === 'closing' ? 'you' : partyName(f.by);
    setStatus(c, 'closed', 'Closed by ' + by + '. The conversation is read-only.');
    // Messages never acked cannot be delivered any more.
    c.pending.forEach(function (p, pid) { if (p.state !== 'acked') failPending(c, pid, 'Not delivered: the conversation is closed'); });
  }

  function onDeadLetter(f) {
    var c = state.convs.get(str(f.conversation));
    if (!c) return;
    var ctx = c.ctx || {};
    var list = Array.isArray(ctx.dead_letters) ? ctx.dead_letters.slice() : [];
    list.push({ seq: f.seq, reason: f.reason });
    ctx.dead_letters = list;
    c.ctx = ctx;
    renderContext(c);
    if (state.selected !== c.id) { c.unread++; renderTab(c); }
  }

  function onRating(f) {
    var c = state.convs.get(str(f.conversation));
    if (!c) return;
    var score = Math.max(0, Math.min(5, Math.round(Number(f.score) || 0)));
    c.rating = { score: score, comment: f.comment };
    var box = c.dom.rating;
    clear(box);
    box.dataset.score = String(score);
    box.appendChild(el('strong', { text: 'Customer rating ' }));
    box.appendChild(el('span', {
      class: 'stars', role: 'img', 'aria-label': score + ' out of 5 stars',
      text: '★★★★★'.slice(0, score) + '☆☆☆☆☆'.slice(0, 5 - score)
    }));
    box.appendChild(el('span', { class: 'score', text: ' ' + score + '/5' }));
    if (f.comment) box.appendChild(el('p', { class: 'rating-comment', text: '“' + String(f.comment) + '”' }));
    else box.appendChild(el('p', { class: 'rating-comment none', text: 'No comment.' }));
    box.hidden = false;
    scrollToEnd(c, true);
    if (state.selected !== c.id) { c.unread++; renderTab(c); }
  }

  // ---------------------------------------------------------------- replies

  function sendReply(c) {
    if (c.status !== 'active') return;
    var input = c.dom.input;
    var text = input.value.trim();
    if (!text) return;
    if (text.length > MAX_TEXT_CHARS) { notice('A reply can be at most ' + MAX_TEXT_CHARS + ' characters.', 'error'); return; }
    var id = randomId();
    var me = state.agent && state.agent.name ? state.agent.name : '';
    var node = renderEntry(c, { type: 'message', from: 'agent', text: text, agent: { name: me } });
    node.classList.add('pending');
    node.dataset.id = id;
    delete node.dataset.seq;
    var meta = node.querySelector('.meta');
    clear(meta);
    meta.appendChild(el('span', { class: 'who', text: 'You' }));
    meta.appendChild(el('span', { class: 'pending-state', text: 'Sending…' }));
    c.dom.transcript.appendChild(node);
    c.pending.set(id, { text: text, node: node, state: 'queued' });
    input.value = '';
    setOwnTyping(c, false);
    scrollToEnd(c, true);
    transmitPending(c, id);
  }

  function transmitPending(c, id) {
    var p = c.pending.get(id);
    if (!p || p.state === 'acked') return;
    var ok = send({ type: 'message', conversation: c.id, id: id, text: p.text });
    p.state = ok ? 'sent' : 'queued';
    p.node.classList.remove('failed');
    setPendingText(p, ok ? 'Sending…' : 'Waiting for the connection…');
  }

  function flushPending(c) {
    c.pending.forEach(function (p, id) { if (p.state !== 'acked') transmitPending(c, id); });
  }

  function setPendingText(p, text, retry) {
    var meta = p.node.querySelector('.meta');
    var span = meta.querySelector('.pending-state');
    if (!span) { span = el('span', { class: 'pending-state' }); meta.appendChild(span); }
    clear(span);
    span.appendChild(document.createTextNode(text));
    if (retry) {
      span.appendChild(document.createTextNode(' '));
      span.appendChild(retry);
    }
  }

  function settlePending(c, id, seq, ts) {
    var p = c.pending.get(id);
    if (!p) return;
    c.pending.delete(id);
    var node = p.node;
    if (node.parentNode) node.parentNode.removeChild(node);
    var dup = false;
    Array.prototype.forEach.call(c.dom.transcript.children, function (k) { if (k.dataset.seq === String(seq)) dup = true; });
    if (dup) return; // already shown (e.g. from a context reload)
    if (!c.entries.has(seq)) c.entries.set(seq, { type: 'message', from: 'agent', text: p.text, seq: seq, ts: ts, id: id });
    node.classList.remove('pending', 'failed');
    node.dataset.seq = String(seq);
    var meta = node.querySelector('.meta');
    var span = meta.querySelector('.pending-state');
    if (span) span.parentNode.removeChild(span);
    var t = clock(ts || new Date().toISOString());
    if (t) meta.appendChild(el('time', { datetime: str(ts), text: t }));
    insertNode(c, node, seq);
  }

  function failPending(c, id, why) {
    var p = c.pending.get(id);
    if (!p) return;
    p.state = 'failed';
    p.node.classList.add('failed');
    var retry = null;
    if (c.status === 'active') {
      retry = el('button', { type: 'button', class: 'link-btn', text: 'Retry' });
      retry.addEventListener('click', function () { transmitPending(c, id); });
    }
    setPendingText(p, why, retry);
  }

  function onAck(f) {
    var id = str(f.id);
    var seq = Number(f.seq);
    var c = f.conversation !== undefined ? state.convs.get(String(f.conversation)) : null;
    if (!c || !c.pending.has(id)) {
      c = null;
      state.convs.forEach(function (x) { if (!c && x.pending.has(id)) c = x; });
    }
    if (!c || !isFinite(seq)) return;
    settlePending(c, id, seq, f.ts);
  }

  function onOwnTyping(c) {
    if (c.status !== 'active') return;
    if (!c.dom.input.value.trim()) { setOwnTyping(c, false); return; }
    setOwnTyping(c, true);
    clearTimeout(c.typingTimer);
    c.typingTimer = setTimeout(function () { setOwnTyping(c, false); }, TYPING_IDLE_MS);
  }

  function setOwnTyping(c, on) {
    if (!on) clearTimeout(c.typingTimer);
    if (c.typingOn === on) return;
    c.typingOn = on;
    send({ type: 'typing', conversation: c.id, on: on });
  }

  function stopAllTyping(notify) {
    state.convs.forEach(function (c) {
      if (notify) setOwnTyping(c, false);
      else { clearTimeout(c.typingTimer); c.typingOn = false; }
      hideCustomerTyping(c);
    });
  }

  // ---------------------------------------------------------------- actions

  function releaseConv(c) {
    if (!send({ type: 'release', conversation: c.id })) { notice('Not connected.', 'error'); return; }
    setStatus(c, 'released', 'Released: the conversation is back in the queue.');
  }

  function returnToBot(c) {
    if (!send({ type: 'return_to_bot', conversation: c.id })) { notice('Not connected.', 'error'); return; }
    setStatus(c, 'returned', 'Handed back to the bot.');
  }

  function closeConv(c) {
    if (!window.confirm('Close this conversation? The customer will be asked to rate it.')) return;
    if (!send({ type: 'close', conversation: c.id })) { notice('Not connected.', 'error'); return; }
    setStatus(c, 'closing', 'Closing…');
  }

  // ---------------------------------------------------------------- errors

  function onError(f) {
    var code = str(f.code);
    var msg = str(f.message);
    if (code === 'unauthorized') {
      state.unauthorized = true;
      state.wantConnected = false;
      if (state.ws) { try { state.ws.close(); } catch (e) { /* ignore */ } }
      invalidToken();
      return;
    }
    if (f.id !== undefined && f.id !== null) {
      var pid = String(f.id);
      var found = false;
      state.convs.forEach(function (c) {
        if (!found && c.pending.has(pid)) { found = true; failPending(c, pid, 'Not delivered: ' + (msg || code)); }
      });
      if (found) return;
    }
    if (code === 'already_claimed') {
      var who = state.lastClaim;
      state.claiming.clear();
      drawQueue();
      if (!who || state.claimNoticeFor !== who) notice('Another agent already took this conversation.');
      state.claimNoticeFor = null;
      if (who) removeFromQueue(who);
      return;
    }
    // A close that failed leaves the conversation open.
    state.convs.forEach(function (c) { if (c.status === 'closing' && code === 'not_found') setStatus(c, 'active'); });
    if (state.claiming.size) { state.claiming.clear(); drawQueue(); }
    if (code === 'rate_limited') notice('Slow down: the server dropped a request.', 'error');
    else if (code === 'not_found') notice('That conversation no longer exists.', 'error');
    else notice('Server error' + (code ? ' (' + code + ')' : '') + (msg ? ': ' + msg : ''), 'error');
  }

  // ---------------------------------------------------------------- ticker

  setInterval(function () {
    tickQueue();
    if (state.conn === 'reconnecting') renderConnText();
  }, 1000);

  // ---------------------------------------------------------------- start

  updateTitle();
  var saved = null;
  try { saved = sessionStorage.getItem(TOKEN_KEY); } catch (e) { saved = null; }
  if (saved) startSession(saved);
  else showLogin('');
})();
