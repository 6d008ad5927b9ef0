/* The story page's "N new comments — show" bar: the live stream (Server-Sent Events) says
 * a comment was posted; the bar counts those not on the page, and a click re-reads the page
 * and swaps in its thread, so nothing moves under the reader until they ask. */
(function () {
  'use strict';
  const bar = document.querySelector('.live-bar[data-events]');
  if (!bar || typeof EventSource !== 'function') return;
  const button = bar.querySelector('.live-show');
  const waiting = new Set();
  const show = () => {
    button.hidden = waiting.size === 0;
    button.textContent = waiting.size === 1 ? '1 new comment — show' : waiting.size + ' new comments — show';
  };
  const stream = new EventSource(bar.dataset.events);
  stream.addEventListener('comment', (e) => {
    let data = {};
    try { data = JSON.parse(e.data); } catch (err) { return; }
    if (!['posted', 'approved'].includes(data.kind)) return;
    if (document.getElementById('comment-' + data.comment_id)) return;
    waiting.add(data.comment_id);
    show();
  });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const res = await fetch(location.href, { cache: 'no-cache', credentials: 'same-origin' });
      const next = new DOMParser().parseFromString(await res.text(), 'text/html');
      for (const sel of ['#comments-title', '#comments > ol.thread']) {
        const old = document.querySelector(sel);
        const fresh = next.querySelector(sel);
        if (old && fresh) old.replaceWith(fresh);
      }
    } catch (err) { button.disabled = false; return; }
    const first = [...waiting].map((id) => document.getElementById('comment-' + id)).find(Boolean);
    waiting.clear();
    button.disabled = false;
    show();
    if (first) {
      first.classList.add('new');
      first.tabIndex = -1;
      first.scrollIntoView({ block: 'nearest' });
      first.focus({ preventScroll: true });
    }
  });
})();
