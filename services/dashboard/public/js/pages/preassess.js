// Pre-assessment: pass probability per intersection and the windows that cost
// most, from the latest stored simulation (GET /api/simulations/latest).
import { api, ApiFailure } from '../api.js';
import { h, table } from '../dom.js';
import { t } from '../i18n.js';

const pct = (p) => `${(p * 100).toFixed(0)}%`;
const pts = (x) => x.toFixed(1);

function costliest(e) {
  return e.costliestWindows
    .filter((w) => w.expectedPoints > 0)
    .slice(0, 3)
    .map((w) => `${w.camera ?? w.intersection} ${w.startsAt ? w.startsAt.slice(0, 16).replace('T', ' ') : `#${w.windowId}`} (−${w.pointsPerDraw.toFixed(1)} ${t('points')})`)
    .join('; ');
}

function row(label, e, refusal) {
  if (!e) return h('tr', { class: 'refused' }, h('td', {}, label), h('td', { colspan: '4' }, `${t('pre.refused')}: ${refusal ?? ''}`));
  return h('tr', {},
    h('td', {}, label),
    h('td', { class: 'num' }, `${pct(e.passProbability)} ± ${pct(2 * e.passProbabilityStdError)}`),
    h('td', { class: 'num' }, `${pts(e.expectedScore)} [${pts(e.band.p5)}–${pts(e.band.p95)}]`),
    h('td', { class: 'num' }, `n=${e.windowsUsed}`),
    h('td', {}, costliest(e) || '—'));
}

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
  const p = sim.parameters;
  const about = `${t('month')} ${sim.month} · ${t('pre.draw')}: ${p.windows} × ${p.windowMinutes} min · ${p.draws} ${t('pre.draws')} · ${t('pre.passMark')} ${p.rule.passMark} · #${sim.id}, ${sim.createdAt.slice(0, 16).replace('T', ' ')}`;
  main.replaceChildren(
    h('h1', {}, t('pre.title')),
    h('p', { class: 'muted', id: 'sim-about' }, about),
    h('div', { class: 'card' }, table(
      [t('intersection'), t('passProb'), `${t('expected')} [5–95%]`, t('pre.windowsUsed'), t('costly')],
      [row(t('pre.city'), sim.city, null), ...sim.intersections.map((it) => row(it.name, it.estimate, it.refusal))],
    )),
  );
}
