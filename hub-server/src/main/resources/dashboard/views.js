// The views. Each returns an element built from the state; every value an agent wrote is a text node.
import {h, fill, ago, until, table} from './dom.js';

const admin = (ctx) => ctx.state.you && String(ctx.state.you.role).toLowerCase() === 'admin';
const level = (l) => 'lvl-' + String(l || 'unknown').toLowerCase();
const CONTEXT_WARN = 150000;
const CONTEXT_TRANSFER = 180000;
const enc = encodeURIComponent;
const NUMBER = new Intl.NumberFormat('en');

// The overview: its frame (with the admin's tier control) is built once; the cards and metrics refresh in place.
export function overview(ctx) {
  const tier = (((ctx.state.overview || {}).status || {}).tier) || {};
  return h('section', {id: 'overview'},
    h('div', {id: 'overview-live'}),
    admin(ctx) ? tierControl(ctx, tier) : null);
}
overview.live = true;
overview.update = (_, ctx) => {
  const box = document.getElementById('overview-live');
  if (box) fill(box, overviewBody(ctx));
};

function overviewBody(ctx) {
  const o = ctx.state.overview || {};
  const st = o.status || {};
  const tier = st.tier || {};
  const budget = o.budget || {};
  const store = o.store || {};
  const selfTest = o.selfTest;
  const metrics = (st.metrics || []).map((m) => h('tr', {class: level(m.level), 'data-metric': m.name},
    h('td', null, m.name), h('td', {class: 'num'}, m.display), h('td', null, String(m.level).toLowerCase()),
    h('td', null, m.thresholds), h('td', null, m.basis)));
  const t = budget.thresholdsUsd || {};
  const spend = Number(budget.fleetSpendUsd || 0);
  const spendLevel = spend >= t.throttle ? 'critical' : spend >= t.warn ? 'warning' : 'good';
  const agents = [...ctx.state.agents.values()];
  const online = agents.filter((a) => String(a.presence).toLowerCase() === 'online' && !a.disabled).length;
  const queued = ctx.state.pools.reduce((n, p) => n + p.queueDepth, 0);
  const oldest = Math.max(0, ...ctx.state.pools.map((p) => (p.queueDepth ? p.oldestAgeSeconds : 0)));
  const rolling = ctx.state.rollouts.filter((r) => ACTIVE.has(r.stage)).length;
  return [
    h('div', {class: 'cards'},
      card('Overall', String(st.overall || '').toLowerCase(), level(st.overall), (st.overallReasons || []).join('; ')),
      card('Tier', tier.tier + ' (' + (tier.name || '') + ')', tier.tier > 1 ? 'lvl-warning' : 'lvl-good',
        (tier.reason || '') + (tier.setBy ? ' by ' + tier.setBy : ''), 'tier-card'),
      card('Store', (store.backend || '') + ' ' + (store.status || ''), store.status === 'ok' ? 'lvl-good' : 'lvl-critical',
        store.reason || '', 'store-card'),
      card('Agents online', online + ' of ' + agents.length, online > 0 ? 'lvl-good' : 'lvl-warning', ''),
      card('Leases held', String(ctx.state.leases.size), '', ''),
      card('Tasks queued', String(queued), queued && !online ? 'lvl-warning' : '', queued ? 'oldest waits ' + span(oldest) : '',
        'queue-card'),
      card('Rollouts in progress', String(rolling), '', ctx.state.rollouts.filter((r) => ACTIVE.has(r.stage))
        .map((r) => r.pool + ' ' + r.stage + ' ' + r.weight + '%').join(', ')),
      card('Spend today', '$' + spend.toFixed(2), 'lvl-' + spendLevel,
        'info $' + t.info + ' / warn $' + t.warn + ' / throttle $' + t.throttle + ' / halt $' + t.halt),
      card('Alerts firing', String((o.alerts || []).length), (o.alerts || []).length ? 'lvl-critical' : 'lvl-good',
        (o.alerts || []).map((a) => a.name).join(', ')),
      card('Self-test', selfTest ? selfTest.passed + ' of ' + (selfTest.passed + selfTest.failed) + ' passing' : 'not run yet',
        !selfTest ? '' : selfTest.failed ? 'lvl-critical' : 'lvl-good',
        selfTest ? 'ran ' + ago(selfTest.at) + ' (' + selfTest.trigger + ')' : '', 'selftest-card')),
    admin(ctx) && (budget.halts || []).length ? haltControl(ctx, budget.halts) : null,
    h('h2', null, 'Key metrics'),
    table(['metric', 'value', 'level', 'thresholds', 'basis'], metrics, {id: 'metrics'}),
    h('p', {class: 'hint'}, 'As of ' + (st.at || '') + ', over the last ' + (st.windowSeconds || 0) + ' s.')];
}

function card(title, value, cls, detail, id) {
  return h('div', {class: 'card ' + (cls || ''), id},
    h('div', {class: 'card-title'}, title), h('div', {class: 'card-value'}, value),
    h('div', {class: 'card-detail'}, detail));
}

function tierControl(ctx, tier) {
  const select = h('select', {id: 'tier-select'}, [1, 2, 3, 4].map((n) => h('option', {value: n, selected: n === tier.tier}, 'tier ' + n)));
  const reason = h('input', {id: 'tier-reason', placeholder: 'reason', value: ''});
  return h('div', {class: 'admin-box'}, h('span', null, 'Set tier: '), select, reason,
    h('button', {id: 'tier-set', type: 'button', onclick: () => ctx.act('Set tier ' + select.value + '?',
      () => ctx.api('api/tier', 'POST', {tier: Number(select.value), reason: reason.value || 'set on the dashboard'}))}, 'Set'));
}

function haltControl(ctx, halts) {
  return h('div', {class: 'admin-box'}, halts.map((x) => h('div', null,
    'Budget halt: ' + x.scope + ' ($' + x.spendUsd + ' since ' + x.since + ') ',
    h('button', {type: 'button', class: 'ack-halt', onclick: () => ctx.act('Acknowledge the halt of ' + x.scope + '?',
      () => ctx.api('api/budget/acknowledge', 'POST', {agentId: x.scope === 'fleet' ? null : x.scope, note: 'dashboard'}))},
    'Acknowledge'))));
}

// Agents: sortable, filterable; the table body alone is rebuilt on updates.
let filter = '';
let sortKey = 'id';
let sortDir = 1;
let selected = null;
// The table shows a page of rows at a time: a thousand agents filter and sort in memory, but only a page is drawn.
const PAGE = 100;
let pageStart = 0;
const columns = [
  ['id', 'agent'], ['presence', 'presence'], ['status', 'status'], ['currentTask', 'task'],
  ['contextTokens', 'context'], ['version', 'version'], ['pool', 'pool'], ['leases', 'leases'],
  ['lastSeen', 'last seen'], ['stalled', 'stalled'],
];

function agentRows(ctx) {
  const counts = new Map();
  for (const l of ctx.state.leases.values()) counts.set(l.holder, (counts.get(l.holder) || 0) + 1);
  const stalled = new Set((ctx.state.overview && ctx.state.overview.stalled) || []);
  const f = filter.toLowerCase();
  const rows = [];
  for (const a of ctx.state.agents.values()) {
    const r = {
      id: a.id, name: a.name, presence: a.disabled ? 'disabled' : String(a.presence).toLowerCase(), status: a.status,
      currentTask: a.currentTask, contextTokens: a.contextTokens, version: a.labels.version || '',
      pool: a.labels.pool || '', leases: counts.get(a.id) || 0, lastSeen: a.lastSeen, stalled: stalled.has(a.id),
    };
    if (f && ![r.id, r.name, r.presence, r.status, r.currentTask, r.pool, r.version].some((v) => String(v).toLowerCase().includes(f))) continue;
    rows.push(r);
  }
  rows.sort((x, y) => (x[sortKey] < y[sortKey] ? -sortDir : x[sortKey] > y[sortKey] ? sortDir : 0));
  return rows;
}

function agentRow(r) {
  return h('tr', {'data-agent': r.id, class: r.stalled ? 'stalled' : null},
    h('td', {title: r.name}, r.id), h('td', {class: 'p-' + r.presence.toLowerCase()}, r.presence.toLowerCase()),
    h('td', null, String(r.status).toLowerCase()), h('td', null, r.currentTask),
    h('td', {class: 'num ' + (r.contextTokens >= CONTEXT_TRANSFER ? 'lvl-critical' : r.contextTokens >= CONTEXT_WARN ? 'lvl-warning' : '')},
      NUMBER.format(r.contextTokens)),
    h('td', null, r.version), h('td', null, r.pool), h('td', {class: 'num'}, r.leases),
    h('td', {title: r.lastSeen}, ago(r.lastSeen)), h('td', null, r.stalled ? 'stalled' : ''));
}

export function agents(ctx) {
  const input = h('input', {id: 'agent-filter', type: 'search', placeholder: 'filter', value: filter,
    oninput: () => { filter = input.value; pageStart = 0; agents.update(null, ctx); }});
  const turn = (by) => () => { pageStart = Math.max(0, pageStart + by); agents.update(null, ctx); };
  const head = h('tr', null, columns.map(([key, label]) => h('th', {class: 'sortable', 'data-sort': key, onclick: () => {
    sortDir = sortKey === key ? -sortDir : 1;
    sortKey = key;
    pageStart = 0;
    agents.update(null, ctx);
  }}, label)));
  return h('section', {id: 'agents'}, h('div', {class: 'toolbar'}, input, h('span', {id: 'agent-count'}),
    h('button', {type: 'button', id: 'agent-prev', onclick: turn(-PAGE)}, 'Previous'),
    h('span', {id: 'agent-page'}),
    h('button', {type: 'button', id: 'agent-next', onclick: turn(PAGE)}, 'Next')),
    // One listener for every row: rows are rebuilt on updates, the table body is not.
    h('table', {id: 'agent-table'}, h('thead', null, head), h('tbody', {onclick: (ev) => {
      const row = ev.target.closest('tr[data-agent]');
      if (row) openAgent(ctx, row.dataset.agent);
    }})),
    h('div', {id: 'agent-detail'}, selected ? null : h('p', {class: 'hint'}, 'Click an agent for its trail, checkpoints, usage and messages.')));
}
agents.live = true;
// The rows are redrawn only when what they show changed (or every 10 s, for "last seen"), so that a row stays the
// same element while someone points at it.
let agentsShown = [];
agents.update = (_, ctx) => {
  const body = document.querySelector('#agent-table tbody');
  if (!body) return;
  const inputs = [body, ctx.state.agents, ctx.state.leases, ((ctx.state.overview && ctx.state.overview.stalled) || []).join('\n'),
    filter, sortKey, sortDir, pageStart, Math.floor(Date.now() / 10000)];
  if (inputs.every((x, i) => x === agentsShown[i])) return;
  agentsShown = inputs;
  const rows = agentRows(ctx);
  if (pageStart >= rows.length) pageStart = Math.max(0, Math.floor((rows.length - 1) / PAGE) * PAGE);
  const shown = rows.slice(pageStart, pageStart + PAGE);
  fill(body, shown.map(agentRow));
  fill(document.getElementById('agent-count'), rows.length + ' of ' + ctx.state.agents.size);
  fill(document.getElementById('agent-page'), rows.length > PAGE
    ? 'rows ' + (pageStart + 1) + '-' + (pageStart + shown.length) : '');
  document.getElementById('agent-prev').disabled = pageStart === 0;
  document.getElementById('agent-next').disabled = pageStart + PAGE >= rows.length;
};

async function openAgent(ctx, id) {
  selected = id;
  const box = document.getElementById('agent-detail');
  const a = ctx.state.agents.get(id);
  const parts = [h('h2', null, 'Agent ' + id), h('p', null, (a && a.name) || '')];
  if (admin(ctx) && a) {
    parts.push(a.disabled
      ? h('button', {type: 'button', id: 'agent-enable', onclick: () => ctx.act('Enable ' + id + '?', () => ctx.api('api/agents/' + enc(id) + '/enable', 'POST', {}))}, 'Enable')
      : h('button', {type: 'button', id: 'agent-disable', onclick: () => ctx.act('Disable ' + id + '?', () => ctx.api('api/agents/' + enc(id) + '/disable', 'POST', {reason: 'disabled on the dashboard'}))}, 'Disable'));
  }
  const trail = h('div', null, 'loading');
  const checkpoints = h('div', null, 'loading');
  const usage = h('div', null, 'loading');
  const msgs = ctx.state.messages.filter((m) => m.author === id || m.to === id || (m.mentions || []).includes(id));
  parts.push(h('h3', null, 'Trail'), trail, h('h3', null, 'Checkpoints'), checkpoints, h('h3', null, 'Usage today'), usage,
    h('h3', null, 'Messages'), messageList(msgs));
  fill(box, parts);
  const q = '?agentId=' + enc(id);
  ctx.api('api/trace' + q + '&limit=50').then((t) => fill(trail, table(['at', 'kind', 'action', 'subject', 'outcome'],
    t.entries.map((e) => h('tr', null, h('td', null, e.at), h('td', null, e.kind), h('td', null, e.action), h('td', null, e.subject), h('td', null, e.outcome))))))
    .catch((e) => fill(trail, e.message));
  ctx.api('api/checkpoints' + q + '&limit=10').then((c) => fill(checkpoints, c.latest
    ? [h('p', null, 'v' + c.latest.version + ': ' + (c.latest.task || '') + ' - ' + (c.latest.progress || '')),
      table(['version', 'at'], c.versions.map((v) => h('tr', null, h('td', null, v.version), h('td', null, v.createdAt || v.at || ''))))]
    : 'none'))
    .catch((e) => fill(checkpoints, e.message));
  ctx.api('api/usage' + q).then((u) => fill(usage, u.total.calls + ' calls, ' +
    (u.total.inputTokens + u.total.outputTokens) + ' tokens, $' + u.total.costUsd))
    .catch((e) => fill(usage, e.message));
}

function messageList(list) {
  return h('ol', {class: 'messages'}, list.map((m) => h('li', {class: 'msg msg-' + String(m.kind).toLowerCase(), 'data-cursor': m.cursor},
    h('span', {class: 'when', title: m.createdAt}, ago(m.createdAt)), ' ',
    h('span', {class: 'author'}, m.author), ' ',
    h('span', {class: 'where'}, String(m.kind).toLowerCase() === 'chat' ? '#' + m.channel : '\u2192 ' + m.to), ' ',
    h('span', {class: 'text'}, m.text))));
}

export function leases(ctx) {
  const rows = [...ctx.state.leases.values()].sort((a, b) => a.resource.localeCompare(b.resource)).map((l) => h('tr', {'data-resource': l.resource},
    h('td', null, l.resource), h('td', null, l.holder), h('td', {class: 'num'}, l.token), h('td', {title: l.expiresAt}, until(l.expiresAt)),
    h('td', null, l.note || ''),
    admin(ctx) ? h('td', null, h('button', {type: 'button', class: 'force-release', onclick: () => ctx.act('Force-release ' + l.resource + ' held by ' + l.holder + '?',
      () => ctx.api('api/leases/force-release', 'POST', {resource: l.resource, reason: 'released on the dashboard'}))}, 'Force-release')) : null));
  const metrics = (ctx.state.overview && ctx.state.overview.status && ctx.state.overview.status.metrics) || [];
  const conflicts = metrics.find((m) => /conflict/i.test(m.name));
  return h('section', {id: 'leases'}, h('p', null, ctx.state.leases.size + ' leases held' + (conflicts ? '; conflicts ' + conflicts.display + ' (' + conflicts.basis + ')' : '')),
    table(['resource', 'holder', 'token', 'expires', 'note', admin(ctx) ? '' : null].filter((x) => x !== null), rows, {id: 'lease-table'}));
}
leases.live = true;

export function handoffs(ctx) {
  return h('section', {id: 'handoffs'}, table(['id', 'from', 'to', 'status', 'task', 'created'],
    ctx.state.handoffs.map((x) => h('tr', null, h('td', null, x.id), h('td', null, x.from), h('td', null, x.to || x.pool || ''),
      h('td', null, String(x.status).toLowerCase()), h('td', null, x.task || x.summary || ''), h('td', null, ago(x.createdAt))))));
}
handoffs.live = true;

export function errors(ctx) {
  return h('section', {id: 'errors'}, table(['issue', 'level', 'message', 'culprit', 'events', 'last seen', ''],
    ctx.state.errors.map((x) => h('tr', {'data-issue': x.id}, h('td', null, x.id), h('td', null, String(x.level).toLowerCase()),
      h('td', null, x.message || x.title || ''), h('td', null, x.culprit || ''), h('td', {class: 'num'}, x.count ?? x.events ?? ''),
      h('td', null, ago(x.lastSeen)),
      admin(ctx) ? h('td', null, h('button', {type: 'button', class: 'resolve', onclick: () => ctx.act('Resolve issue ' + x.id + '?',
        () => ctx.api('api/errors/' + enc(x.id), 'PATCH', {status: 'resolved'}))}, 'Resolve')) : h('td', null)))));
}
errors.live = true;

// Alerts: the rules and their history, from the stream (redrawn when they changed).
export function alerts() {
  alertsShown = null;
  return h('section', {id: 'alerts'}, 'loading');
}
alerts.live = true;
let alertsShown = null;
alerts.update = (_, ctx) => {
  const box = document.getElementById('alerts');
  const a = ctx.state.alerts;
  if (!box || !a || !a.rules || alertsShown === a) return;
  alertsShown = a;
  fill(box,
    h('h2', null, 'Rules'),
    table(['rule', 'severity', 'state', 'since', 'value', 'summary'], a.rules.map((r) => h('tr', {'data-rule': r.name, class: String(r.state).toLowerCase() === 'firing' ? 'lvl-critical' : ''},
      h('td', null, r.name), h('td', null, String(r.severity).toLowerCase()), h('td', {class: 'rule-state'}, String(r.state).toLowerCase()),
      h('td', null, r.since || ''), h('td', null, r.value ?? ''), h('td', null, r.summary || '')))),
    h('h2', null, 'History'),
    table(['at', 'rule', 'change'], a.history.map((x) => h('tr', null, h('td', null, x.at || ''), h('td', null, x.rule || x.name || ''),
      h('td', null, String(x.kind || x.status || x.state || x.change || '').toLowerCase())))));
};

// Chat is redrawn only when messages arrived, not on every other change.
let chatShown = null;
export function chat() {
  chatShown = null;
  return h('section', {id: 'chat'}, h('ol', {class: 'messages'}));
}
chat.live = true;
chat.update = (_, ctx) => {
  const box = document.getElementById('chat');
  if (!box || chatShown === ctx.state.messages) return;
  chatShown = ctx.state.messages;
  fill(box, messageList(ctx.state.messages.slice().reverse()));
};

// Memories: the newest from the stream; a search runs on the hub and runs again when memories change.
let memoriesShown = null;
let memorySearch = null;
function memoryTable(list) {
  return table(['category', 'content', 'tags', 'author', 'at'], list.map((m) => h('tr', {'data-memory': m.id}, h('td', null, String(m.category).toLowerCase()),
    h('td', {class: 'memory-content'}, m.content), h('td', null, (m.tags || []).join(', ')), h('td', null, m.author || m.agentId || ''), h('td', null, ago(m.createdAt)))));
}
export function memories(ctx) {
  const q = h('input', {id: 'memory-query', type: 'search', placeholder: 'search memories'});
  const list = h('div', {id: 'memory-list'});
  memoriesShown = null;
  memorySearch = () => {
    if (!q.value) { memoriesShown = null; memories.update(null, ctx); return; }
    ctx.api('api/memories?limit=50&q=' + enc(q.value)).then((r) => { if (q.value) fill(list, memoryTable(r.memories)); })
      .catch((e) => fill(list, e.message));
  };
  q.addEventListener('change', memorySearch);
  return h('section', {id: 'memories'}, h('div', {class: 'toolbar'}, q, h('button', {type: 'button', id: 'memory-search', onclick: memorySearch}, 'Search')), list);
}
memories.live = true;
memories.update = (_, ctx) => {
  const list = document.getElementById('memory-list');
  const q = document.getElementById('memory-query');
  if (!list || memoriesShown === ctx.state.memories) return;
  memoriesShown = ctx.state.memories;
  if (q && q.value) memorySearch();
  else fill(list, memoryTable(ctx.state.memories || []));
};

export function charts(ctx) {
  const range = h('select', {id: 'chart-range'}, [['1h', 'last hour'], ['6h', 'last 6 hours'], ['24h', 'last 24 hours'],
    ['48h', 'last 48 hours']].map(([r, label]) => h('option', {value: r}, label)));
  const box = h('div', {id: 'chart-box'});
  // The charts (and uPlot) load when the view is first opened, not with the first page.
  const load = () => Promise.all([import('./charts.js'), ctx.api('api/dashboard/series?range=' + range.value + '&days=7')])
    .then(([charts, s]) => charts.drawCharts(box, s)).catch((e) => fill(box, e.message));
  // The charts follow the clock while the view is open: one read a minute, not per event.
  const timer = setInterval(() => { if (box.isConnected) load(); else clearInterval(timer); }, 60000);
  range.addEventListener('change', load);
  setTimeout(load, 0);
  return h('section', {id: 'charts'}, h('div', {class: 'toolbar'}, 'Range: ', range), box);
}

// The audit log (admins): the newest events from the stream, newest first.
let auditShown = null;
export function audit() {
  auditShown = null;
  return h('section', {id: 'audit'}, 'loading');
}
audit.live = true;
audit.update = (_, ctx) => {
  const box = document.getElementById('audit');
  if (!box || auditShown === ctx.state.audit) return;
  auditShown = ctx.state.audit;
  fill(box, table(['seq', 'at', 'actor', 'action', 'subject', 'details'],
    ctx.state.audit.slice().reverse().map((e) => h('tr', {'data-seq': e.seq}, h('td', null, e.seq), h('td', null, e.at), h('td', null, e.actor),
      h('td', {class: 'audit-action'}, e.action), h('td', null, e.subject), h('td', null, JSON.stringify(e.details))))));
};

/** "3m 20s"-style duration of a number of seconds. */
function span(seconds) {
  const s = Math.max(0, Math.round(Number(seconds) || 0));
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
  if (s < 86400) return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
  return Math.floor(s / 86400) + 'd ' + Math.floor((s % 86400) / 3600) + 'h';
}
const pct = (x) => (x == null ? '' : (Number(x) * 100).toFixed(1) + '%');
const fixed = (x, n) => (x == null ? '' : Number(x).toFixed(n));

// The work queue: depth and oldest task per pool, and the open tasks by state with their titles.
const TASK_STATES = [
  ['queued', 'Queued'], ['claimed', 'Claimed'], ['failed', 'Failed, waiting for a retry'],
];
export function queue() {
  queueShown = [];
  return h('section', {id: 'queue'}, h('div', {id: 'queue-live'}));
}
queue.live = true;
let queueShown = [];
queue.update = (_, ctx) => {
  const box = document.getElementById('queue-live');
  const inputs = [box, ctx.state.tasks, ctx.state.pools, Math.floor(Date.now() / 5000)];
  if (!box || inputs.every((x, i) => x === queueShown[i])) return;
  queueShown = inputs;
  const pools = ctx.state.pools.map((p) => h('tr', {'data-pool': p.pool, class: p.queueDepth > 0 && p.online === 0 ? 'lvl-warning' : null},
    h('td', null, p.pool), h('td', {class: 'num queue-depth'}, p.queueDepth),
    h('td', {class: 'num'}, p.queueDepth ? span(p.oldestAgeSeconds) : ''),
    h('td', {class: 'num'}, p.online), h('td', {class: 'num'}, p.busy), h('td', {class: 'num'}, pct(p.utilisation))));
  const all = [...ctx.state.tasks.values()];
  const counts = TASK_STATES.map(([s, label]) => label.split(',')[0].toLowerCase() + ' ' + all.filter((t) => t.state === s).length);
  const sections = TASK_STATES.map(([s, label]) => {
    const list = all.filter((t) => t.state === s);
    return [h('h3', null, label + ' (' + list.length + ')'), list.length ? table(
      ['task', 'title', 'pool', 'priority', s === 'claimed' ? 'holder' : 'attempts', s === 'claimed' ? 'claim ends' : 'waiting', 'note'],
      list.map((t) => h('tr', {'data-task': t.id, 'data-state': t.state},
        h('td', null, t.id), h('td', {class: 'task-title'}, t.title), h('td', null, t.pool), h('td', {class: 'num'}, t.priority),
        h('td', null, s === 'claimed' ? t.holder : t.attempts + ' of ' + t.maxAttempts),
        h('td', {title: s === 'claimed' ? t.claimExpiresAt : t.createdAt}, s === 'claimed' ? until(t.claimExpiresAt)
          : s === 'failed' ? 'retry ' + until(t.retryAt) : ago(t.createdAt)),
        h('td', null, t.waitingOn ? 'waits on ' + t.waitingOn + ' task(s)' : t.reason || ''))),
      {id: 'tasks-' + s}) : h('p', {class: 'hint'}, 'none')];
  });
  fill(box, h('h2', null, 'Queue by pool'),
    table(['pool', 'queue depth', 'oldest task', 'agents online', 'busy', 'utilisation'], pools, {id: 'queue-pools'}),
    h('p', {class: 'hint', id: 'task-counts'}, 'Open tasks: ' + counts.join(', ') + ' (up to 200 of each state, oldest first).'),
    sections);
};

// Pools: agents by version, utilisation and the scaling advice (GET /api/pools and /api/scaling).
export function pools(ctx) {
  const list = ctx.state.pools;
  if (!list.length) return h('section', {id: 'pools'}, h('p', {class: 'hint'}, 'No pools yet: agents report one with the label pool.'));
  return h('section', {id: 'pools'}, list.map((p) => h('div', {class: 'pool', 'data-pool': p.pool},
    h('h2', null, 'Pool ' + p.pool),
    h('div', {class: 'cards'},
      card('Agents', p.online + ' online of ' + p.agents, p.online ? 'lvl-good' : 'lvl-warning', p.busy + ' busy'),
      card('Utilisation', pct(p.utilisation), p.utilisation >= 0.9 ? 'lvl-warning' : 'lvl-good', 'busy / online'),
      card('Queue', String(p.queueDepth), p.queueDepth && !p.online ? 'lvl-critical' : '', p.queueDepth ? 'oldest ' + span(p.oldestAgeSeconds) : ''),
      card('Scaling', String(p.action).toLowerCase() + (p.count ? ' ' + p.count : ''), String(p.action).toLowerCase() === 'hold' ? '' : 'lvl-warning', p.reason || '')),
    table(['version', 'online', 'stale', 'offline', 'busy', 'claims/min', 'done', 'failed', 'lost', 'success', 'mean task'],
      (p.versions || []).map((v) => h('tr', {'data-version': v.version},
        h('td', null, v.version || '(none)'), h('td', {class: 'num'}, v.online), h('td', {class: 'num'}, v.stale),
        h('td', {class: 'num'}, v.offline), h('td', {class: 'num'}, v.busy), h('td', {class: 'num'}, fixed(v.claimsPerMinute, 1)),
        h('td', {class: 'num'}, v.done), h('td', {class: 'num'}, v.failed), h('td', {class: 'num'}, v.lost),
        h('td', {class: 'num'}, pct(v.successRate)), h('td', {class: 'num'}, v.meanTaskSeconds == null ? '' : span(v.meanTaskSeconds))))))));
}
pools.live = true;

// Rollouts: stage and health of each canary, the colours of each blue-green, the flags; actions for admins.
export function rollouts(ctx) {
  const isAdmin = admin(ctx);
  rolloutsShown = null;
  const flags = isAdmin ? h('div', {id: 'flag-list'}, 'loading') : null;
  if (isAdmin) loadFlags(ctx, flags);
  return h('section', {id: 'rollouts'}, h('div', {id: 'rollouts-live'}),
    isAdmin ? startForms(ctx) : null,
    isAdmin ? [h('h2', null, 'Feature flags'), flags] : null);
}
rollouts.live = true;
let rolloutsShown = null;
rollouts.update = (_, ctx) => {
  const box = document.getElementById('rollouts-live');
  if (!box || rolloutsShown === ctx.state.rollouts) return;
  rolloutsShown = ctx.state.rollouts;
  fill(box, ctx.state.rollouts.length
    ? ctx.state.rollouts.map((r) => rolloutCard(ctx, r))
    : h('p', {class: 'hint'}, 'No rollouts. An admin starts one here or with hub rollout canary / hub rollout bluegreen.'));
};

const ACTIVE = new Set(['running', 'paused', 'testing', 'verified', 'verify-failed']);

/** Which colour takes production tasks: blue (the baseline) until the switch, then green (the candidate). */
function colours(r) {
  const live = r.stage === 'switched' ? 'green' : 'blue';
  return h('p', {class: 'colours'},
    h('span', {class: 'colour blue' + (live === 'blue' ? ' live' : '')}, 'blue ' + (r.baseline || '(none)')), ' ',
    h('span', {class: 'colour green' + (live === 'green' ? ' live' : '')}, 'green ' + r.candidate), ' ',
    'production: ' + live + (r.stage === 'switched' ? '' : '; tasks labelled test: green'));
}

function rolloutCard(ctx, r) {
  const canary = r.strategy === 'canary';
  const health = r.health || {};
  const side = (name, s) => s ? h('tr', null, h('td', null, name), h('td', {class: 'num'}, s.completed), h('td', {class: 'num'}, s.failed),
    h('td', {class: 'num'}, s.errors), h('td', {class: 'num'}, pct(s.errorRate)), h('td', {class: 'num'}, s.meanDurationMs + ' ms')) : null;
  const bad = r.stage === 'rolled-back' || r.stage === 'verify-failed';
  return h('div', {class: 'rollout', 'data-rollout': r.pool},
    h('h2', null, 'Pool ' + r.pool + ': ' + r.strategy),
    h('div', {class: 'cards'},
      card('Stage', r.stage, bad ? 'lvl-critical' : ACTIVE.has(r.stage) ? 'lvl-warning' : 'lvl-good',
        r.nextEvaluation ? 'next check ' + until(r.nextEvaluation) : '', 'stage-' + r.pool),
      card(canary ? 'Canary weight' : 'Candidate weight', r.weight + '%', '',
        canary ? 'step ' + (r.step + 1) + ' of ' + r.steps.length + ' (' + r.steps.join(', ') + ' %), hold ' + span(r.holdSeconds) : r.verification || 'not verified yet'),
      card('Versions', (r.baseline || '(none)') + ' \u2192 ' + r.candidate, '', 'started by ' + r.startedBy + ' ' + ago(r.createdAt)),
      canary ? card('Limits', 'errors \u2264 ' + pct(r.maxErrorRate), '', 'latency \u2264 ' + r.maxLatencyRatio + '\u00d7 baseline') : null),
    canary ? null : colours(r),
    h('h3', null, 'Health in this step'),
    table(['side', 'done', 'failed', 'error reports', 'error rate', 'mean task'],
      [side('baseline ' + (r.baseline || ''), health.baseline), side('candidate ' + r.candidate, health.candidate)]),
    admin(ctx) ? rolloutActions(ctx, r) : null,
    h('h3', null, 'Decisions'),
    h('ol', {class: 'decisions'}, r.log.slice(-10).reverse().map((d) => h('li', null,
      h('span', {class: 'when', title: d.at}, ago(d.at)), ' ', h('span', {class: 'author'}, d.by), ' ', d.action + ': ', d.detail))));
}

/** The admin's buttons for the stage a rollout is in; each is the REST route's call. */
function rolloutActions(ctx, r) {
  const p = enc(r.pool);
  const acts = {
    running: [['pause'], ['promote'], ['rollback']],
    paused: [['resume'], ['promote'], ['rollback']],
    testing: [['verify'], ['switch', {force: true}, 'switch (force)'], ['rollback']],
    verified: [['verify'], ['switch'], ['rollback']],
    'verify-failed': [['verify'], ['switch', {force: true}, 'switch (force)'], ['rollback']],
    switched: [['rollback'], ['end']],
    promoted: [['end']],
    'rolled-back': [['end']],
  }[r.stage] || [];
  return h('div', {class: 'admin-box'}, acts.map(([name, body, label]) => h('button', {
    type: 'button', class: 'rollout-action', 'data-action': name,
    onclick: () => rolloutAct(ctx, r, capital(label || name) + ' the rollout of pool ' + r.pool + '?',
      () => name === 'end' ? ctx.api('api/rollouts/' + p, 'DELETE') : ctx.api('api/rollouts/' + p + '/' + name, 'POST', body || {})),
  }, label || name)));
}

/** Runs a rollout action; its answer replaces the rollout on the page at once (the stream confirms it shortly). */
async function rolloutAct(ctx, r, question, call) {
  const out = await ctx.act(question, call, (x) => (x && x.stage ? 'stage ' + x.stage + ', weight ' + x.weight + '%' : 'ended'));
  if (!out) return;
  ctx.state.rollouts = out.stage
    ? ctx.state.rollouts.map((x) => (x.pool === out.pool ? Object.assign({health: x.health}, out) : x))
    : ctx.state.rollouts.filter((x) => x.pool !== r.pool);
  ctx.render();
}

const capital = (x) => x.charAt(0).toUpperCase() + x.slice(1);

function field(id, placeholder, title) {
  return h('input', {id, placeholder, title: title || placeholder, size: 12});
}

function startForms(ctx) {
  const c = {pool: field('canary-pool', 'pool'), version: field('canary-version', 'version'),
    baseline: field('canary-baseline', 'baseline (optional)'), steps: field('canary-steps', 'steps, e.g. 10,50,100'),
    hold: field('canary-hold', 'hold, e.g. 30m'), maxErrorRate: field('canary-max-error', 'max errors, e.g. 5%')};
  const b = {pool: field('bg-pool', 'pool'), green: field('bg-green', 'green version'), blue: field('bg-blue', 'blue (optional)')};
  const value = (o) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'pool').map(([k, v]) => [k, v.value || null]));
  const start = (kind, o, what) => rolloutStart(ctx, 'Start ' + what + ' in pool ' + o.pool.value + '?',
    () => ctx.api('api/rollouts/' + enc(o.pool.value) + '/' + kind, 'POST', value(o)));
  return h('div', {class: 'admin-box', id: 'rollout-start'},
    h('h3', null, 'Start a rollout'),
    h('div', {class: 'toolbar'}, 'Canary: ', Object.values(c),
      h('button', {type: 'button', id: 'canary-start', onclick: () => start('canary', c, 'a canary of ' + c.version.value)}, 'Start canary')),
    h('div', {class: 'toolbar'}, 'Blue-green: ', Object.values(b),
      h('button', {type: 'button', id: 'bg-start', onclick: () => start('bluegreen', b, 'blue-green with green ' + b.green.value)}, 'Start blue-green')));
}

async function rolloutStart(ctx, question, call) {
  const out = await ctx.act(question, call, (x) => 'stage ' + x.stage + ', weight ' + x.weight + '%');
  if (!out) return;
  ctx.state.rollouts = ctx.state.rollouts.filter((x) => x.pool !== out.pool).concat([out]);
  ctx.render();
}

function loadFlags(ctx, box) {
  ctx.api('api/flags/definitions').then((f) => fill(box, f.flags.length ? table(['flag', 'type', 'enabled', 'default', 'rules', 'description', ''],
    f.flags.map((x) => h('tr', {'data-flag': x.key}, h('td', null, x.key), h('td', null, String(x.type).toLowerCase()),
      h('td', null, x.enabled ? 'on' : 'off'), h('td', null, JSON.stringify(x.defaultValue)), h('td', {class: 'num'}, x.rules.length),
      h('td', null, x.description),
      h('td', null, h('button', {type: 'button', class: 'flag-toggle', onclick: () => ctx.act((x.enabled ? 'Disable' : 'Enable') + ' flag ' + x.key + '?',
        () => ctx.api('api/flags/' + enc(x.key), 'POST', {type: String(x.type).toLowerCase(), defaultValue: x.defaultValue, rules: x.rules,
          enabled: !x.enabled, description: x.description})).then((out) => { if (out) loadFlags(ctx, box); })},
      x.enabled ? 'Disable' : 'Enable'))))) : h('p', {class: 'hint'}, 'No flags.')))
    .catch((e) => fill(box, e.message));
}
