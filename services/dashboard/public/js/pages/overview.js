// City overview: the month's ranking with bands and flags, and the city trend.
import { api } from '../api.js';
import { trendChart } from '../chart.js';
import { h, table } from '../dom.js';
import { fmtPerHour, fmtRate, t } from '../i18n.js';
import { badge, categorySelect, flags, thisMonth } from './common.js';

export async function overviewPage(main) {
  const state = { month: thisMonth(), by: 'intersection', category: undefined, granularity: 'week' };
  const rankingBox = h('div', { class: 'card', id: 'ranking' });
  const chartBox = h('div', { id: 'city-chart' });
  const trendBox = h('div', { class: 'card' }, h('h2', {}, t('city.trend')), chartBox);
  const controls = h('div', { class: 'controls' },
    h('label', {}, `${t('month')} `, h('input', { type: 'month', value: state.month, onchange: (e) => { state.month = e.target.value; load(); } })),
    categorySelect(state.category, (c) => { state.category = c; load(); }),
    h('select', { onchange: (e) => { state.by = e.target.value; load(); } },
      h('option', { value: 'intersection' }, t('byIntersection')), h('option', { value: 'unit' }, t('byUnit'))),
    h('select', { onchange: (e) => { state.granularity = e.target.value; load(); } },
      ['day', 'week', 'month'].map((g) => h('option', { value: g, selected: g === state.granularity }, t(g === 'month' ? 'month.g' : g)))));
  main.replaceChildren(h('h1', {}, t('overview.title')), controls, rankingBox, trendBox);

  async function load() {
    const [ratings, trend] = await Promise.all([
      api.get('/api/ratings', { month: state.month, by: state.by, category: state.category }),
      api.get('/api/trends/city', { granularity: state.granularity, category: state.category }),
    ]);
    const rows = ratings.items.map((it) => h('tr', {},
      h('td', { class: 'num' }, it.rank ?? '—'),
      h('td', {}, state.by === 'intersection' ? h('a', { href: `#/i/${encodeURIComponent(it.key)}` }, it.name) : it.name),
      h('td', {}, state.by === 'intersection' ? (it.responsibleUnit ?? '—') : `${it.intersections} ${t('intersection')}`),
      h('td', {}, badge(it.band)),
      h('td', {}, flags(it)),
      h('td', { class: 'num' }, fmtRate(it.compliance)),
      h('td', { class: 'num' }, it.compliance.violations),
      h('td', { class: 'num' }, fmtPerHour(it.compliance)),
      h('td', { class: 'num' }, it.windows)));
    rankingBox.replaceChildren(
      table([t('rank'), state.by === 'intersection' ? t('intersection') : t('unit'), state.by === 'intersection' ? t('unit') : t('intersection'), t('band'), t('flags'),
        `${t('compliance')} [${t('interval')}] ${t('n')}`, t('violations'), t('perHour'), t('windows')], rows),
      h('p', { class: 'muted' }, ratings.rules.text));
    trendChart(chartBox, trend, `${t('compliance')} (%)`);
    chartBox.append(h('p', { class: 'muted' }, `${t('compliance')}: ${fmtRate(trend.total)} · ${t('perHour')}: ${fmtPerHour(trend.total)}`));
  }
  await load();
}
