/*! Threadline comment counts: fills <span data-threadline-count="URL"> with one request. */
(() => {
  'use strict';
  const script = document.currentScript;
  const T = (window.Threadline = window.Threadline || {});

  function apiBase() {
    let base = (script && script.dataset.threadlineApi) || (script && script.src ? new URL(script.src).origin : location.origin);
    base = base.replace(/\/+$/, '');
    return /\/api\/v\d+$/.test(base) ? base : base + '/api/v1';
  }

  /** Fill every [data-threadline-count] under `root`; returns {url: count}. Optional
   *  data-threadline-count-one / -other templates ("{n} comments") format the number. */
  async function counts(root = document) {
    const els = Array.from(root.querySelectorAll('[data-threadline-count]'));
    const abs = (u) => { try { return new URL(u || location.href, location.href).href; } catch (e) { return u; } };
    const urls = Array.from(new Set(els.map((e) => abs(e.dataset.threadlineCount))));
    const found = {};
    // The API takes at most 200 URLs per call; a normal page makes exactly one call.
    for (let i = 0; i < urls.length; i += 200) {
      const q = new URLSearchParams();
      urls.slice(i, i + 200).forEach((u) => q.append('url', u));
      try {
        const res = await fetch(apiBase() + '/counts?' + q, { credentials: 'omit', mode: 'cors' });
        if (res.ok) Object.assign(found, (await res.json()).counts);
      } catch (e) { /* leave the placeholders as they are */ }
    }
    const lang = (document.documentElement.lang || navigator.language || 'en');
    for (const el of els) {
      const n = found[abs(el.dataset.threadlineCount)];
      if (n == null) continue;
      const tpl = n === 1 ? el.dataset.threadlineCountOne : el.dataset.threadlineCountOther;
      const num = n.toLocaleString(lang);
      el.textContent = tpl ? tpl.split('{n}').join(num) : num; // textContent: never HTML
      el.dataset.threadlineCountValue = String(n);
    }
    return found;
  }

  T.counts = counts;
  const boot = () => counts().then((found) => document.dispatchEvent(new CustomEvent('threadline:counts', { detail: found })));
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
})();
