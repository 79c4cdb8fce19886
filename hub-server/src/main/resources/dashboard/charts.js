// Charts with uPlot, served from the hub's jar.
import uPlot from './vendor/uPlot.esm.js';
import {h, fill} from './dom.js';

const COLORS = ['#2a7ab9', '#d1495b', '#66a182', '#edae49', '#8e6c8a', '#00798c', '#5c5c5c'];

function chart(title, x, series, width, id) {
  const el = h('div', {class: 'chart', id}, h('h3', null, title));
  const opts = {
    width, height: 200,
    series: [{}].concat(series.map(([label], i) => ({label, stroke: COLORS[i % COLORS.length], width: 2}))),
    axes: [{}, {}],
  };
  // uPlot sets legend labels as text (textContent); pool and model names are never parsed as HTML.
  new uPlot(opts, [x].concat(series.map(([, data]) => data)), el);
  return el;
}

/** A chart of one series per key of {@code byKey}, or a line of text when there is nothing to draw. */
function keyed(title, x, byKey, width, id, none) {
  const series = Object.entries(byKey || {}).map(([k, v]) => [k, v.map(Number)]);
  return series.length ? chart(title, x, series, width, id) : h('p', {class: 'hint', id}, title + ': ' + none);
}

export function drawCharts(box, s) {
  const width = Math.max(320, Math.min(900, box.clientWidth || 800));
  const c = s.counters;
  const step = c.stepSeconds >= 3600 ? (c.stepSeconds / 3600) + ' h' : (c.stepSeconds / 60) + ' min';
  const days = s.usage.days.map((d) => Date.parse(d + 'T00:00:00Z') / 1000);
  const noUsage = 'no model usage reported in this range.';
  fill(box,
    h('p', {class: 'hint'}, 'One point per ' + step + '; tokens and cost as a rate per hour.'),
    keyed('Tokens per hour by pool', c.t, c.tokensPerHourByPool, width, 'chart-tokens-pool', noUsage),
    keyed('Tokens per hour by model', c.t, c.tokensPerHourByModel, width, 'chart-tokens-model', noUsage),
    keyed('Cost per hour by pool (USD)', c.t, c.costUsdPerHourByPool, width, 'chart-cost-pool', noUsage),
    keyed('Cost per hour by model (USD)', c.t, c.costUsdPerHourByModel, width, 'chart-cost-model', noUsage),
    chart('Error rate', c.t, [['5xx and reported failures / requests', c.errorRate]], width, 'chart-errors'),
    chart('Lease grants and conflicts', c.t, [['grants', c.leaseGrants], ['conflicts', c.leaseConflicts]], width, 'chart-leases'),
    keyed('Queue depth by pool (mean of the minute samples)', c.t, c.queueDepthByPool, width, 'chart-queue', 'no queue sampled in this range.'),
    chart('Requests', c.t, [['requests', c.requests], ['server errors', c.serverErrors]], width, 'chart-requests'),
    keyed('Cost per day by pool (USD), last ' + days.length + ' days', days, s.usage.costUsdByPool, width, 'chart-cost-day', 'no model usage in these days.'));
  box.dataset.ready = 'true';
}
