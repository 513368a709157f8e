// A compliance trend drawn by uPlot: the rate as a line, its 95% Wilson
// interval as a shaded band, in percent.
import uPlot from '/vendor/uplot/uPlot.esm.js';

export function trendChart(el, trend, label) {
  el.textContent = '';
  const xs = trend.buckets.map((b) => Date.parse(`${b.bucket}T00:00:00Z`) / 1000);
  const pct = (v) => (v === null || v === undefined ? null : v * 100);
  const rate = trend.buckets.map((b) => pct(b.rate));
  const low = trend.buckets.map((b) => pct(b.interval?.low));
  const high = trend.buckets.map((b) => pct(b.interval?.high));
  const width = Math.max(320, el.clientWidth || 640);
  return new uPlot(
    {
      width,
      height: 240,
      scales: { x: { time: true }, y: { range: [Math.max(0, Math.min(...low.filter((v) => v !== null), 90) - 2), 100] } },
      series: [
        { value: (_u, v) => (v === null ? '' : new Date(v * 1000).toISOString().slice(0, 10)) },
        { label, stroke: '#1d5bd8', width: 2, value: (_u, v) => (v === null ? '—' : `${v.toFixed(1)}%`) },
        { label: '95% low', stroke: 'rgba(29,91,216,0.3)', value: (_u, v) => (v === null ? '—' : `${v.toFixed(1)}%`) },
        { label: '95% high', stroke: 'rgba(29,91,216,0.3)', value: (_u, v) => (v === null ? '—' : `${v.toFixed(1)}%`) },
      ],
      bands: [{ series: [3, 2], fill: 'rgba(29,91,216,0.12)' }],
      axes: [{}, { values: (_u, ticks) => ticks.map((v) => `${v}%`) }],
    },
    [xs, rate, low, high],
    el,
  );
}
