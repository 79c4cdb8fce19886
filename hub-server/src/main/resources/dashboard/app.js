// The dashboard: one event stream keeps the state; views render it. No polling.
import {h, fill} from './dom.js';
import * as views from './views.js';

const state = {
  you: null, csrf: null, agents: new Map(), leases: new Map(), messages: [],
  overview: null, handoffs: [], errors: [], tasks: new Map(), pools: [], rollouts: [],
  alerts: null, memories: [], audit: [], ready: false,
};
const MAX_MESSAGES = 500;
const MAX_AUDIT = 500;
const nav = document.getElementById('nav');
const main = document.getElementById('view');

/** Calls the API with the session cookie; changes carry the CSRF token. Returns parsed JSON or throws Error(detail). */
export async function api(path, method = 'GET', body) {
  const headers = {};
  if (method !== 'GET') {
    headers['X-Hub-CSRF'] = state.csrf;
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(path, {method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body)});
  if (res.status === 401) {
    location.replace('login.html');
    throw new Error('Logged out.');
  }
  const json = res.headers.get('Content-Type')?.includes('json') ? await res.json() : null;
  if (!res.ok) throw new Error((json && json.detail) || ('HTTP ' + res.status));
  return json;
}

/** Shows the outcome of an action. */
export function notify(text, bad) {
  const n = document.getElementById('notice');
  n.textContent = text;
  n.className = bad ? 'notice bad' : 'notice';
}

/**
 * Asks, then runs an admin action and reports its result (with {@code describe(answer)} when given). Returns the
 * answer, or undefined when cancelled or refused.
 */
export async function act(question, fn, describe) {
  if (!window.confirm(question)) return;
  try {
    const out = await fn();
    notify('Done: ' + question.replace(/\?$/, '') + (describe ? ': ' + describe(out) : ''));
    return out;
  } catch (e) {
    notify(e.message, true);
  }
}

const ctx = {state, api, act, notify, render: () => schedule()};

const routes = [
  ['overview', 'Overview', views.overview],
  ['agents', 'Agents', views.agents],
  ['leases', 'Leases', views.leases],
  ['queue', 'Queue', views.queue],
  ['pools', 'Pools', views.pools],
  ['rollouts', 'Rollouts', views.rollouts],
  ['handoffs', 'Handoffs', views.handoffs],
  ['errors', 'Errors', views.errors],
  ['alerts', 'Alerts', views.alerts],
  ['chat', 'Chat', views.chat],
  ['memories', 'Memories', views.memories],
  ['charts', 'Charts', views.charts],
];
const adminRoutes = [['audit', 'Audit', views.audit]];

function current() {
  const name = location.hash.replace(/^#\/?/, '').split('/')[0] || 'overview';
  const all = state.you && String(state.you.role).toLowerCase() === 'admin' ? routes.concat(adminRoutes) : routes;
  return all.find((r) => r[0] === name) || all[0];
}

let pending = false;
let shown = null;
function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    const [name, , view] = current();
    for (const a of nav.children) a.classList.toggle('on', a.dataset.view === name);
    if (!state.ready || !state.you) return;
    // Views that fetch on open (charts) keep their DOM; live views re-render.
    // A view with an update function builds its frame once and then refreshes only the changing part, so that
    // controls (the tier select, the filter box) keep their state and elements between events.
    if (view.live || shown !== name) {
      if (shown !== name || !view.update) fill(main, view(ctx));
      if (view.update) view.update(main, ctx);
      shown = name;
    }
    if (main.dataset.ready !== 'true') {
      performance.mark('hub-rendered');
      // The next frame starts once this one was laid out and painted: the first page is on the screen.
      requestAnimationFrame(() => performance.mark('hub-ready'));
    }
    main.dataset.ready = 'true';
  });
}

// A change makes a new map, so that views can tell by identity whether what they show changed.
function upsert(map, change, key) {
  const next = new Map(map);
  for (const x of change.upsert) next.set(x[key], x);
  for (const k of change.remove) next.delete(k);
  return next;
}

function connect() {
  const live = document.getElementById('live');
  const es = new EventSource('api/dashboard/events');
  es.onopen = () => { live.textContent = 'live'; live.className = 'live on'; };
  es.onerror = () => { live.textContent = 'reconnecting'; live.className = 'live'; };
  es.addEventListener('snapshot', (ev) => {
    const s = JSON.parse(ev.data);
    state.agents = new Map(s.agents.map((a) => [a.id, a]));
    state.leases = new Map(s.leases.map((l) => [l.resource, l]));
    state.messages = s.messages;
    state.overview = s.overview;
    state.handoffs = s.handoffs;
    state.errors = s.errors;
    state.tasks = new Map(s.tasks.map((t) => [t.id, t]));
    state.pools = s.pools;
    state.rollouts = s.rollouts;
    state.alerts = s.alerts;
    state.memories = s.memories;
    state.audit = s.audit || [];
    state.ready = true;
    document.body.dataset.seq = ev.lastEventId;
    performance.mark('hub-snapshot');
    schedule();
  });
  es.addEventListener('agents', (ev) => { state.agents = upsert(state.agents, JSON.parse(ev.data), 'id'); schedule(); });
  es.addEventListener('leases', (ev) => { state.leases = upsert(state.leases, JSON.parse(ev.data), 'resource'); schedule(); });
  es.addEventListener('messages', (ev) => {
    state.messages = state.messages.concat(JSON.parse(ev.data)).slice(-MAX_MESSAGES);
    schedule();
  });
  es.addEventListener('overview', (ev) => { state.overview = JSON.parse(ev.data); schedule(); });
  es.addEventListener('handoffs', (ev) => { state.handoffs = JSON.parse(ev.data); schedule(); });
  es.addEventListener('errors', (ev) => { state.errors = JSON.parse(ev.data); schedule(); });
  es.addEventListener('tasks', (ev) => { state.tasks = upsert(state.tasks, JSON.parse(ev.data), 'id'); schedule(); });
  es.addEventListener('pools', (ev) => { state.pools = JSON.parse(ev.data); schedule(); });
  es.addEventListener('rollouts', (ev) => { state.rollouts = JSON.parse(ev.data); schedule(); });
  es.addEventListener('alerts', (ev) => { state.alerts = JSON.parse(ev.data); schedule(); });
  es.addEventListener('memories', (ev) => { state.memories = JSON.parse(ev.data); schedule(); });
  es.addEventListener('audit', (ev) => {
    state.audit = state.audit.concat(JSON.parse(ev.data)).slice(-MAX_AUDIT);
    schedule();
  });
  es.addEventListener('logout', () => { es.close(); location.replace('login.html'); });
}

async function start() {
  // The stream opens at once, alongside the session read: the snapshot needs no answer from it.
  connect();
  const me = await api('api/dashboard/session');
  state.you = {id: me.id, role: me.role};
  state.csrf = me.csrf;
  const isAdmin = String(me.role).toLowerCase() === 'admin';
  document.body.classList.add(isAdmin ? 'role-admin' : 'role-viewer');
  fill(document.getElementById('who'), me.id + ' (' + String(me.role).toLowerCase() + ')');
  const all = isAdmin ? routes.concat(adminRoutes) : routes;
  fill(nav, all.map(([name, label]) => h('a', {href: '#' + name, 'data-view': name, id: 'nav-' + name}, label)));
  document.getElementById('logout').addEventListener('click', async () => {
    await api('api/dashboard/logout', 'POST', {});
    location.replace('login.html');
  });
  window.addEventListener('hashchange', () => { shown = null; schedule(); });
  schedule();
}

start().catch((e) => notify(e.message, true));
