// The chart: per scenario, each contender's median ratio to its baseline (node:crypto floor or
// the bare server) as a bar, with a whisker from its slowest to its fastest round. Rendered to
// SVG by Vega-Lite and Vega in Node, with no canvas and no network.
import * as vega from 'vega';
import { compile } from 'vega-lite';

const OURS = /bearerguard|requireBearer/;

const tokensText = (mode) => (mode === 'repeated' ? 'repeated token' : 'distinct tokens');

function chartData({ core = [], http = [] }) {
  const data = [];
  for (const r of core.filter((r) => r.ratio)) {
    const scenario = `Core ${r.alg}, ${tokensText(r.tokens)}: verifications/s × node:crypto floor`;
    data.push({ scenario, contender: r.contender, ...r.ratio });
  }
  for (const r of http.filter((r) => r.ratio)) {
    const scenario = `HTTP ${r.framework}, ${tokensText(r.tokens)}: requests/s × bare ${r.framework}`;
    data.push({ scenario, contender: r.contender, ...r.ratio });
  }
  return data.map((d) => ({ ...d, ours: OURS.test(d.contender), label: d.median.toFixed(2) }));
}

function chartSpec(data, title) {
  const y = {
    field: 'contender',
    type: 'nominal',
    sort: null,
    title: null,
    axis: { labelLimit: 260 },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: title,
      subtitle:
        'Bars: median ratio to the baseline (dashed line: 1). Whiskers: slowest to fastest round. Blue: bearerguard.',
      anchor: 'start',
    },
    data: { values: data },
    facet: {
      row: {
        field: 'scenario',
        type: 'nominal',
        sort: [...new Set(data.map((d) => d.scenario))],
        title: null,
        header: {
          labelAngle: 0,
          labelAlign: 'left',
          labelAnchor: 'start',
          labelOrient: 'top',
          labelFontWeight: 'bold',
          labelFontSize: 12,
        },
      },
    },
    spec: {
      width: 460,
      layer: [
        {
          mark: { type: 'bar', height: 14 },
          encoding: {
            y,
            x: { field: 'median', type: 'quantitative', title: null },
            color: {
              field: 'ours',
              type: 'nominal',
              scale: { domain: [true, false], range: ['#1f77b4', '#b8b8b8'] },
              legend: null,
            },
          },
        },
        {
          mark: { type: 'rule', color: '#333' },
          encoding: { y, x: { field: 'min', type: 'quantitative' }, x2: { field: 'max' } },
        },
        {
          mark: { type: 'text', align: 'left', dx: 4, fontSize: 10 },
          encoding: { y, x: { field: 'max', type: 'quantitative' }, text: { field: 'label' } },
        },
        {
          mark: { type: 'rule', strokeDash: [4, 3], color: '#d62728' },
          encoding: { x: { datum: 1 } },
        },
      ],
    },
    resolve: { scale: { x: 'independent', y: 'independent' } },
    config: { font: 'sans-serif', view: { stroke: null } },
  };
}

/** The SVG text of the chart, or undefined when there is nothing to draw. */
export async function renderChart(results, title) {
  const data = chartData(results);
  if (data.length === 0) return undefined;
  // Vega-Lite warns that facets with independent scales share field names; they are meant to.
  const { spec } = compile(chartSpec(data, title), { logger: vega.logger(vega.None) });
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
