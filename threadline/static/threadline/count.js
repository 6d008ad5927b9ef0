/*! Threadline comment counts: fills <span data-threadline-count="URL"> with one request, and
 * keeps them current (one request per poll, while the tab is visible). */
(() => {
  'use strict';
  const script = document.currentScript;
  const T = (window.Threadline = window.Threadline || {});
  const data = (script && script.dataset) || {};

  function apiBase() {
    let base = data.threadlineApi || (script && script.src ? new URL(script.src).origin : location.origin);
    base = base.replace(/\/+$/, '');
    return /\/api\/v\d+$/.test(base) ? base : base + '/api/v1';
  }

  let last = null; // the counts of the last fill, to tell a change

  /** Fill every [data-threadline-count] under `root`; returns {url: count}. Optional
   *  data-threadline-count-one / -other templates ("{n} comments") format the number.
   *  `threadline:counts` fires on document after the first fill and after every fill that
   *  changed a count. */
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
        // no-store: a poll must see the server's count, not the browser's copy of an old one.
        const res = await fetch(apiBase() + '/counts?' + q, { credentials: 'omit', mode: 'cors', cache: 'no-store' });
        if (res.ok) Object.assign(found, (await res.json()).counts);
      } catch (e) { /* leave the placeholders as they are */ }
    }
    const lang = (document.documentElement.lang || navigator.language || 'en');
    for (const el of els) {
      const n = found[abs(el.dataset.threadlineCount)];
      if (n == null || el.dataset.threadlineCountValue === String(n)) continue;
      const tpl = n === 1 ? el.dataset.threadlineCountOne : el.dataset.threadlineCountOther;
      const num = n.toLocaleString(lang);
      el.textContent = tpl ? tpl.split('{n}').join(num) : num; // textContent: never HTML
      el.dataset.threadlineCountValue = String(n);
    }
    const sig = JSON.stringify(found);
    if (root === document && sig !== last) {
      last = sig;
      document.dispatchEvent(new CustomEvent('threadline:counts', { detail: found }));
    }
    return found;
  }

  /** Live counts: poll every data-threadline-count-poll seconds (30; at least 2; 0 turns it
   *  off) while the tab is visible, and once at once when it becomes visible again. */
  function live() {
    const secs = data.threadlineCountPoll != null ? +data.threadlineCountPoll : 30;
    if (!(secs > 0)) return;
    const tick = () => { if (document.visibilityState === 'visible') counts(); };
    setInterval(tick, Math.max(2, secs) * 1000);
    document.addEventListener('visibilitychange', tick);
  }

  T.counts = counts;
  const boot = () => counts().then(live);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
})();
