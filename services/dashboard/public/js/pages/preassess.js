// Pre-assessment: pass probability per intersection and the windows that cost
// most, from the latest simulation (issue 6). Until those routes exist the
// API answers 404 and the page says there is no simulation yet.
import { api, ApiFailure } from '../api.js';
import { h, table } from '../dom.js';
import { t } from '../i18n.js';

export async function preassessPage(main) {
  let sim;
  try {
    sim = await api.get('/api/simulations/latest');
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 404) {
      main.replaceChildren(h('h1', {}, t('pre.title')), h('p', { class: 'card', id: 'no-sim' }, t('pre.none')));
      return;
    }
    throw err;
  }
  const items = sim.intersections ?? [];
  main.replaceChildren(h('h1', {}, t('pre.title')), h('div', { class: 'card' }, table([t('intersection'), t('passProb'), t('expected'), t('costly')],
    items.map((it) => h('tr', {}, h('td', {}, it.name ?? it.code), h('td', { class: 'num' }, `${(it.passProbability * 100).toFixed(0)}% (n=${it.windows ?? '?'})`),
      h('td', { class: 'num' }, `${it.expectedScore?.toFixed?.(1) ?? '—'} [${it.band?.low?.toFixed?.(1) ?? '—'}–${it.band?.high?.toFixed?.(1) ?? '—'}]`),
      h('td', {}, (it.costliest ?? []).slice(0, 3).map((w) => `#${w.windowId} (−${w.points})`).join(', ')))))));
}
