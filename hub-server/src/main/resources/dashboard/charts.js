// Charts with uPlot, served from the hub's jar.
import uPlot from './vendor/uPlot.esm.js';
import {h, fill} from './dom.js';

const COLORS = ['#2a7ab9', '#d1495b', '#66a182', '#edae49', '#8e6c8a', '#00798c', '#5c5c5c'];

function chart(title, x, series, width) {
  const el = h('div', {class: 'chart'}, h('h3', null, title));
  const opts = {
    width, height: 200,
    series: [{}].concat(series.map(([label], i) => ({label, stroke: COLORS[i % COLORS.length], width: 2}))),
    axes: [{}, {}],
  };
  // uPlot takes plain text labels; it never parses them as HTML.
  new uPlot(opts, [x].concat(series.map(([, data]) => data)), el);
  return el;
}

export function drawCharts(box, s) {
  const width = Math.max(320, Math.min(900, box.clientWidth || 800));
  const c = s.counters;
  const days = s.usage.days.map((d) => Date.parse(d + 'T00:00:00Z') / 1000);
  const byPool = Object.entries(s.usage.costUsdByPool).map(([k, v]) => [k, v.map(Number)]);
  const byModel = Object.entries(s.usage.tokensByModel).map(([k, v]) => [k, v.map(Number)]);
  fill(box,
    chart('Error rate', c.t, [['5xx / requests', c.errorRate]], width),
    chart('Lease grants and conflicts', c.t, [['grants', c.leaseGrants], ['conflicts', c.leaseConflicts]], width),
    chart('Requests', c.t, [['requests', c.requests], ['server errors', c.serverErrors]], width),
    byPool.length ? chart('Cost per day by pool (USD)', days, byPool, width) : h('p', null, 'No model usage reported in the last days.'),
    byModel.length ? chart('Tokens per day by model', days, byModel, width) : null);
  box.dataset.ready = 'true';
}
