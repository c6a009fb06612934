// daiban console: the township/county/village back office. One page, hash routes, plain JS.
// The JSON API it speaks is described in bot/console (the server). Every piece of data goes into
// the DOM as text (textContent / text nodes), never as HTML.
'use strict';

(() => {
  const API = '/api/v1';
  const TZ = 'Asia/Shanghai';

  const STATUS = [
    ['accepted', '已受理', '#7a8ca3'],
    ['collecting', '收集材料中', '#6fa8dc'],
    ['ready', '材料已齐，待审核', '#3d85c6'],
    ['in_progress', '办理中', '#2f5f9e'],
    ['returned', '待补正', '#e0a030'],
    ['transferred', '已转办', '#8e7cc3'],
    ['done', '已办结', '#4f9a6f'],
    ['rated', '已办结（已评价）', '#2e7454'],
    ['cancelled', '已撤销', '#b7bec8'],
  ];
  const STATUS_LABEL = Object.fromEntries(STATUS.map(([k, l]) => [k, l]));
  const STATUS_COLOR = Object.fromEntries(STATUS.map(([k, , c]) => [k, c]));
  const ACTION_LABEL = { claim: '接单', approve: '全部通过', done: '办结', transfer: '转办' };
  const AUDIT_LABEL = { view_file: '查看了材料照片' };

  const state = {
    me: null,
    dash: null, // {scope, from, to}
    live: [], // newest first: {id, kind, number, text, at (Unix seconds)}
    seen: new Set(), // ids of the feed entries in `live`
    charts: [],
    events: null,
    renderId: 0,
  };

  // ---------- small helpers ----------

  const $ = (sel, root = document) => root.querySelector(sel);

  // Builds an element. Children that are not Nodes become text nodes: data is never parsed as HTML.
  function h(tag, props, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'dataset') for (const [dk, dv] of Object.entries(v)) el.dataset[dk] = String(dv);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value' || k === 'checked' || k === 'selected' || k === 'disabled') el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const kid of kids.flat(Infinity)) {
      if (kid === null || kid === undefined || kid === false) continue;
      el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return el;
  }

  const partsIn = (date, opts) => {
    const out = {};
    for (const p of new Intl.DateTimeFormat('en-GB', { timeZone: TZ, hourCycle: 'h23', ...opts }).formatToParts(date)) out[p.type] = p.value;
    return out;
  };
  // yyyy-mm-dd HH:MM in Asia/Shanghai, from Unix seconds.
  function fmtTime(sec) {
    if (!sec) return '—';
    const p = partsIn(new Date(sec * 1000), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
  }
  // For the live list: HH:MM today, MM-DD HH:MM before (Asia/Shanghai), from Unix seconds.
  function fmtWhen(sec) {
    if (!sec) return '';
    const p = partsIn(new Date(sec * 1000), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    const t = today();
    const same = Number(p.year) === t.y && Number(p.month) === t.m && Number(p.day) === t.d;
    return same ? `${p.hour}:${p.minute}` : `${p.month}-${p.day} ${p.hour}:${p.minute}`;
  }
  function fmtClock(date) {
    const p = partsIn(date, { hour: '2-digit', minute: '2-digit' });
    return `${p.hour}:${p.minute}`;
  }
  // Today in Asia/Shanghai as {y, m, d}.
  function today() {
    const p = partsIn(new Date(), { year: 'numeric', month: '2-digit', day: '2-digit' });
    return { y: Number(p.year), m: Number(p.month), d: Number(p.day) };
  }
  const pad = (n) => String(n).padStart(2, '0');
  const ymd = (y, m, d) => `${y}-${pad(m)}-${pad(d)}`;
  const lastDay = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
  function monthRange(offset = 0) {
    const t = today();
    let y = t.y;
    let m = t.m + offset;
    while (m < 1) { m += 12; y -= 1; }
    while (m > 12) { m -= 12; y += 1; }
    return { from: ymd(y, m, 1), to: ymd(y, m, lastDay(y, m)), month: `${y}-${pad(m)}` };
  }

  const pct = (r) => (r === null || r === undefined || Number.isNaN(Number(r)) ? '—' : `${(Number(r) * 100).toFixed(1)}%`);
  const num = (n) => (n === null || n === undefined ? '—' : String(n));
  function duration(s) {
    if (s === null || s === undefined) return '—';
    s = Math.round(Number(s));
    if (s < 60) return `${s}秒`;
    if (s < 3600) {
      const m = Math.floor(s / 60);
      const r = s % 60;
      return r ? `${m}分${r}秒` : `${m}分钟`;
    }
    const hrs = Math.floor(s / 3600);
    const m = Math.round((s % 3600) / 60);
    return m ? `${hrs}小时${m}分` : `${hrs}小时`;
  }
  const safeUrl = (u) => (typeof u === 'string' && u.startsWith('/') && !u.startsWith('//') ? u : '');
  const caseNo = (n) => (Number.isInteger(Number(n)) ? Number(n) : 0);

  class ApiError extends Error {
    constructor(status, body, retryAfter) {
      super((body && (body.detail || body.error)) || `HTTP ${status}`);
      this.status = status;
      this.body = body || {};
      this.retryAfter = retryAfter;
    }
  }

  async function api(path, { method = 'GET', body, quiet401 = false } = {}) {
    const opts = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
    if (method !== 'GET') {
      opts.headers['X-CSRF-Token'] = (state.me && state.me.csrf) || '';
      if (body !== undefined) {
        opts.headers['Content-Type'] = 'application/json';
        opts.body = JSON.stringify(body);
      }
    }
    let res;
    try {
      res = await fetch(API + path, opts);
    } catch (e) {
      throw new ApiError(0, { detail: '连不上服务器，请检查网络后重试' });
    }
    let data = null;
    try { data = await res.json(); } catch {}
    if (res.status === 401 && !quiet401) {
      signedOut();
      throw new ApiError(401, data);
    }
    if (!res.ok) throw new ApiError(res.status, data, res.headers.get('Retry-After'));
    return data;
  }

  const qs = (params) => {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined && v !== false) u.set(k, String(v));
    const s = u.toString();
    return s ? `?${s}` : '';
  };

  function errorBox(e, retry) {
    const msg = e instanceof ApiError
      ? (e.status === 403 ? '这件不在您的管辖范围内，不能查看。'
        : e.status === 404 ? '没有找到。'
        : e.body.detail || `出错了（${e.status || '网络'}）`)
      : String(e && e.message ? e.message : e);
    return h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'error' },
      h('span', null, msg),
      retry ? h('button', { type: 'button', class: 'btn btn-small', onclick: retry }, '重试') : null);
  }

  // ---------- scopes ----------

  function ownScope() {
    const s = state.me.scope || {};
    return s.kind === 'county' ? 'county' : `${s.kind}:${s.id}`;
  }
  function scopeName(value) {
    if (value === 'county') return '全县';
    const [kind, id] = value.split(':');
    const list = kind === 'township' ? state.me.townships : state.me.villages;
    const it = (list || []).find((x) => x.id === id);
    return it ? it.name : id;
  }
  // <option>s for a scope <select>: county / each township (全镇) / its villages.
  function scopeOptions(selected) {
    const me = state.me;
    const out = [];
    const opt = (value, label) => h('option', { value, selected: value === selected }, label);
    const kind = me.scope && me.scope.kind;
    if (kind === 'county') out.push(opt('county', '全县'));
    const towns = me.townships || [];
    const villages = me.villages || [];
    if (kind === 'village') {
      for (const v of villages) out.push(opt(`village:${v.id}`, v.name));
      return out;
    }
    for (const t of towns) {
      const group = h('optgroup', { label: t.name });
      group.append(opt(`township:${t.id}`, `${t.name}（全镇）`));
      for (const v of villages.filter((x) => x.township === t.id)) group.append(opt(`village:${v.id}`, v.name));
      out.push(group);
    }
    const loose = villages.filter((v) => !towns.some((t) => t.id === v.township));
    for (const v of loose) out.push(opt(`village:${v.id}`, v.name));
    return out;
  }

  // The case list's 范围 (county and township staff): '' = all in reach, then townships and
  // their villages. Village agents pick among their villages with 村 instead.
  const wideStaff = () => ['county', 'township'].includes(state.me.scope && state.me.scope.kind);
  function caseScopeOptions(selected) {
    const me = state.me;
    const towns = me.townships || [];
    const villages = me.villages || [];
    const opt = (value, label) => h('option', { value, selected: value === selected }, label);
    const single = me.scope.kind === 'township' && towns.length === 1;
    const out = [opt('', me.scope.kind === 'county' ? '全县' : single ? `${towns[0].name}（全镇）` : '全部')];
    for (const t of towns) {
      const group = h('optgroup', { label: t.name });
      if (!single) group.append(opt(`township:${t.id}`, `${t.name}（全镇）`));
      for (const v of villages.filter((x) => x.township === t.id)) group.append(opt(`village:${v.id}`, v.name));
      out.push(group);
    }
    for (const v of villages.filter((x) => !towns.some((t) => t.id === x.township))) out.push(opt(`village:${v.id}`, v.name));
    return out;
  }
  // A dashboard scope as the case list's filter: {scope} for county/township staff, {village} for
  // village agents; nothing when it is everything the agent sees.
  function caseListScope(scope) {
    if (!scope) return {};
    if (!wideStaff()) return scope.startsWith('village:') && (state.me.villages || []).length > 1 ? { village: scope.slice(8) } : {};
    if (scope === 'county') return {};
    if (state.me.scope.kind === 'township' && (state.me.townships || []).length === 1 && scope === `township:${state.me.scope.id}`) return {};
    return { scope };
  }

  // ---------- shell: sign-in, header, routing ----------

  async function boot() {
    wireStatic();
    try {
      const me = await api('/me', { quiet401: true });
      signedIn(me);
    } catch (e) {
      if (e.status === 401) showLogin();
      else {
        const app = $('#app');
        app.replaceChildren(errorBox(e, () => location.reload()));
      }
    }
  }

  function wireStatic() {
    $('#logout').addEventListener('click', logout);
    $('#login-form').addEventListener('submit', submitLogin);
    const ov = $('#overlay');
    ov.addEventListener('click', (ev) => { if (ev.target !== $('#overlay-img')) closeOverlay(); });
    document.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') closeOverlay(); });
    window.addEventListener('hashchange', route);
  }

  function showLogin(message) {
    state.me = null;
    stopEvents();
    destroyCharts();
    $('#top').hidden = true;
    $('#app').hidden = true;
    $('#app').replaceChildren();
    $('#login').hidden = false;
    const err = $('#login-error');
    err.hidden = !message;
    err.textContent = message || '';
    const agent = $('#login-agent');
    if (agent && !agent.value) agent.focus();
  }

  function signedOut() {
    if (state.me) showLogin('登录已过期，请重新登录。');
    else showLogin();
  }

  async function submitLogin(ev) {
    ev.preventDefault();
    const f = ev.target;
    const err = $('#login-error');
    const body = { tenant: f.tenant.value.trim(), agent: f.agent.value.trim(), password: f.password.value };
    if (!body.tenant || !body.agent || !body.password) {
      err.textContent = '请填写单位代码、工号和密码。';
      err.hidden = false;
      return;
    }
    const btn = f.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const me = await api('/login', { method: 'POST', body, quiet401: true });
      f.password.value = '';
      signedIn(me);
    } catch (e) {
      err.hidden = false;
      if (e.status === 401) err.textContent = '工号或密码不对。';
      else if (e.status === 429) {
        const s = Number(e.retryAfter);
        err.textContent = s > 0 ? `尝试次数太多，请 ${duration(s)} 后再试。` : '尝试次数太多，请稍后再试。';
      } else err.textContent = e.message || '登录失败，请稍后再试。';
    } finally {
      btn.disabled = false;
    }
  }

  async function logout() {
    try { await api('/logout', { method: 'POST', body: {}, quiet401: true }); } catch {}
    state.dash = null;
    state.live = [];
    state.seen.clear();
    showLogin();
  }

  function signedIn(me) {
    state.me = me;
    $('#login').hidden = true;
    $('#top').hidden = false;
    $('#app').hidden = false;
    $('#agent-name').textContent = (me.agent && me.agent.name) || '';
    $('#scope-name').textContent = (me.scope && me.scope.name) || '';
    const who = `${me.tenant}/${(me.agent && me.agent.id) || ''}`;
    if (!state.dash || state.dashFor !== who) {
      const m = monthRange(0);
      state.dash = { scope: ownScope(), from: m.from, to: m.to };
      state.dashFor = who;
      state.live = [];
      state.seen.clear();
    }
    startEvents();
    route();
  }

  function parseHash() {
    const raw = location.hash.replace(/^#/, '') || '/';
    const [path, query = ''] = raw.split('?');
    return { path: path || '/', query: new URLSearchParams(query) };
  }

  function route() {
    if (!state.me) return;
    closeOverlay();
    destroyCharts();
    const id = ++state.renderId;
    const { path, query } = parseHash();
    let m;
    let nav = 'dashboard';
    if (path === '/' || path === '') renderDashboard(id);
    else if (path === '/cases') { nav = 'cases'; renderCases(id, query); }
    else if ((m = /^\/cases\/(\d+)$/.exec(path))) { nav = 'cases'; renderCase(id, Number(m[1])); }
    else if (path === '/tickets') { nav = 'tickets'; renderTickets(id, query); }
    else if ((m = /^\/tickets\/(\d+)$/.exec(path))) { nav = 'tickets'; renderTicket(id, Number(m[1])); }
    else if (path === '/report') { nav = 'report'; renderReport(id, query); }
    else { location.hash = '#/'; return; }
    for (const a of document.querySelectorAll('.nav a')) a.classList.toggle('active', a.dataset.nav === nav);
    // A banner about what is now on the screen has done its job.
    for (const el of document.querySelectorAll('#toasts .toast')) {
      const a = el.querySelector('a');
      if (a && a.getAttribute('href') === location.hash) el.remove();
    }
    window.scrollTo(0, 0);
  }
  const current = (id) => id === state.renderId && state.me;

  function page(title, ...kids) {
    const app = $('#app');
    const root = h('div', { class: 'page' }, title ? h('h1', { class: 'page-title' }, title) : null, ...kids);
    app.replaceChildren(root);
    document.title = `${title ? `${title} · ` : ''}全程代办后台`;
    return root;
  }

  // ---------- live events (SSE) ----------

  function startEvents() {
    stopEvents();
    if (!window.EventSource) return;
    const es = new EventSource(`${API}/events`, { withCredentials: true });
    es.addEventListener('case', (ev) => onEvent('case', ev));
    es.addEventListener('emergency', (ev) => onEvent('emergency', ev));
    es.addEventListener('ticket', (ev) => onEvent('ticket', ev));
    es.onerror = async () => {
      if (es.readyState !== EventSource.CLOSED || state.events !== es) return;
      // The stream was refused (an error status): maybe the session is gone; else retry later.
      try {
        await api('/me', { quiet401: true });
        setTimeout(() => { if (state.events === es && state.me) startEvents(); }, 5000);
      } catch (e) {
        if (e.status === 401) signedOut();
        else setTimeout(() => { if (state.events === es && state.me) startEvents(); }, 10000);
      }
    };
    state.events = es;
  }
  function stopEvents() {
    if (state.events) state.events.close();
    state.events = null;
  }

  const TICKET_LABEL = { complaint: '投诉', suggestion: '建议', consultation: '咨询', emergency: '急事' };
  function eventText(kind, d) {
    const n = caseNo(d.number);
    if (kind === 'emergency') return ['急事', `#${n}`, d.village_name, d.summary].filter(Boolean).join(' ');
    if (kind === 'ticket') {
      // The server keeps complaints from village agents (one may be about the agent); should one
      // come anyway, its words stay off the screen.
      const withheld = d.kind === 'complaint' && state.me && state.me.agent && state.me.agent.role === 'village';
      return [TICKET_LABEL[d.kind] || '工单', `#${n}`, d.village_name, withheld ? '' : d.summary].filter(Boolean).join(' ');
    }
    return ['新代办件', `#${n}`, d.village_name, d.resident_name, d.service_name].filter(Boolean).join(' ');
  }

  // A feed entry (SSE event or /feed item) as a row of the live list.
  function liveEntry(kind, id, d) {
    if (!['case', 'emergency', 'ticket'].includes(kind) || !d || typeof d !== 'object') return null;
    const number = caseNo(d.number);
    // Cases and tickets (急事 and the rest) are numbered apart.
    const key = id || `${kind === 'case' ? 'case' : 'ticket'}:${number}`;
    const at = Number(d.at) > 0 ? Number(d.at) : Math.floor(Date.now() / 1000);
    return { id: key, kind, number, text: eventText(kind, d), at };
  }

  // Newest first: by the feed position (Redis stream id "ms-seq"), else by the time.
  function liveOrder(a, b) {
    const pos = (it) => {
      const m = /^(\d+)-(\d+)$/.exec(it.id);
      return m ? [Number(m[1]), Number(m[2])] : [it.at * 1000, 0];
    };
    const [am, as] = pos(a);
    const [bm, bs] = pos(b);
    return bm - am || bs - as;
  }

  function onEvent(kind, ev) {
    let d;
    try { d = JSON.parse(ev.data); } catch { return; }
    const item = liveEntry(kind, ev.lastEventId, d);
    if (!item || state.seen.has(item.id)) return;
    state.seen.add(item.id);
    state.live.unshift(item);
    trimLive();
    toast(item);
    const list = $('#live');
    if (list) {
      const empty = list.querySelector('.live-empty');
      if (empty) empty.remove();
      list.prepend(liveItem(item, true));
    }
    if ($('#dashboard')) scheduleRefresh();
    if (kind !== 'case') newTicketsBanner();
  }

  function trimLive() {
    if (state.live.length <= 50) return;
    for (const it of state.live.splice(50)) state.seen.delete(it.id);
  }

  // What happened before the page opened (GET /feed, newest first), merged under what came live.
  async function loadFeed(id) {
    let res;
    try {
      res = await api(`/feed${qs({ limit: 20 })}`);
    } catch (e) {
      if (!current(id) || e.status === 401) return;
      fillLive(state.live.length ? null : '最新动态暂时读不到；新来的代办件和急事仍会出现在这里。');
      return;
    }
    if (!current(id)) return;
    for (const e of (res && res.events) || []) {
      const item = liveEntry(e.event, typeof e.id === 'string' ? e.id : '', e.data);
      if (!item || state.seen.has(item.id)) continue;
      state.seen.add(item.id);
      state.live.push(item);
    }
    state.live.sort(liveOrder);
    trimLive();
    fillLive();
  }

  function fillLive(emptyText) {
    const list = $('#live');
    if (!list) return;
    list.dataset.loaded = '1';
    const fresh = new Set([...list.querySelectorAll('li.fresh')].map((li) => li.dataset.id));
    list.replaceChildren(...(state.live.length
      ? state.live.map((it) => liveItem(it, fresh.has(it.id)))
      : [h('li', { class: 'live-empty muted' }, emptyText || '还没有新的代办件和急事；有新的会自动出现在这里。')]));
  }

  // Where a live entry leads: a case to its page, an emergency or other ticket to the ticket's.
  function liveHref(item) {
    if (!item.number) return '';
    return item.kind === 'case' ? `#/cases/${item.number}` : `#/tickets/${item.number}`;
  }

  function liveItem(item, fresh = false) {
    const href = liveHref(item);
    const body = href ? h('a', { href }, item.text) : h('span', null, item.text);
    return h('li', {
      class: `live-item live-${item.kind}${fresh ? ' fresh' : ''}`,
      dataset: { event: item.kind, number: item.number, id: item.id },
    }, h('time', { class: 'live-time', datetime: new Date(item.at * 1000).toISOString() }, fmtWhen(item.at)), body);
  }

  function toast(item) {
    const box = $('#toasts');
    const close = () => { el.classList.add('leaving'); setTimeout(() => el.remove(), 250); };
    const el = h('div', {
      class: `toast toast-${item.kind}`,
      role: item.kind === 'emergency' ? 'alert' : 'status',
      dataset: { event: item.kind, number: item.number },
    },
    h('span', { class: 'toast-dot', 'aria-hidden': 'true' }),
    liveHref(item)
      ? h('a', { href: liveHref(item), class: 'toast-text', onclick: close }, item.text)
      : h('span', { class: 'toast-text' }, item.text),
    h('button', { type: 'button', class: 'toast-close', 'aria-label': '关闭', onclick: close }, '×'));
    box.prepend(el);
    while (box.children.length > 4) box.lastElementChild.remove();
    setTimeout(close, item.kind === 'emergency' ? 20000 : 8000);
  }

  let refreshTimer = null;
  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      const id = state.renderId;
      if ($('#dashboard')) loadFigures(id);
    }, 800);
  }

  // ---------- dashboard ----------

  const TILES = [
    ['received', '受理', (f) => num(f.received), (f) => `在办 ${num(f.open)} 件`],
    ['rate_done', '办结率', (f) => pct(f.rate_done), (f) => `办结 ${num(f.done)} / 受理 ${num(f.received)}`],
    ['rate_on_time', '按时办结率', (f) => pct(f.rate_on_time), (f) => `按时 ${num(f.done_on_time)} / 办结 ${num(f.done)}`],
    ['rate_satisfied', '满意率', (f) => pct(f.rate_satisfied), (f) => `满意 ${num(f.satisfied)} / 评价 ${num(f.rated)}`],
    ['rate_rated', '回访率', (f) => pct(f.rate_rated), (f) => `已回访 ${num(f.rated)} / 办结 ${num(f.done)}`],
    ['overdue', '超期在办', (f) => num(f.overdue), (f) => (Number(f.open) > 0 ? `占在办 ${pct(Number(f.overdue) / Number(f.open))}` : '没有在办件')],
    ['emergencies', '急事', (f) => num((f.emergencies || {}).reported), (f) => `响应中位 ${duration((f.emergencies || {}).ack_p50_s)}`],
  ];
  const rawValue = {
    received: (f) => f.received,
    overdue: (f) => f.overdue,
    emergencies: (f) => (f.emergencies || {}).reported,
  };

  function renderDashboard(id) {
    const d = state.dash;
    const scopeSel = h('select', { id: 'f-scope', 'aria-label': '范围', onchange: (ev) => { d.scope = ev.target.value; loadFigures(state.renderId); } }, scopeOptions(d.scope));
    if (![...scopeSel.options].some((o) => o.value === d.scope) && scopeSel.options.length) d.scope = scopeSel.options[0].value;
    scopeSel.value = d.scope;
    const from = h('input', { type: 'date', id: 'f-from', value: d.from, 'aria-label': '开始日期' });
    const to = h('input', { type: 'date', id: 'f-to', value: d.to, 'aria-label': '结束日期' });
    const onDates = () => {
      if (!from.value || !to.value) return;
      if (from.value > to.value) { to.value = from.value; }
      d.from = from.value;
      d.to = to.value;
      markPreset();
      loadFigures(state.renderId);
    };
    from.addEventListener('change', onDates);
    to.addEventListener('change', onDates);
    const presets = [['本月', () => monthRange(0)], ['上月', () => monthRange(-1)], ['今年', () => { const t = today(); return { from: ymd(t.y, 1, 1), to: ymd(t.y, 12, 31) }; }]];
    const presetBtns = presets.map(([label, fn]) => h('button', {
      type: 'button', class: 'chip', dataset: { preset: label },
      onclick: () => { const r = fn(); d.from = r.from; d.to = r.to; from.value = r.from; to.value = r.to; markPreset(); loadFigures(state.renderId); },
    }, label));
    function markPreset() {
      for (const [i, [, fn]] of presets.entries()) {
        const r = fn();
        presetBtns[i].classList.toggle('active', r.from === d.from && r.to === d.to);
      }
    }
    markPreset();

    const filters = h('form', { class: 'filters card', onsubmit: (ev) => ev.preventDefault() },
      h('label', { class: 'field field-wide' }, h('span', null, '范围'), scopeSel),
      h('label', { class: 'field' }, h('span', null, '从'), from),
      h('label', { class: 'field' }, h('span', null, '到'), to),
      h('div', { class: 'chips' }, presetBtns),
      h('span', { class: 'muted updated', id: 'updated' }));

    const tiles = h('section', { class: 'tiles', id: 'tiles', 'aria-label': '主要指标' },
      TILES.map(([key, label]) => h('div', { class: 'tile', dataset: { kpi: key } },
        h('div', { class: 'kpi-label' }, label),
        h('div', { class: 'kpi-value' }, '…'),
        h('div', { class: 'kpi-sub muted' }, ''))));

    const chartCard = (cid, title, extra) => h('section', { class: `card chart-card ${extra || ''}` },
      h('h2', null, title), h('div', { class: 'chart-box' }, h('canvas', { id: cid, role: 'img', 'aria-label': title })));

    const live = h('ul', { id: 'live', class: 'live', 'data-testid': 'live' },
      state.live.length ? state.live.map((it) => liveItem(it)) : h('li', { class: 'live-empty muted' }, '正在加载…'));

    page(null,
      h('div', { id: 'dashboard' },
        filters,
        tiles,
        h('div', { class: 'grid grid-2-1' },
          chartCard('chart-weekly', '近 8 周办理情况', 'wide'),
          h('section', { class: 'card live-card' },
            h('h2', null, '最新动态', h('span', { class: 'live-dot', title: '实时推送' })),
            live)),
        h('div', { class: 'grid grid-2-1' },
          chartCard('chart-rows', '分村（镇）受理与办结'),
          chartCard('chart-status', '代办件状态', 'status-card')),
        h('div', { class: 'grid grid-2-1' },
          h('section', { class: 'card' }, h('h2', null, '分村（镇）明细'), h('div', { class: 'table-wrap', id: 'rows-table' })),
          h('section', { class: 'card' },
            h('div', { class: 'card-head' }, h('h2', null, '当前超期'), h('a', { id: 'overdue-all', href: '#/cases?overdue=1' }, '全部 ›')),
            h('ul', { id: 'overdue', class: 'mini-list' }, h('li', { class: 'muted' }, '正在加载…'))))));
    loadFigures(id);
    loadFeed(id);
  }

  function scopeQuery() {
    const d = state.dash;
    return { scope: d.scope, from: d.from, to: d.to };
  }

  async function loadFigures(id) {
    if (!current(id) || !$('#dashboard')) return;
    const q = scopeQuery();
    const overdueLink = $('#overdue-all');
    if (overdueLink) overdueLink.setAttribute('href', `#/cases${qs({ open: 1, overdue: 1, ...caseListScope(q.scope) })}`);
    const tiles = $('#tiles');
    tiles.classList.add('busy');
    try {
      const [k, weekly, overdue] = await Promise.all([
        api(`/kpis${qs(q)}`),
        api(`/kpis/weekly${qs({ scope: q.scope, weeks: 8 })}`).catch(() => ({ weeks: [] })),
        api(`/cases${qs({ overdue: 1, open: 1, scope: q.scope, limit: 8 })}`).catch((e) => ({ error: e })),
      ]);
      if (!current(id) || !$('#dashboard')) return;
      fillTiles(k.total || {});
      drawWeekly(weekly.weeks || []);
      drawStatus((k.total || {}).by_status || {});
      drawRows(k.rows || []);
      fillRowsTable(k.rows || []);
      fillOverdue(overdue);
      const up = $('#updated');
      if (up) up.textContent = `${k.name || scopeName(q.scope)} · ${k.from || q.from} 至 ${k.to || q.to} · 更新于 ${fmtClock(new Date())}`;
      const stale = $('#dash-error');
      if (stale) stale.remove();
    } catch (e) {
      if (!current(id) || e.status === 401) return;
      const old = $('#dash-error');
      if (old) old.remove();
      const box = errorBox(e, () => loadFigures(state.renderId));
      box.id = 'dash-error';
      tiles.before(box);
    } finally {
      tiles.classList.remove('busy');
    }
  }

  function fillTiles(f) {
    for (const [key, , value, sub] of TILES) {
      const tile = document.querySelector(`.tile[data-kpi="${key}"]`);
      if (!tile) continue;
      const v = value(f);
      $('.kpi-value', tile).textContent = v;
      $('.kpi-sub', tile).textContent = sub(f);
      const raw = rawValue[key] ? rawValue[key](f) : f[key];
      tile.dataset.value = raw === null || raw === undefined ? '' : String(raw);
      const alarm = (key === 'overdue' && Number(f.overdue) > 0) || (key === 'emergencies' && Number((f.emergencies || {}).reported) > 0);
      tile.classList.toggle('alarm', alarm);
    }
  }

  // Chart.js (3.9.1, the global `Chart`).
  function setChartDefaults() {
    if (!window.Chart || setChartDefaults.done) return;
    setChartDefaults.done = true;
    const C = window.Chart;
    C.defaults.font.family = getComputedStyle(document.body).fontFamily;
    C.defaults.font.size = 12;
    C.defaults.color = '#556170';
    C.defaults.plugins.legend.labels.boxWidth = 12;
    C.defaults.plugins.legend.labels.boxHeight = 12;
    C.defaults.maintainAspectRatio = false;
    C.defaults.animation.duration = 300;
  }
  function chartOn(canvasId, config) {
    const canvas = document.getElementById(canvasId);
    if (!canvas) return null;
    const old = state.charts.find((c) => c.canvas === canvas);
    if (old) { old.destroy(); state.charts = state.charts.filter((c) => c !== old); }
    const box = canvas.parentElement;
    const empty = box.querySelector('.chart-empty');
    if (empty) empty.remove();
    if (!window.Chart) {
      box.append(h('p', { class: 'chart-empty muted' }, '图表组件没有加载。'));
      return null;
    }
    setChartDefaults();
    const chart = new window.Chart(canvas, config);
    state.charts.push(chart);
    return chart;
  }
  function chartEmpty(canvasId, text) {
    const canvas = document.getElementById(canvasId);
    if (!canvas) return;
    const old = state.charts.find((c) => c.canvas === canvas);
    if (old) { old.destroy(); state.charts = state.charts.filter((c) => c !== old); }
    const box = canvas.parentElement;
    if (!box.querySelector('.chart-empty')) box.append(h('p', { class: 'chart-empty muted' }, text));
  }
  function destroyCharts() {
    for (const c of state.charts) c.destroy();
    state.charts = [];
  }

  const pctAxis = { min: 0, max: 100, ticks: { callback: (v) => `${v}%`, stepSize: 25 }, grid: { color: '#eef1f5' } };

  function drawWeekly(weeks) {
    if (!weeks.length) return chartEmpty('chart-weekly', '暂无数据');
    const labels = weeks.map((w) => String(w.from || '').slice(5).replace('-', '/'));
    const rate = (key) => weeks.map((w) => (w.figures && w.figures[key] !== null && w.figures[key] !== undefined ? Math.round(w.figures[key] * 1000) / 10 : null));
    const line = (label, key, color, dash) => ({
      type: 'line', label, data: rate(key), borderColor: color, backgroundColor: color, borderWidth: 2,
      borderDash: dash || [], pointRadius: 3, cubicInterpolationMode: 'monotone', spanGaps: true, yAxisID: 'y',
    });
    chartOn('chart-weekly', {
      data: {
        labels,
        datasets: [
          line('办结率', 'rate_done', '#2f6fbd'),
          line('按时办结率', 'rate_on_time', '#4f9a6f'),
          line('满意率', 'rate_satisfied', '#c9892b', [5, 4]),
          { type: 'bar', label: '受理（件）', data: weeks.map((w) => (w.figures || {}).received || 0), backgroundColor: 'rgba(122,140,163,0.22)', borderWidth: 0, yAxisID: 'y1', order: 10, barPercentage: 0.6, maxBarThickness: 40 },
        ],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          y: pctAxis,
          y1: { position: 'right', beginAtZero: true, grid: { display: false }, ticks: { precision: 0 } },
          x: { grid: { display: false } },
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: {
            callbacks: {
              title: (items) => { const w = weeks[items[0].dataIndex]; return `${w.from} 至 ${w.to}`; },
              label: (c) => (c.dataset.yAxisID === 'y' ? `${c.dataset.label} ${c.raw === null ? '—' : `${c.raw}%`}` : `${c.dataset.label} ${c.raw}`),
            },
          },
        },
      },
    });
  }

  function drawStatus(byStatus) {
    const keys = Object.keys(byStatus).filter((k) => Number(byStatus[k]) > 0);
    keys.sort((a, b) => STATUS.findIndex((s) => s[0] === a) - STATUS.findIndex((s) => s[0] === b));
    if (!keys.length) return chartEmpty('chart-status', '这段时间没有代办件');
    chartOn('chart-status', {
      type: 'doughnut',
      data: {
        labels: keys.map((k) => STATUS_LABEL[k] || k),
        datasets: [{ data: keys.map((k) => byStatus[k]), backgroundColor: keys.map((k) => STATUS_COLOR[k] || '#9aa5b1'), borderColor: '#fff', borderWidth: 2 }],
      },
      options: {
        cutout: '62%',
        plugins: { legend: { position: 'right', labels: { padding: 10 } } },
      },
    });
  }

  function drawRows(rows) {
    if (!rows.length) return chartEmpty('chart-rows', '暂无数据');
    const f = (k) => rows.map((r) => Number((r.figures || {})[k]) || 0);
    chartOn('chart-rows', {
      type: 'bar',
      data: {
        labels: rows.map((r) => r.name),
        datasets: [
          { label: '受理', data: f('received'), backgroundColor: '#8fb3e0', borderRadius: 3, maxBarThickness: 28 },
          { label: '办结', data: f('done'), backgroundColor: '#2f6fbd', borderRadius: 3, maxBarThickness: 28 },
          { label: '超期在办', data: f('overdue'), backgroundColor: '#d93025', borderRadius: 3, maxBarThickness: 28 },
        ],
      },
      options: {
        scales: { y: { beginAtZero: true, ticks: { precision: 0 }, grid: { color: '#eef1f5' } }, x: { grid: { display: false } } },
        plugins: { legend: { position: 'bottom' } },
      },
    });
  }

  function fillRowsTable(rows) {
    const wrap = $('#rows-table');
    if (!wrap) return;
    if (!rows.length) { wrap.replaceChildren(h('p', { class: 'muted' }, '暂无数据')); return; }
    const cols = [
      ['受理', (f) => num(f.received)], ['办结', (f) => num(f.done)], ['办结率', (f) => pct(f.rate_done)],
      ['按时办结率', (f) => pct(f.rate_on_time)], ['满意率', (f) => pct(f.rate_satisfied)], ['回访率', (f) => pct(f.rate_rated)],
      ['平均天数', (f) => (f.mean_days === null || f.mean_days === undefined ? '—' : Number(f.mean_days).toFixed(1))],
      ['在办', (f) => num(f.open)], ['超期', (f) => num(f.overdue)], ['急事', (f) => num((f.emergencies || {}).reported)],
    ];
    wrap.replaceChildren(h('table', { class: 'table table-compact' },
      h('thead', null, h('tr', null, h('th', null, '单位'), cols.map(([c]) => h('th', { class: 'num' }, c)))),
      h('tbody', null, rows.map((r) => {
        const f = r.figures || {};
        const [kind, rid] = String(r.scope || '').split(':');
        const nameCell = kind === 'village' && rid
          ? h('a', { href: '#/', onclick: (ev) => { ev.preventDefault(); pickScope(r.scope); } }, r.name)
          : kind === 'township' && rid
            ? h('a', { href: '#/', onclick: (ev) => { ev.preventDefault(); pickScope(r.scope); } }, r.name)
            : r.name;
        return h('tr', { dataset: { scope: r.scope || '' } }, h('th', { scope: 'row' }, nameCell),
          cols.map(([c, fn]) => h('td', { class: `num${c === '超期' && Number(f.overdue) > 0 ? ' danger' : ''}` }, fn(f))));
      }))));
  }

  function pickScope(scope) {
    const sel = $('#f-scope');
    if (!sel || ![...sel.options].some((o) => o.value === scope)) return;
    sel.value = scope;
    state.dash.scope = scope;
    loadFigures(state.renderId);
    window.scrollTo({ top: 0, behavior: 'smooth' });
  }

  function fillOverdue(res) {
    const ul = $('#overdue');
    if (!ul) return;
    if (res.error) { ul.replaceChildren(h('li', { class: 'muted' }, '超期件暂时读不到。')); return; }
    const cases = res.cases || [];
    if (!cases.length) { ul.replaceChildren(h('li', { class: 'muted ok' }, '没有超期的代办件。')); return; }
    ul.replaceChildren(...cases.slice(0, 8).map((c) => h('li', { dataset: { case: caseNo(c.number) } },
      h('a', { href: `#/cases/${caseNo(c.number)}` },
        h('span', { class: 'mono' }, `#${caseNo(c.number)}`), ' ',
        h('span', null, c.service_name), ' ',
        h('span', { class: 'muted' }, [c.village_name, c.resident_name].filter(Boolean).join(' · '))),
      h('span', { class: 'badge badge-danger' }, `时限 ${c.due || '—'}`))));
  }

  // ---------- cases list ----------

  function renderCases(id, query) {
    const f = {
      status: query.get('status') || '',
      open: query.get('open') === '1',
      overdue: query.get('overdue') === '1',
      village: query.get('village') || '',
      scope: query.get('scope') || '',
      q: query.get('q') || '',
    };
    const wide = wideStaff();
    // County and township staff narrow by 范围 (scope=…, the server filters); village agents by 村.
    if (wide && f.village) { f.scope = `village:${f.village}`; f.village = ''; }
    if (!wide) f.scope = '';
    const params = (x) => ({ status: x.status, open: x.open ? 1 : '', overdue: x.overdue ? 1 : '', scope: x.scope, village: x.village, q: x.q });
    const go = (patch) => { location.hash = `#/cases${qs(params({ ...f, ...patch }))}`; };
    const statusSel = h('select', { id: 'c-status', onchange: (ev) => go({ status: ev.target.value }) },
      h('option', { value: '' }, '全部状态'),
      STATUS.map(([k, l]) => h('option', { value: k, selected: k === f.status }, l)));
    const villages = state.me.villages || [];
    let placeSel;
    if (wide) {
      placeSel = h('select', { id: 'c-scope', 'aria-label': '范围', onchange: (ev) => go({ scope: ev.target.value }) }, caseScopeOptions(f.scope));
      if (![...placeSel.options].some((o) => o.value === f.scope)) placeSel.append(h('option', { value: f.scope, selected: true }, scopeName(f.scope)));
    } else {
      placeSel = h('select', { id: 'c-village', 'aria-label': '村', onchange: (ev) => go({ village: ev.target.value }) },
        villages.length > 1 ? h('option', { value: '' }, '全部村') : null,
        villages.map((v) => h('option', { value: v.id, selected: v.id === f.village }, v.name)));
    }
    const openBox = h('input', { type: 'checkbox', id: 'c-open', checked: f.open, onchange: (ev) => go({ open: ev.target.checked }) });
    const overdueBox = h('input', { type: 'checkbox', id: 'c-overdue', checked: f.overdue, onchange: (ev) => go({ overdue: ev.target.checked }) });
    const search = h('input', { type: 'search', id: 'c-q', value: f.q, placeholder: '编号、居民姓名、事项', enterkeyhint: 'search' });
    const filters = h('form', { class: 'filters card', onsubmit: (ev) => { ev.preventDefault(); go({ q: search.value.trim() }); } },
      h('label', { class: 'field' }, h('span', null, '状态'), statusSel),
      h('label', { class: 'field' }, h('span', null, wide ? '范围' : '村'), placeSel),
      h('label', { class: 'check' }, openBox, h('span', null, '只看在办')),
      h('label', { class: 'check' }, overdueBox, h('span', { class: 'danger-text' }, '只看超期')),
      h('div', { class: 'field search' }, search, h('button', { type: 'submit', class: 'btn btn-primary' }, '搜索')));

    const filterKey = qs(params(f)).slice(1);
    const tbody = h('tbody', { id: 'case-rows', dataset: { filter: filterKey } });
    const more = h('button', { type: 'button', class: 'btn', id: 'more', hidden: true }, '更多');
    const count = h('span', { class: 'muted', id: 'case-count' });
    const tableWrap = h('div', { class: 'table-wrap' }, h('table', { class: 'table cases-table' },
      h('thead', null, h('tr', null, ['编号', '事项', '状态', '居民', '村', '经办', '材料', '办结时限', '更新'].map((c) => h('th', null, c)))),
      tbody));
    page('代办件', filters, h('section', { class: 'card' }, tableWrap, h('div', { class: 'list-foot' }, count, more)));

    let cursor = null;
    let shown = 0;
    const load = async () => {
      more.disabled = true;
      try {
        const res = await api(`/cases${qs({ ...params(f), cursor, limit: 30 })}`);
        if (!current(id)) return;
        const cases = res.cases || [];
        tbody.append(...cases.map(caseRow));
        shown += cases.length;
        cursor = res.next_cursor || null;
        more.hidden = !cursor;
        if (!shown) tbody.replaceChildren(h('tr', null, h('td', { colspan: 9, class: 'muted empty' }, '没有符合条件的代办件。')));
        count.textContent = shown ? `已显示 ${shown} 件${cursor ? '' : '（全部）'}` : '';
        tbody.dataset.loaded = String(shown);
      } catch (e) {
        if (!current(id) || e.status === 401) return;
        tableWrap.before(errorBox(e, load));
      } finally {
        more.disabled = false;
      }
    };
    more.addEventListener('click', load);
    load();
  }

  function statusBadge(c) {
    const cls = ['returned'].includes(c.status) ? 'badge-warn'
      : ['done', 'rated'].includes(c.status) ? 'badge-ok'
        : c.status === 'cancelled' ? 'badge-muted' : 'badge-info';
    return h('span', { class: `badge badge-status ${cls}`, 'data-testid': 'status', dataset: { status: c.status || '' } }, c.status_label || STATUS_LABEL[c.status] || c.status || '');
  }

  function caseRow(c) {
    const n = caseNo(c.number);
    const href = `#/cases/${n}`;
    const tr = h('tr', { dataset: { case: n }, class: c.overdue ? 'row-overdue' : '', onclick: (ev) => { if (!ev.target.closest('a')) location.hash = href; } },
      h('td', null, h('a', { href, class: 'case-link' }, `#${n}`), h('div', { class: 'muted small mono code' }, c.code)),
      h('td', { class: 'service' }, c.service_name),
      h('td', null, statusBadge(c)),
      h('td', null, c.resident_name || '—'),
      h('td', null, c.village_name),
      h('td', null, c.owner_name || h('span', { class: 'muted' }, '未接单')),
      h('td', { class: 'num' }, `${num(c.received)}/${num(c.total)}`),
      h('td', null, c.due || '—', c.overdue ? h('span', { class: 'badge badge-danger' }, '超期') : null),
      h('td', { class: 'muted small nowrap' }, fmtTime(c.updated_at)));
    return tr;
  }

  // ---------- one case ----------

  function renderCase(id, n) {
    const root = page(null, h('p', { class: 'loading' }, '正在加载…'));
    loadCase(id, n, root);
  }

  async function loadCase(id, n, root, notice) {
    let c;
    try {
      c = await api(`/cases/${n}`);
    } catch (e) {
      if (!current(id) || e.status === 401) return;
      root.replaceChildren(h('p', null, h('a', { href: '#/cases' }, '‹ 返回代办件列表')), errorBox(e, e.status >= 500 || !e.status ? () => loadCase(id, n, root) : null));
      return;
    }
    if (!current(id)) return;
    document.title = `#${n} ${c.service_name || ''} · 全程代办后台`;
    const actions = new Set(c.actions || []);
    const reload = (msg) => loadCase(id, n, root, msg);
    const act = async (body, buttons) => {
      for (const b of buttons) b.disabled = true;
      try {
        const res = await api(`/cases/${n}/actions`, { method: 'POST', body });
        reload({ kind: 'ok', text: (res && res.message) || '已完成。' });
      } catch (e) {
        if (e.status === 401) return;
        for (const b of buttons) b.disabled = false;
        showNotice(e.status === 409 ? { kind: 'warn', text: e.body.detail || '现在不能这样操作。' } : { kind: 'error', text: e.body.detail || e.message });
      }
    };
    const noticeBox = h('div', { id: 'action-notice' });
    function showNotice(nt) {
      noticeBox.replaceChildren(h('div', {
        class: `notice notice-${nt.kind}`, role: nt.kind === 'ok' ? 'status' : 'alert', 'data-testid': 'action-message',
      }, nt.text));
      noticeBox.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }

    // Header
    const head = h('section', { class: 'card case-head' },
      h('div', { class: 'case-title' },
        h('h1', null, h('span', { class: 'mono case-no' }, `#${caseNo(c.number)}`), ' ', c.service_name),
        h('div', { class: 'case-badges' }, statusBadge(c), c.overdue ? h('span', { class: 'badge badge-danger', 'data-testid': 'overdue' }, '超期') : null)),
      h('dl', { class: 'facts' },
        fact('编号', h('span', { class: 'mono' }, c.code)),
        fact('居民', c.resident_name || '—'),
        fact('村', c.village_name),
        fact('经办', c.owner_name || '未接单'),
        fact('办结时限', c.due || '—', c.overdue ? 'danger-text' : ''),
        fact('受理时间', fmtTime(c.opened_at)),
        fact('材料', `已收到 ${num(c.received)}/${num(c.total)}`),
        c.rating ? fact('评价', `${c.rating} 分`) : null));

    // Case actions
    const caseButtons = [];
    const doneNote = h('input', { type: 'text', id: 'done-note', placeholder: '办结说明（可不填），如：救助金已打到一卡通', maxlength: 200 });
    const doneForm = h('div', { class: 'inline-form', hidden: true, id: 'done-form' }, doneNote);
    const actionBar = h('div', { class: 'action-bar', id: 'case-actions' });
    // 转办 up a level: to the township (from a village) or the county, with a reason.
    const levels = [['township', '上交镇里'], ['county', '上交县里']].filter(([lv]) => !(c.level === 'township' && lv === 'township'));
    const transferLevel = h('select', { id: 'transfer-level', 'aria-label': '转给' }, levels.map(([v, l]) => h('option', { value: v }, l)));
    const transferReason = h('input', { type: 'text', id: 'transfer-reason', class: 'reason', placeholder: '转办原因（必填），如：涉及跨村土地，村里定不了', maxlength: 100, 'aria-label': '转办原因' });
    const transferErr = h('span', { class: 'form-error small', hidden: true }, '请写明转办原因，接手的同志会看到。');
    const transferForm = h('div', { class: 'inline-form', hidden: true, id: 'transfer-form' }, transferLevel, transferReason);
    for (const a of ['claim', 'approve', 'done', 'transfer']) {
      if (!actions.has(a)) continue;
      const b = h('button', { type: 'button', class: `btn ${a === 'done' ? 'btn-primary' : ''}`, dataset: { action: a } }, ACTION_LABEL[a]);
      caseButtons.push(b);
      actionBar.append(b);
      if (a === 'claim') b.addEventListener('click', () => act({ action: 'claim' }, caseButtons));
      if (a === 'approve') b.addEventListener('click', () => act({ action: 'approve', material: '' }, caseButtons));
      if (a === 'done') {
        const confirmBtn = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'done-confirm' } }, '确认办结');
        const cancelBtn = h('button', { type: 'button', class: 'btn btn-quiet' }, '取消');
        doneForm.append(confirmBtn, cancelBtn);
        b.addEventListener('click', () => { doneForm.hidden = false; b.hidden = true; doneNote.focus(); });
        cancelBtn.addEventListener('click', () => { doneForm.hidden = true; b.hidden = false; });
        confirmBtn.addEventListener('click', () => act({ action: 'done', note: doneNote.value.trim() }, [...caseButtons, confirmBtn]));
        doneNote.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') confirmBtn.click(); });
      }
      if (a === 'transfer') {
        if (!levels.length) { b.remove(); caseButtons.pop(); continue; }
        const confirmBtn = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'transfer-confirm' } }, '确认转办');
        const cancelBtn = h('button', { type: 'button', class: 'btn btn-quiet' }, '取消');
        transferForm.append(confirmBtn, cancelBtn, transferErr);
        b.addEventListener('click', () => { transferForm.hidden = false; b.hidden = true; transferReason.focus(); });
        cancelBtn.addEventListener('click', () => {
          transferForm.hidden = true; b.hidden = false; transferErr.hidden = true; transferReason.classList.remove('invalid');
        });
        const submit = () => {
          const why = transferReason.value.trim();
          if (!why) { transferErr.hidden = false; transferReason.classList.add('invalid'); transferReason.focus(); return; }
          act({ action: 'transfer', level: transferLevel.value, reason: why }, [...caseButtons, confirmBtn]);
        };
        confirmBtn.addEventListener('click', submit);
        transferReason.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') submit(); });
        transferReason.addEventListener('input', () => { transferErr.hidden = true; transferReason.classList.remove('invalid'); });
      }
    }
    const actionsCard = caseButtons.length
      ? h('section', { class: 'card' }, h('h2', null, '操作'), actionBar, doneForm, transferForm)
      : null;

    // Mandate
    const mandate = c.mandate && c.mandate.text
      ? h('section', { class: 'card mandate', 'data-testid': 'mandate' },
        h('h2', null, '委托'), h('p', null, c.mandate.text), h('p', { class: 'muted small' }, `居民确认于 ${fmtTime(c.mandate.at)}`))
      : null;

    // Materials
    const mats = c.materials || [];
    const fileNames = {};
    for (const m of mats) for (const file of m.files || []) fileNames[file.id] = m.name;
    const materials = h('section', { class: 'card' }, h('h2', null, '材料'),
      mats.length ? h('ul', { class: 'materials' }, mats.map((m) => materialRow(m, actions, act))) : h('p', { class: 'muted' }, '这项事不需要材料。'));

    // Timeline, newest last
    const hist = [...(c.history || [])].sort((a, b) => (a.at || 0) - (b.at || 0));
    const timeline = h('section', { class: 'card' }, h('h2', null, '办理经过'),
      hist.length ? h('ol', { class: 'timeline', id: 'timeline' }, hist.map((e) => h('li', { dataset: { what: e.what || '' } },
        h('time', null, fmtTime(e.at)),
        h('div', null, h('strong', null, e.label || e.what), ' ', h('span', { class: 'muted' }, e.who_name || e.who || ''),
          e.why ? h('div', { class: 'why' }, e.why) : null))))
        : h('p', { class: 'muted' }, '还没有记录。'));

    const audit = h('section', { class: 'card' }, h('h2', null, '谁看过材料'), h('div', { id: 'audit', class: 'table-wrap' }, h('p', { class: 'muted' }, '正在加载…')));

    root.replaceChildren(
      h('p', { class: 'crumbs' }, h('a', { href: '#/cases' }, '‹ 代办件')),
      head,
      noticeBox,
      h('div', { class: 'grid grid-case' },
        h('div', { class: 'stack' }, actionsCard, mandate, materials),
        h('div', { class: 'stack' }, timeline, audit)));
    if (notice) showNotice(notice);
    loadAudit(id, n, fileNames);
  }

  function fact(label, value, cls) {
    return h('div', { class: 'fact' }, h('dt', null, label), h('dd', { class: cls || null }, value));
  }

  function materialRow(m, actions, act) {
    const files = (m.files || []).filter((f) => safeUrl(f.url));
    const thumbs = h('div', { class: 'thumbs' }, files.map((f, i) => h('button', {
      type: 'button', class: 'thumb', title: '点击放大', 'aria-label': `放大 ${m.name} 第 ${i + 1} 张`,
      onclick: () => openOverlay(safeUrl(f.url), `${m.name}（第 ${i + 1} 张，共 ${files.length} 张）`),
    }, h('img', { src: safeUrl(f.url), alt: `${m.name} 照片 ${i + 1}`, loading: 'lazy', decoding: 'async' }))));
    const stateCls = m.state === 'accepted' ? 'badge-ok' : m.state === 'rejected' ? 'badge-warn' : m.state === 'received' ? 'badge-info' : 'badge-muted';
    const row = h('li', { class: 'material', dataset: { material: m.id, state: m.state || '' } });
    const btns = [];
    const bar = h('div', { class: 'material-actions' });
    const known = ['missing', 'received', 'accepted', 'rejected'].includes(m.state);
    const canApprove = actions.has('approve') && (known ? m.state === 'received' : files.length > 0);
    const canReturn = actions.has('return') && (known ? m.state === 'received' || m.state === 'accepted' : files.length > 0);
    const reason = h('input', { type: 'text', class: 'reason', placeholder: '退回原因（必填），如：照片看不清，请重拍', maxlength: 100, 'aria-label': '退回原因' });
    const reasonErr = h('span', { class: 'form-error small', hidden: true }, '请写明退回原因，居民会收到这句话。');
    const confirm = h('button', { type: 'button', class: 'btn btn-warn btn-small', dataset: { action: 'return-confirm' } }, '确认退回');
    const cancel = h('button', { type: 'button', class: 'btn btn-quiet btn-small' }, '取消');
    const returnForm = h('div', { class: 'inline-form', hidden: true }, reason, confirm, cancel, reasonErr);
    if (canApprove) {
      const b = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'approve' } }, '通过');
      b.addEventListener('click', () => act({ action: 'approve', material: m.id }, btns));
      btns.push(b);
      bar.append(b);
    }
    if (canReturn) {
      const b = h('button', { type: 'button', class: 'btn btn-small btn-warn-outline', dataset: { action: 'return' } }, '退回');
      b.addEventListener('click', () => { returnForm.hidden = false; bar.hidden = true; reason.focus(); });
      cancel.addEventListener('click', () => { returnForm.hidden = true; bar.hidden = false; reasonErr.hidden = true; });
      const submit = () => {
        const why = reason.value.trim();
        if (!why) { reasonErr.hidden = false; reason.classList.add('invalid'); reason.focus(); return; }
        act({ action: 'return', material: m.id, reason: why }, [...btns, confirm]);
      };
      confirm.addEventListener('click', submit);
      reason.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') submit(); });
      reason.addEventListener('input', () => { reasonErr.hidden = true; reason.classList.remove('invalid'); });
      btns.push(b);
      bar.append(b);
    }
    row.append(...[
      h('div', { class: 'material-main' },
        h('div', { class: 'material-name' }, h('strong', null, m.name), ' ', h('span', { class: `badge ${stateCls}` }, m.state_label || m.state || '')),
        m.reason ? h('div', { class: 'material-reason' }, `退回原因：${m.reason}`) : null,
        files.length ? thumbs : h('div', { class: 'muted small' }, '还没有照片')),
      btns.length ? h('div', { class: 'material-side' }, bar, returnForm) : null,
    ].filter(Boolean));
    return row;
  }

  async function loadAudit(id, n, fileNames) {
    // Give the thumbnails a moment: this page's own views are part of the trail too.
    await new Promise((r) => setTimeout(r, 400));
    const box = () => document.getElementById('audit');
    try {
      const res = await api(`/cases/${n}/audit`);
      if (!current(id) || !box()) return;
      const entries = [...(res.entries || [])].sort((a, b) => (b.at || 0) - (a.at || 0));
      if (!entries.length) { box().replaceChildren(h('p', { class: 'muted' }, '还没有人看过材料。')); return; }
      box().replaceChildren(...[h('table', { class: 'table table-compact audit-table' },
        h('thead', null, h('tr', null, ['时间', '谁', '做了什么', '材料', '来自'].map((c) => h('th', null, c)))),
        h('tbody', null, entries.slice(0, 100).map((e) => h('tr', null,
          h('td', { class: 'nowrap' }, fmtTime(e.at)),
          h('td', null, e.who_name || e.who || '—'),
          h('td', null, AUDIT_LABEL[e.what] || e.what || ''),
          h('td', null, e.file ? (fileNames[e.file] || `${String(e.file).slice(0, 8)}…`) : '—'),
          h('td', { class: 'mono small' }, e.from || '—'))))),
      entries.length > 100 ? h('p', { class: 'muted small' }, `只显示最近 100 条，共 ${entries.length} 条。`) : null].filter(Boolean));
    } catch (e) {
      if (!current(id) || e.status === 401 || !box()) return;
      box().replaceChildren(h('p', { class: 'muted' }, '查看记录暂时读不到。'));
    }
  }

  function openOverlay(url, caption) {
    const ov = $('#overlay');
    $('#overlay-img').src = url;
    $('#overlay-img').alt = caption;
    $('#overlay-caption').textContent = caption;
    ov.hidden = false;
    document.body.classList.add('no-scroll');
    $('#overlay-close').focus();
  }
  function closeOverlay() {
    const ov = $('#overlay');
    if (!ov || ov.hidden) return;
    ov.hidden = true;
    $('#overlay-img').removeAttribute('src');
    document.body.classList.remove('no-scroll');
  }

  // ---------- tickets: emergencies, complaints, suggestions, consultations ----------

  const TICKET_KINDS = [['emergency', '急事'], ['complaint', '投诉'], ['suggestion', '建议'], ['consultation', '咨询']];
  // History steps the server may leave unlabelled.
  const TICKET_EVENT_LABEL = {
    opened: '上报', acknowledged: '收到', on_site: '到场', answered: '答复', closed: '办结', to_case: '转为代办件',
    withdrawn: '居民撤回', photo: '补充照片', location: '发送位置', note: '补充说明', placed: '确认所在村',
    rated: '居民评价', reopened: '居民不满意，重新办理', escalated: '没人接手，自动上报',
    'deadline:soon': '快到时限，已提醒经办人', 'deadline:overdue': '已过时限，已提醒经办人',
  };
  const LEVEL_WORDS = { township: '镇里', county: '县里', village: '村里' };
  const isEmergency = (t) => t.kind === 'emergency';
  const todayYmd = () => { const t = today(); return ymd(t.y, t.m, t.d); };
  const ticketOverdue = (t) => !isEmergency(t) && t.open && /^\d{4}-\d{2}-\d{2}$/.test(t.due || '') && t.due < todayYmd();

  // A span that keeps saying how long ago `sec` was (the ticker below refreshes it).
  function sinceSpan(sec, prefix, suffix, cls) {
    return h('span', { class: `since ${cls || ''}`, dataset: { since: sec, prefix: prefix || '', suffix: suffix || '' } }, sinceText(sec, prefix, suffix));
  }
  function sinceText(sec, prefix, suffix) {
    return `${prefix || ''}${longDuration(Math.max(0, Math.floor(Date.now() / 1000) - Number(sec)))}${suffix || ''}`;
  }
  function longDuration(s) {
    if (s >= 2 * 86400) return `${Math.floor(s / 86400)}天${Math.floor((s % 86400) / 3600) ? `${Math.floor((s % 86400) / 3600)}小时` : ''}`;
    if (s < 60) return '不到1分钟';
    return duration(Math.floor(s / 60) * 60);
  }
  setInterval(() => {
    for (const el of document.querySelectorAll('.since[data-since]')) el.textContent = sinceText(el.dataset.since, el.dataset.prefix, el.dataset.suffix);
  }, 30000);

  function ticketBadge(t) {
    const s = t.status || '';
    const cls = s === 'open' ? (isEmergency(t) ? 'badge-danger' : 'badge-info')
      : s === 'acknowledged' || s === 'on_site' ? 'badge-warn'
        : s === 'answered' || s === 'closed' ? 'badge-ok' : 'badge-muted';
    return h('span', { class: `badge badge-status ${cls}`, 'data-testid': 'status', dataset: { status: s } }, t.status_label || s);
  }
  function kindTag(t) {
    return h('span', { class: `kind kind-${t.kind || ''}${isEmergency(t) && t.open ? ' kind-hot' : ''}` }, t.kind_label || TICKET_LABEL[t.kind] || '');
  }
  // 时限 for what is answered by a date; for an emergency, how long it waited (or is waiting).
  function ticketClock(t) {
    if (isEmergency(t)) {
      if (t.open && !t.acknowledged_at && t.reported_at) return sinceSpan(t.reported_at, '已等 ', '', 'danger-text waiting');
      if (t.acknowledged_at && t.reported_at) return h('span', { class: 'muted' }, `收到用时 ${longDuration(t.acknowledged_at - t.reported_at)}`);
      return h('span', { class: 'muted' }, '—');
    }
    if (!t.due) return h('span', { class: 'muted' }, '—');
    return h('span', null, t.due, ticketOverdue(t) ? h('span', { class: 'badge badge-danger' }, '超期') : null);
  }

  // Someone reported something while the list is open: offer to show it.
  function newTicketsBanner() {
    const box = $('#tickets-new');
    if (!box) return;
    box.hidden = false;
  }

  function renderTickets(id, query) {
    const kinds = TICKET_KINDS.filter(([k]) => !(k === 'complaint' && state.me.agent && state.me.agent.role === 'village'));
    const f = {
      kind: kinds.some(([k]) => k === query.get('kind')) ? query.get('kind') : '',
      open: query.get('open') === '1',
    };
    const params = (x) => ({ kind: x.kind, open: x.open ? 1 : '' });
    const go = (patch) => { location.hash = `#/tickets${qs(params({ ...f, ...patch }))}`; };
    const chips = h('div', { class: 'chips', role: 'group', 'aria-label': '类别' },
      [['', '全部'], ...kinds].map(([k, l]) => h('button', {
        type: 'button', class: `chip${k === f.kind ? ' active' : ''}${k === 'emergency' ? ' chip-danger' : ''}`,
        'aria-pressed': k === f.kind ? 'true' : 'false', dataset: { kind: k || 'all' }, onclick: () => go({ kind: k }),
      }, l)));
    const openBox = h('input', { type: 'checkbox', id: 't-open', checked: f.open, onchange: (ev) => go({ open: ev.target.checked }) });
    const filters = h('form', { class: 'filters card', onsubmit: (ev) => ev.preventDefault() },
      h('div', { class: 'field' }, h('span', null, '类别'), chips),
      h('label', { class: 'check' }, openBox, h('span', null, '只看未办')));

    const filterKey = qs(params(f)).slice(1);
    const tbody = h('tbody', { id: 'ticket-rows', dataset: { filter: filterKey } });
    const more = h('button', { type: 'button', class: 'btn', id: 't-more', hidden: true }, '更多');
    const count = h('span', { class: 'muted', id: 'ticket-count' });
    const banner = h('div', { class: 'notice notice-info', id: 'tickets-new', role: 'status', hidden: true },
      h('span', null, '有新的急事或诉求。'),
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => route() }, '刷新列表'));
    const tableWrap = h('div', { class: 'table-wrap' }, h('table', { class: 'table tickets-table' },
      h('thead', null, h('tr', null, ['编号', '类别', '状态', '内容', '居民', '村', '经办', '上报', '时限 / 等待'].map((c) => h('th', null, c)))),
      tbody));
    page('急事与诉求', filters, banner, h('section', { class: 'card' }, tableWrap, h('div', { class: 'list-foot' }, count, more)));

    let cursor = null;
    let shown = 0;
    const load = async () => {
      more.disabled = true;
      try {
        const res = await api(`/tickets${qs({ ...params(f), cursor, limit: 30 })}`);
        if (!current(id)) return;
        const list = res.tickets || [];
        tbody.append(...list.map(ticketRow));
        shown += list.length;
        cursor = res.next_cursor || null;
        more.hidden = !cursor;
        if (!shown) tbody.replaceChildren(h('tr', null, h('td', { colspan: 9, class: 'muted empty' }, f.open ? '没有未办的。' : '还没有。')));
        count.textContent = shown ? `已显示 ${shown} 条${cursor ? '' : '（全部）'}` : '';
        tbody.dataset.loaded = String(shown);
      } catch (e) {
        if (!current(id) || e.status === 401) return;
        tableWrap.before(errorBox(e, load));
      } finally {
        more.disabled = false;
      }
    };
    more.addEventListener('click', load);
    load();
  }

  function ticketRow(t) {
    const n = caseNo(t.number);
    const href = `#/tickets/${n}`;
    const hot = isEmergency(t) && t.open;
    return h('tr', {
      dataset: { ticket: n, kind: t.kind || '' },
      class: [hot ? 'row-hot' : '', ticketOverdue(t) ? 'row-overdue' : ''].filter(Boolean).join(' '),
      onclick: (ev) => { if (!ev.target.closest('a')) location.hash = href; },
    },
    h('td', null, h('a', { href, class: 'case-link ticket-link' }, `#${n}`)),
    h('td', null, kindTag(t)),
    h('td', null, ticketBadge(t)),
    h('td', { class: 'ticket-text', title: t.text || '' }, t.text || ''),
    h('td', null, t.resident_name || '—'),
    h('td', null, t.village_name || '—'),
    h('td', { class: 'owner' }, isEmergency(t) && !t.acknowledged_at
      ? [t.owner_name || '', h('span', { class: t.open ? 'danger-text small' : 'muted small' }, t.owner_name ? '（未接手）' : '未接手')]
      : t.owner_name || h('span', { class: 'muted' }, '—')),
    h('td', { class: 'muted small nowrap' }, fmtTime(t.reported_at)),
    h('td', null, ticketClock(t)));
  }

  function renderTicket(id, n) {
    const root = page(null, h('p', { class: 'loading' }, '正在加载…'));
    loadTicket(id, n, root);
  }

  async function loadTicket(id, n, root, notice) {
    let t;
    try {
      t = await api(`/tickets/${n}`);
    } catch (e) {
      if (!current(id) || e.status === 401) return;
      root.replaceChildren(h('p', null, h('a', { href: '#/tickets' }, '‹ 返回急事与诉求')), errorBox(e, e.status >= 500 || !e.status ? () => loadTicket(id, n, root) : null));
      return;
    }
    if (!current(id)) return;
    const emergency = isEmergency(t);
    document.title = `${t.kind_label || ''} #${n} · 全程代办后台`;
    const reload = (msg) => loadTicket(id, n, root, msg);
    const noticeBox = h('div', { id: 'action-notice' });
    function showNotice(nt) {
      noticeBox.replaceChildren(h('div', {
        class: `notice notice-${nt.kind}`, role: nt.kind === 'ok' ? 'status' : 'alert', 'data-testid': 'action-message',
      }, nt.text));
      noticeBox.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }
    const buttons = [];
    const act = async (body, extra = []) => {
      const all = [...buttons, ...extra];
      for (const b of all) b.disabled = true;
      try {
        const res = await api(`/tickets/${n}/actions`, { method: 'POST', body });
        if (current(id)) reload({ kind: 'ok', text: (res && res.message) || '已完成。' });
      } catch (e) {
        if (e.status === 401 || !current(id)) return;
        // Refused by the bot (someone was quicker, it is over): say why and show how it is now.
        if (e.status === 409) { reload({ kind: 'warn', text: e.body.detail || '现在不能这样操作。' }); return; }
        for (const b of all) b.disabled = false;
        showNotice({ kind: 'error', text: e.body.detail || e.message });
      }
    };

    // When: reported, then each step with how long after the report it came.
    const after = (at) => (at ? `${fmtTime(at)}${t.reported_at && at >= t.reported_at ? `（上报后${longDuration(at - t.reported_at)}）` : ''}` : '—');
    const hist = [...(t.history || [])].sort((a, b) => (a.at || 0) - (b.at || 0));
    const lastOf = (...whats) => hist.filter((e) => whats.includes(e.what)).pop() || null;
    const ended = t.open ? null : lastOf('closed', 'to_case', 'withdrawn');
    const acked = lastOf('acknowledged');
    // Before anyone says 收到 the owner is the village's agent the report was sent to.
    const taker = t.acknowledged_at ? (t.owner_name || (acked && acked.who_name) || '—') : '';
    const facts = [
      fact('居民', t.resident_name || '—'),
      fact('村', t.village_name || '未确认'),
      fact('上报时间', fmtTime(t.reported_at)),
      emergency
        ? fact('接手', taker || (t.open ? h('span', null, '还没人接手', t.owner_name ? h('span', { class: 'muted small' }, `（已通知${t.owner_name}）`) : null) : '—'), !taker && t.open ? 'danger-text' : '')
        : fact('经办', t.owner_name || '—'),
    ];
    if (emergency) {
      facts.push(
        fact('收到', t.acknowledged_at ? after(t.acknowledged_at) : (t.open ? sinceSpan(t.reported_at, '已等 ', '', 'waiting') : '—'), !t.acknowledged_at && t.open ? 'danger-text' : ''),
        fact('到场', after(t.on_site_at)),
        fact('结束', ended ? after(ended.at) : '—'));
    } else {
      facts.push(
        fact('答复时限', h('span', null, t.due || '—', ticketOverdue(t) ? h('span', { class: 'badge badge-danger' }, '超期') : null), ticketOverdue(t) ? 'danger-text' : ''),
        fact('答复', after(t.answered_at)));
    }
    const head = h('section', { class: `card case-head ticket-head${emergency && t.open ? ' hot' : ''}`, 'data-testid': 'ticket-head' },
      h('div', { class: 'case-title' },
        h('h1', null, kindTag(t), ' ', h('span', { class: 'mono case-no' }, `#${caseNo(t.number)}`)),
        h('div', { class: 'case-badges' }, ticketBadge(t))),
      h('dl', { class: 'facts' }, facts));

    const words = h('section', { class: 'card words', 'data-testid': 'ticket-text' },
      h('h2', null, '居民说的'), h('p', { class: 'quote' }, t.text || '（没有文字）'));

    // The staff's answer (for an emergency: the note it was stood down with), and the rating.
    const answer = t.answer || t.rating
      ? h('section', { class: 'card answer', 'data-testid': 'ticket-answer' },
        h('h2', null, emergency ? '解除说明' : '答复'),
        t.answer ? h('p', { class: 'quote' }, t.answer) : null,
        t.answered_at && !emergency ? h('p', { class: 'muted small' }, [(lastOf('answered') || {}).who_name, fmtTime(t.answered_at)].filter(Boolean).join(' · ')) : null,
        t.status === 'answered' && t.kind !== 'consultation' && !t.rating ? h('p', { class: 'muted small' }, '等居民评价；不满意会重新打开，再答复一次。') : null,
        t.rating ? h('p', { class: 'rating', 'data-testid': 'rating' }, '居民评价：', h('span', { class: 'stars', 'aria-hidden': 'true' }, '★'.repeat(t.rating) + '☆'.repeat(Math.max(0, 5 - t.rating))), ` ${t.rating} 分`) : null)
      : null;

    const caseLink = caseNo(t.case_number) > 0
      ? h('section', { class: 'card', 'data-testid': 'ticket-case' },
        h('h2', null, '代办件'),
        h('p', { class: 'case-note' }, '已转为代办件 ', h('a', { href: `#/cases/${caseNo(t.case_number)}`, class: 'case-link' }, `#${caseNo(t.case_number)}`), '，后续在代办件里办理。'))
      : null;

    // Actions: 收到 / 到场 / 解除 / 转代办 for an emergency, 答复 for the rest.
    const bar = h('div', { class: 'action-bar', id: 'ticket-actions' });
    const forms = [];
    const button = (action, label, cls) => {
      const b = h('button', { type: 'button', class: `btn ${cls || ''}`, dataset: { action } }, label);
      buttons.push(b);
      bar.append(b);
      return b;
    };
    // An inline form opened by a button: its fields, a confirm button, a cancel button.
    const inlineForm = (opener, fields, confirmLabel, confirmAction, confirmCls, onConfirm) => {
      const confirmBtn = h('button', { type: 'button', class: `btn ${confirmCls}`, dataset: { action: confirmAction } }, confirmLabel);
      const cancelBtn = h('button', { type: 'button', class: 'btn btn-quiet' }, '取消');
      const form = h('div', { class: 'inline-form', hidden: true, dataset: { form: confirmAction } }, fields, confirmBtn, cancelBtn);
      forms.push(form);
      opener.addEventListener('click', () => {
        for (const other of forms) other.hidden = other !== form;
        for (const b of buttons) b.hidden = false;
        form.hidden = false;
        opener.hidden = true;
        const first = form.querySelector('input, textarea');
        if (first) first.focus();
      });
      cancelBtn.addEventListener('click', () => { form.hidden = true; opener.hidden = false; });
      confirmBtn.addEventListener('click', () => onConfirm(confirmBtn));
      return form;
    };
    let answerForm = null;
    if (emergency) {
      if (t.open) {
        if (!t.acknowledged_at) button('ack', '收到', 'btn-primary btn-danger');
        if (!t.on_site_at) button('on_site', '到场', t.acknowledged_at ? 'btn-primary' : '');
        for (const b of buttons) b.addEventListener('click', () => act({ action: b.dataset.action }));
        const note = h('input', { type: 'text', id: 'stand-down-note', placeholder: '说明（可不填），如：大棚已加固，损失已登记', maxlength: 200, 'aria-label': '解除说明' });
        const standDown = button('stand_down', '解除');
        const f = inlineForm(standDown, [note], '确认解除', 'stand-down-confirm', 'btn-primary', (c) => act({ action: 'stand_down', text: note.value.trim() }, [c]));
        note.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') f.querySelector('[data-action="stand-down-confirm"]').click(); });
      }
      if (!caseNo(t.case_number) && t.status !== 'withdrawn') {
        const toCase = button('to_case', '转代办');
        inlineForm(toCase, [h('span', { class: 'confirm-text' }, '为居民开一件救灾救助代办件，现场照片一并登记。')], '确认转代办', 'to-case-confirm', 'btn-primary', (c) => act({ action: 'to_case' }, [c]));
      }
    } else if (t.open) {
      const text = h('textarea', { id: 'answer-text', rows: 4, maxlength: 500, placeholder: '给居民的答复（必填），会原样转给居民。', 'aria-label': '答复内容' });
      const err = h('p', { class: 'form-error small', hidden: true }, '请写答复内容，居民会收到这段话。');
      const send = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'answer' } }, '发送答复');
      buttons.push(send);
      const submit = () => {
        const v = text.value.trim();
        if (!v) { err.hidden = false; text.classList.add('invalid'); text.focus(); return; }
        act({ action: 'answer', text: v });
      };
      send.addEventListener('click', submit);
      text.addEventListener('input', () => { err.hidden = true; text.classList.remove('invalid'); });
      text.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) submit(); });
      answerForm = h('div', { class: 'answer-form', id: 'answer-form' }, text, err, h('div', { class: 'answer-foot' }, h('span', { class: 'muted small' }, 'Ctrl+Enter 也可发送'), send));
    }
    const actionsCard = buttons.length
      ? h('section', { class: 'card', 'data-testid': 'ticket-actions' }, h('h2', null, '操作'), bar.children.length ? bar : null, ...forms, answerForm)
      : null;

    const timeline = h('section', { class: 'card' }, h('h2', null, '经过'),
      hist.length ? h('ol', { class: 'timeline', id: 'timeline' }, hist.map((e) => h('li', { dataset: { what: e.what || '' } },
        h('time', null, fmtTime(e.at)),
        h('div', null, h('strong', null, e.label || TICKET_EVENT_LABEL[e.what] || e.what), ' ',
          h('span', { class: 'muted' }, e.who_name === 'bot' ? '系统' : e.who_name || ''),
          historyWhy(e) ? h('div', { class: 'why' }, historyWhy(e)) : null))))
        : h('p', { class: 'muted' }, '还没有记录。'));

    root.replaceChildren(
      h('p', { class: 'crumbs' }, h('a', { href: '#/tickets' }, '‹ 急事与诉求')),
      head,
      noticeBox,
      h('div', { class: 'grid grid-case' },
        h('div', { class: 'stack' }, words, answer, caseLink, actionsCard),
        h('div', { class: 'stack' }, timeline)));
    if (notice) showNotice(notice);
  }

  function historyWhy(e) {
    const why = e.why || '';
    if (!why) return '';
    if (e.what === 'rated' || e.what === 'reopened') return /^\d$/.test(why) ? `${why} 分` : why;
    if (e.what === 'escalated') return `上报到${LEVEL_WORDS[why] || why}`;
    if (e.what.startsWith('deadline:')) return `时限 ${why}`;
    if (e.what === 'to_case') return `代办件 ${why}`;
    return why;
  }

  // ---------- monthly report ----------

  function renderReport(id, query) {
    const month = /^\d{4}-\d{2}$/.test(query.get('month') || '') ? query.get('month') : monthRange(-1).month;
    const scopeSel = h('select', { id: 'r-scope', 'aria-label': '范围' }, scopeOptions(query.get('scope') || ownScope()));
    if (query.get('scope') && [...scopeSel.options].some((o) => o.value === query.get('scope'))) scopeSel.value = query.get('scope');
    const monthIn = h('input', { type: 'month', id: 'r-month', value: month, max: monthRange(0).month });
    const go = () => { location.hash = `#/report${qs({ month: monthIn.value, scope: scopeSel.value })}`; };
    monthIn.addEventListener('change', () => { if (/^\d{4}-\d{2}$/.test(monthIn.value)) go(); });
    scopeSel.addEventListener('change', go);
    const params = { month, scope: scopeSel.value };
    const csv = h('a', { class: 'btn', id: 'r-csv', href: `${API}/report${qs({ ...params, format: 'csv' })}`, download: `通报-${month}.csv` }, '下载 CSV');
    const print = h('a', { class: 'btn', id: 'r-print', href: `${API}/report${qs({ ...params, format: 'html' })}`, target: '_blank', rel: 'noopener' }, '打印版');
    const out = h('section', { class: 'card', id: 'report' }, h('p', { class: 'loading' }, '正在加载…'));
    page('月度通报',
      h('form', { class: 'filters card', onsubmit: (ev) => { ev.preventDefault(); go(); } },
        h('label', { class: 'field' }, h('span', null, '月份'), monthIn),
        h('label', { class: 'field' }, h('span', null, '范围'), scopeSel),
        h('div', { class: 'filters-end' }, csv, print)),
      out);
    (async () => {
      try {
        const r = await api(`/report${qs({ ...params, format: 'json' })}`);
        if (!current(id)) return;
        const cols = r.columns || [];
        const rows = r.rows || [];
        const withName = cols.length === ((rows[0] && rows[0].cells) || []).length;
        const dataCols = withName ? cols : cols.slice(1);
        out.replaceChildren(
          h('h2', null, `${r.month || month} 通报`, h('span', { class: 'muted small' }, `（${scopeName(params.scope)}；灰色小字为 ${r.previous || '上月'} 的数）`)),
          rows.length
            ? h('div', { class: 'table-wrap' }, h('table', { class: 'table report-table', 'data-testid': 'report-table' },
              h('thead', null, h('tr', null, h('th', null, withName ? '范围' : cols[0]), dataCols.map((c) => h('th', { class: 'num' }, c)))),
              h('tbody', null, rows.map((row) => h('tr', { dataset: { scope: row.scope || '' }, class: String(row.scope || '').startsWith('agent:') || String(row.name || '').startsWith('代理员') ? 'row-sub' : '' },
                h('th', { scope: 'row' }, row.name),
                (row.cells || []).map((cell, i) => h('td', { class: 'num' },
                  h('div', null, cell === null || cell === undefined || cell === '' ? '—' : String(cell)),
                  row.previous && row.previous[i] !== undefined ? h('div', { class: 'prev' }, String(row.previous[i] ?? '—')) : null)))))))
            : h('p', { class: 'muted' }, '这个月没有数据。'));
      } catch (e) {
        if (!current(id) || e.status === 401) return;
        out.replaceChildren(errorBox(e, go));
      }
    })();
  }

  document.addEventListener('DOMContentLoaded', boot);
})();
