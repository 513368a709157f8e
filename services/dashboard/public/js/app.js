// The dashboard shell: key entry (once, kept in localStorage), language
// switch, and a hash router over the four pages.
import { api, ApiFailure, keyStore } from './api.js';
import { h } from './dom.js';
import { applyStatic, lang, setLang, t } from './i18n.js';
import { overviewPage } from './pages/overview.js';
import { intersectionPage } from './pages/intersection.js';
import { reviewPage } from './pages/review.js';
import { preassessPage } from './pages/preassess.js';

const main = document.getElementById('main');
let cleanup = () => {};
export let me = null;

function loginForm(message) {
  const input = h('input', { type: 'password', autocomplete: 'off', placeholder: 'cw_…', id: 'key' });
  const form = h('form', { class: 'card login', onsubmit: async (e) => {
    e.preventDefault();
    keyStore.set(input.value.trim());
    await route();
  } }, h('h1', {}, t('login.title')), h('p', { class: 'muted' }, t('login.hint')), input,
  message ? h('p', { class: 'error' }, message) : null, h('button', { class: 'primary', type: 'submit' }, t('login.submit')));
  main.replaceChildren(form);
  input.focus();
}

async function route() {
  cleanup();
  cleanup = () => {};
  applyStatic();
  document.getElementById('lang').textContent = lang === 'en' ? '中文' : 'English';
  if (!keyStore.get()) return loginForm();
  try {
    me = await api.get('/api/me');
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) return loginForm(t('login.bad'));
    main.replaceChildren(h('p', { class: 'error' }, err.message));
    return;
  }
  document.getElementById('who').textContent = `${me.name} · ${me.role}`;
  const hash = location.hash.replace(/^#/, '') || '/';
  for (const a of document.querySelectorAll('header nav a')) a.classList.toggle('active', a.getAttribute('href') === `#${hash}`);
  main.replaceChildren(h('p', {}, t('loading')));
  try {
    const m = /^\/i\/([^/]+)$/.exec(hash);
    if (m) cleanup = (await intersectionPage(main, decodeURIComponent(m[1]))) ?? cleanup;
    else if (hash === '/review') cleanup = (await reviewPage(main, me)) ?? cleanup;
    else if (hash === '/preassess') cleanup = (await preassessPage(main)) ?? cleanup;
    else cleanup = (await overviewPage(main)) ?? cleanup;
  } catch (err) {
    main.replaceChildren(h('p', { class: 'error' }, err.message));
  }
}

document.getElementById('lang').addEventListener('click', () => {
  setLang(lang === 'en' ? 'zh-CN' : 'en');
  route();
});
document.getElementById('logout').addEventListener('click', () => {
  keyStore.clear();
  route();
});
window.addEventListener('hashchange', route);
route();
