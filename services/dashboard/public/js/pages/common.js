// Pieces several pages share: the month picker, the category filter, a band badge, flags.
import { h } from '../dom.js';
import { t } from '../i18n.js';

export const CATEGORIES = ['red_light', 'non_motor_red_light', 'stop_line_overrun', 'jaywalk'];

export function thisMonth() {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' }).slice(0, 7);
}

export function categorySelect(value, onchange) {
  return h('select', { onchange: (e) => onchange(e.target.value || undefined), 'aria-label': t('category') },
    h('option', { value: '' }, t('all')),
    CATEGORIES.map((c) => h('option', { value: c, selected: c === value }, t(c))));
}

export function badge(band) {
  return h('span', { class: `band band-${band}` }, band === 'unrated' ? '—' : band);
}

export function flags(item) {
  return [item.redFlag ? h('span', { class: 'flag-red', title: t('red') }, `🚩${t('red')}`) : null,
    item.blackFlag ? h('span', { class: 'flag-black', title: t('black') }, `⚑${t('black')}`) : null];
}
