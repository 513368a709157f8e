// One intersection: its figures this month, the trend with its interval band,
// recent windows and violations.
import { api } from '../api.js';
import { trendChart } from '../chart.js';
import { h, table } from '../dom.js';
import { fmtPerHour, fmtRate, fmtTime, t } from '../i18n.js';
import { badge, categorySelect, flags } from './common.js';

export async function intersectionPage(main, code) {
  const ix = await api.get(`/api/intersections/${encodeURIComponent(code)}`);
  const state = { granularity: 'day', category: undefined };
  const chartBox = h('div', { id: 'ix-chart' });
  const totals = h('p', { class: 'muted', id: 'ix-totals' });
  const windowsBox = h('div', { class: 'card' });
  const violationsBox = h('div', { class: 'card', id: 'ix-violations' });
  const r = ix.rating;
  main.replaceChildren(
    h('h1', {}, `${ix.name} (${ix.code})`),
    h('div', { class: 'card', id: 'ix-rating' },
      h('div', {}, `${t('figures.now')} ${r.month}: `, badge(r.band), ' ', flags(r), ` ${t('rank')} ${r.rank ?? '—'} · ${t('compliance')} ${fmtRate(r.compliance)} · ${t('violations')} ${r.compliance.violations} · ${fmtPerHour(r.compliance)}`),
      h('div', { class: 'muted' }, `${t('unit')}: ${ix.responsibleUnit ?? '—'} · ${ix.timeZone} · ${t('cameras')}: ${ix.cameraList.map((c) => `${c.code} ${c.width}×${c.height} ${c.calibrated ? t('calibrated') : t('notCalibrated')}`).join(', ')}`)),
    h('div', { class: 'card' }, h('h2', {}, t('trend')),
      h('div', { class: 'controls' },
        h('select', { onchange: (e) => { state.granularity = e.target.value; loadTrend(); } },
          ['day', 'week', 'month'].map((g) => h('option', { value: g }, t(g === 'month' ? 'month.g' : g)))),
        categorySelect(undefined, (c) => { state.category = c; loadTrend(); })),
      chartBox, totals),
    h('div', { class: 'row' }, windowsBox, violationsBox));

  async function loadTrend() {
    const trend = await api.get(`/api/intersections/${encodeURIComponent(code)}/trends`, state);
    trendChart(chartBox, trend, `${t('compliance')} (%)`);
    totals.textContent = `${t('compliance')}: ${fmtRate(trend.total)} · ${t('perHour')}: ${fmtPerHour(trend.total)} · ${t('windows')}: ${trend.total.windows}`;
  }
  const [windows, violations] = await Promise.all([
    api.get('/api/windows', { intersection: code, limit: 15 }),
    api.get('/api/violations', { intersection: code, limit: 15 }),
  ]);
  windowsBox.replaceChildren(h('h2', {}, t('windows')), table([t('start'), t('camera'), t('status'), t('covered'), t('reason')],
    windows.items.map((w) => h('tr', {}, h('td', {}, fmtTime(w.startsAt, ix.timeZone)), h('td', {}, w.camera), h('td', {}, w.status),
      h('td', { class: 'num' }, w.coveredSeconds === null ? '—' : `${(w.coveredSeconds / 60).toFixed(1)} min`), h('td', {}, w.reason ?? '')))));
  violationsBox.replaceChildren(h('h2', {}, t('violations')), table([t('time'), t('category'), t('score'), t('review')],
    violations.items.map((v) => h('tr', {}, h('td', {}, fmtTime(v.t, v.timeZone)), h('td', {}, t(v.category)), h('td', { class: 'num' }, v.score.toFixed(2)), h('td', {}, t(v.reviewStatus))))));
  await loadTrend();
}
