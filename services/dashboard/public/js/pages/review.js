// Review queue: pending violations oldest first, the evidence image large,
// confirm (C) / reject (R, asks a reason) / skip (S) from the keyboard. The
// next item's image is fetched while the current one is shown, so it appears
// at once; the intersection's figures refresh after each decision.
import { api, ApiFailure } from '../api.js';
import { h } from '../dom.js';
import { fmtRate, fmtTime, t } from '../i18n.js';
import { badge, flags } from './common.js';

export async function reviewPage(main, me) {
  const queue = [];
  let cursor = null;
  let exhausted = false;
  const images = new Map();
  const skipped = new Set();
  // True from a decision or skip until the next item is shown: keys pressed
  // meanwhile (a second C, an S) would otherwise act on the same item again and
  // advance twice, or decide the next item before it is on screen.
  let busy = false;

  const img = h('img', { id: 'evidence', alt: '' });
  const info = h('div', { id: 'review-info' });
  const figures = h('div', { id: 'review-figures', class: 'muted' });
  const reasonInput = h('input', { id: 'reason', placeholder: t('reject.reason'), maxlength: '1000' });
  const reasonForm = h('form', { id: 'reason-form', hidden: true, onsubmit: (e) => { e.preventDefault(); decide('reject', reasonInput.value); } },
    reasonInput, ' ', h('button', { class: 'danger', type: 'submit' }, t('reject.submit')));
  const message = h('p', { class: 'error', id: 'review-message' });
  const canReview = me.role !== 'viewer';
  const buttons = h('div', { class: 'controls' },
    h('button', { class: 'primary', id: 'confirm', disabled: !canReview, onclick: () => decide('confirm') }, `${t('confirm')} (C)`),
    h('button', { class: 'danger', id: 'reject', disabled: !canReview, onclick: askReason }, `${t('reject')} (R)`),
    h('button', { id: 'skip', onclick: skip }, `${t('skip')} (S)`));
  main.replaceChildren(h('h1', {}, t('review.title')), h('p', { class: 'muted' }, t('review.help')),
    h('div', { class: 'review' }, h('div', {}, img), h('div', { class: 'card' }, info, buttons, reasonForm, message, figures)));

  async function fill() {
    while (queue.length < 3 && !exhausted) {
      const page = await api.get('/api/violations', { status: 'pending', order: 'asc', limit: 20, cursor: cursor ?? undefined });
      queue.push(...page.items.filter((v) => !skipped.has(v.id)));
      cursor = page.nextCursor;
      exhausted = cursor === null;
    }
  }
  function imageOf(v) {
    if (!v.hasEvidence) return Promise.resolve(null);
    if (!images.has(v.id)) images.set(v.id, api.image(`/api/violations/${v.id}/evidence`).catch(() => null));
    return images.get(v.id);
  }
  async function show() {
    await fill();
    const v = queue[0];
    reasonForm.hidden = true;
    if (!v) {
      info.replaceChildren(h('p', { id: 'review-empty' }, t('review.empty')));
      img.removeAttribute('src');
      buttons.hidden = true;
      return;
    }
    buttons.hidden = false;
    info.replaceChildren(h('h2', {}, t(v.category)), h('div', {}, `${v.intersectionName} (${v.intersection}) · ${v.camera}`),
      h('div', {}, fmtTime(v.t, v.timeZone)), h('div', { class: 'muted' }, `${t('score')} ${v.score.toFixed(2)} · #${v.id}`));
    const url = await imageOf(v);
    if (queue[0] !== v) return;
    if (url) { img.src = url; img.alt = t(v.category); } else { img.removeAttribute('src'); img.alt = t('noEvidence'); }
    if (queue[1]) imageOf(queue[1]); // preload the next
    refreshFigures(v.intersection);
  }
  async function refreshFigures(code) {
    const ix = await api.get(`/api/intersections/${encodeURIComponent(code)}`);
    const r = ix.rating;
    figures.replaceChildren(h('div', {}, `${t('figures.now')} ${r.month}: `, badge(r.band), ' ', flags(r)),
      h('div', { id: 'review-rate' }, `${t('compliance')} ${fmtRate(r.compliance)} · ${t('violations')} ${r.compliance.violations}`));
  }
  function advance() {
    const done = queue.shift();
    if (done && images.has(done.id)) images.get(done.id).then((u) => u && URL.revokeObjectURL(u));
    images.delete(done?.id);
    message.textContent = '';
    return show();
  }
  function askReason() {
    if (!canReview || !queue[0] || busy) return;
    reasonForm.hidden = false;
    reasonInput.value = '';
    reasonInput.focus();
  }
  async function skip() {
    if (busy) return;
    if (queue[0]) skipped.add(queue[0].id);
    busy = true;
    try {
      await advance();
    } finally {
      busy = false;
    }
  }
  async function decide(decision, reason) {
    const v = queue[0];
    if (!v || !canReview || busy) return;
    if (decision === 'reject' && !reason?.trim()) return askReason();
    busy = true;
    try {
      await api.post(`/api/violations/${v.id}/review`, { decision, ...(reason ? { reason: reason.trim() } : {}) });
      await advance();
    } catch (err) {
      message.textContent = err instanceof ApiFailure && err.status === 403 ? t('forbidden') : err.message;
    } finally {
      busy = false;
    }
  }
  function onKey(e) {
    if (e.target instanceof HTMLInputElement) {
      if (e.key === 'Escape') reasonForm.hidden = true;
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const k = e.key.toLowerCase();
    if (k === 'c') { e.preventDefault(); decide('confirm'); }
    else if (k === 'r') { e.preventDefault(); askReason(); }
    else if (k === 's') { e.preventDefault(); skip(); }
  }
  document.addEventListener('keydown', onKey);
  await show();
  return () => document.removeEventListener('keydown', onKey);
}
