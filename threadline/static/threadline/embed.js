/*! Threadline comment widget. No dependencies, no build step. See docs/embed.md. */
(() => {
  'use strict';
  const VERSION = '1.0.0';
  const script = document.currentScript;
  const T = (window.Threadline = window.Threadline || {});
  if (T.version) return; // loaded twice: keep the first copy

  // --- i18n ---------------------------------------------------------------------------
  // One dictionary per language; {name} placeholders. Hosts may add T.i18n.xx before load.
  const I18N = {
    en: {
      comments_0: 'No comments yet', comments_1: '1 comment', comments_n: '{n} comments',
      sort: 'Sort', best: 'Best', newest: 'Newest', oldest: 'Oldest', top: 'Top', controversial: 'Controversial',
      signIn: 'Sign in', signUp: 'Create account', signOut: 'Sign out', signedInAs: 'Signed in as {name}',
      username: 'User name', password: 'Password', displayName: 'Display name (optional)',
      email: 'E-mail (optional, never shown)', name: 'Name', cancel: 'Cancel', close: 'Close',
      haveAccount: 'Have an account? Sign in', noAccount: 'New here? Create an account',
      comment: 'Comment', writeComment: 'Write a comment…', writeReply: 'Write a reply…',
      post: 'Post comment', postReply: 'Post reply', save: 'Save', posting: 'Posting…',
      preview: 'Preview', hidePreview: 'Hide preview', nothingToPreview: 'Nothing to preview.',
      markdownHint: 'Markdown: **bold**, *italic*, `code`, > quote, [link](https://…)',
      reply: 'Reply', edit: 'Edit', del: 'Delete', flag: 'Report', permalink: 'Link to this comment',
      upvote: 'Upvote', downvote: 'Downvote', score: 'Score {n}', points: '{n} points',
      collapse: 'Collapse thread', expand: 'Expand thread ({n} hidden)',
      replyingTo: 'replying to @{name}', replyingToDeleted: 'replying to a deleted comment',
      continueThread: 'Continue this thread ({n} more)', loadMore: 'Load more comments', loading: 'Loading…',
      deleted: 'Comment deleted', removed: 'Comment removed by a moderator', deletedAuthor: '[deleted]',
      edited: 'edited', pinned: 'Pinned', featured: 'Featured', registered: 'Member',
      held: 'Awaiting review', heldNote: 'Only you can see this comment until a moderator approves it.',
      rejected: 'Your comment was not published.',
      posted: 'Your comment was published.', heldPosted: 'Your comment is held for review.',
      saved: 'Your changes were saved.', deletedOk: 'Your comment was deleted.',
      deleteConfirm: 'Delete this comment? This cannot be undone.',
      thinkTwice: 'Think twice before posting',
      thinkTwiceText: 'Your comment may break the community rules. Edit it, or post it anyway for a moderator to review.',
      thinkTwiceWords: 'What gave us pause:',
      postAnyway: 'Post anyway', editIt: 'Edit', guidelines: 'Read our community guidelines',
      flagTitle: 'Report this comment', reason: 'Reason', note: 'Note (optional)', sendReport: 'Send report',
      r_spam: 'Spam', r_abuse: 'Abuse or harassment', r_hate: 'Hate speech', r_threat: 'Threat of violence',
      r_off_topic: 'Off topic', r_other: 'Other',
      flagged: 'Thanks. A moderator will look at it.', closed: 'Comments on this story are closed.',
      newComments: '{n} new comments', newComment: '1 new comment',
      showNew_1: '1 new comment — show', showNew_n: '{n} new comments — show',
      tabAll: 'All comments', tabFeatured: 'Featured', tabsLabel: 'Which comments', noFeatured: 'No featured comments yet.',
      loadError: 'Comments could not be loaded.', retry: 'Try again',
      signedIn: 'You are signed in.', oidc: 'Sign in with {name}', oidcWait: 'Finish signing in in the new window.', popup: 'Allow pop-ups on this page to sign in.', signedOut: 'You are signed out.', permalinkMissing: 'That comment is not available.',
      e_network: 'The comment server could not be reached. Check your connection and try again.',
      e_name_required: 'Please enter a name.', e_empty_body: 'The comment is empty.',
      e_body_too_long: 'The comment is too long.', e_rate_limited: 'Too many requests. Try again in {s} seconds.',
      e_story_closed: 'Comments on this story are closed.', e_login_required: 'Sign in to comment on this site.',
      e_invalid_credentials: 'Wrong user name or password.', e_username_taken: 'That user name is taken.',
      e_weak_password: 'Choose a longer, less common password.', e_invalid_email: 'The e-mail address is not valid.',
      e_edit_window_closed: 'The time to edit or delete this comment has passed.',
      e_not_your_comment: 'You can only change your own comments.', e_duplicate: 'You already did that.',
      e_invalid_token: 'Your session has expired. Please sign in again.', e_banned: 'You are banned from commenting on this site.',
      e_parent_not_open: 'This comment cannot be replied to.', e_origin_not_allowed: 'This page is not set up for comments.',
      e_comment_not_found: 'That comment no longer exists.',
      badge_staff: 'Staff', badge_journalist: 'Journalist', badge_moderator: 'Moderator',
      e_name_reserved: 'That name is reserved on this site. Choose another name, or sign in.',
      e_sso_token_expired: 'Your sign-in from this site has expired. Reload the page to sign in again.',
      e_sso_invalid_token: 'Signing you in from this site did not work.', e_sso_wrong_site: 'Signing you in from this site did not work.',
      e_sso_invalid_claims: 'Signing you in from this site did not work.', e_sso_not_configured: 'Signing you in from this site did not work.',
      notPublished: 'Not published', statement: 'A moderator did not publish this comment.', reasonIs: 'Reason: {r}.',
      banUntil: 'Your ban ends on {d}.', banForever: 'This ban is permanent.',
      mute: 'Mute', unmute: 'Unmute', show: 'show', mutedNote: 'Hidden: you muted {name} —', mutedOk: 'You muted {name}.', unmutedOk: 'You unmuted {name}.',
      notifyMe: 'Notify me of replies by e-mail', notifyEmail: 'Enter your e-mail to be told of replies.', notifySent: 'Check your inbox to confirm reply e-mails.',
      notifications: 'Notifications', unread: '{n} unread', noNotes: 'Nothing new.', n_reply: '{name} replied to you', n_mention: '{name} mentioned you', mentionList: 'Mention a participant',
      modTools: 'Moderate', approve: 'Approve', reject: 'Reject', feature: 'Feature', unfeature: 'Unfeature', ban: 'Ban', done: 'Done.',
      days: 'Days (empty: for good)', banMsg: 'Message shown to them', shadow: 'Shadow ban: they still post and alone see it',
      e_cannot_mute_self: 'You cannot mute yourself.', e_forbidden: 'You may not do that.',
    },
    de: {
      comments_0: 'Noch keine Kommentare', comments_1: '1 Kommentar', comments_n: '{n} Kommentare',
      sort: 'Sortieren', best: 'Beste', newest: 'Neueste', oldest: 'Älteste', top: 'Top', controversial: 'Umstritten',
      signIn: 'Anmelden', signUp: 'Konto erstellen', signOut: 'Abmelden', signedInAs: 'Angemeldet als {name}',
      username: 'Benutzername', password: 'Passwort', displayName: 'Anzeigename (optional)',
      email: 'E-Mail (optional, wird nie angezeigt)', name: 'Name', cancel: 'Abbrechen', close: 'Schließen',
      haveAccount: 'Schon ein Konto? Anmelden', noAccount: 'Neu hier? Konto erstellen',
      comment: 'Kommentar', writeComment: 'Kommentar schreiben …', writeReply: 'Antwort schreiben …',
      post: 'Kommentar senden', postReply: 'Antwort senden', save: 'Speichern', posting: 'Wird gesendet …',
      preview: 'Vorschau', hidePreview: 'Vorschau ausblenden', nothingToPreview: 'Nichts zur Vorschau.',
      markdownHint: 'Markdown: **fett**, *kursiv*, `Code`, > Zitat, [Link](https://…)',
      reply: 'Antworten', edit: 'Bearbeiten', del: 'Löschen', flag: 'Melden', permalink: 'Link zu diesem Kommentar',
      upvote: 'Positiv bewerten', downvote: 'Negativ bewerten', score: 'Wertung {n}', points: '{n} Punkte',
      collapse: 'Diskussion einklappen', expand: 'Diskussion ausklappen ({n} verborgen)',
      replyingTo: 'Antwort an @{name}', replyingToDeleted: 'Antwort auf einen gelöschten Kommentar',
      continueThread: 'Diskussion fortsetzen ({n} weitere)', loadMore: 'Weitere Kommentare laden', loading: 'Wird geladen …',
      deleted: 'Kommentar gelöscht', removed: 'Kommentar von der Moderation entfernt', deletedAuthor: '[gelöscht]',
      edited: 'bearbeitet', pinned: 'Angeheftet', featured: 'Empfohlen', registered: 'Mitglied',
      held: 'Wird geprüft', heldNote: 'Nur Sie sehen diesen Kommentar, bis die Moderation ihn freigibt.',
      rejected: 'Ihr Kommentar wurde nicht veröffentlicht.',
      posted: 'Ihr Kommentar wurde veröffentlicht.', heldPosted: 'Ihr Kommentar wird von der Moderation geprüft.',
      saved: 'Ihre Änderungen wurden gespeichert.', deletedOk: 'Ihr Kommentar wurde gelöscht.',
      deleteConfirm: 'Diesen Kommentar löschen? Das kann nicht rückgängig gemacht werden.',
      thinkTwice: 'Bitte noch einmal überlegen',
      thinkTwiceText: 'Ihr Kommentar verstößt möglicherweise gegen die Regeln. Bearbeiten Sie ihn oder senden Sie ihn trotzdem zur Prüfung.',
      thinkTwiceWords: 'Was uns stutzig macht:',
      postAnyway: 'Trotzdem senden', editIt: 'Bearbeiten', guidelines: 'Unsere Community-Regeln lesen',
      flagTitle: 'Diesen Kommentar melden', reason: 'Grund', note: 'Hinweis (optional)', sendReport: 'Meldung senden',
      r_spam: 'Spam', r_abuse: 'Beleidigung oder Belästigung', r_hate: 'Hassrede', r_threat: 'Gewaltandrohung',
      r_off_topic: 'Themenfremd', r_other: 'Sonstiges',
      flagged: 'Danke. Die Moderation sieht sich das an.', closed: 'Die Kommentare zu diesem Beitrag sind geschlossen.',
      newComments: '{n} neue Kommentare', newComment: '1 neuer Kommentar',
      showNew_1: '1 neuer Kommentar — anzeigen', showNew_n: '{n} neue Kommentare — anzeigen',
      tabAll: 'Alle Kommentare', tabFeatured: 'Empfohlen', tabsLabel: 'Welche Kommentare', noFeatured: 'Noch keine empfohlenen Kommentare.',
      loadError: 'Die Kommentare konnten nicht geladen werden.', retry: 'Erneut versuchen',
      signedIn: 'Sie sind angemeldet.', oidc: 'Anmelden mit {name}', oidcWait: 'Melden Sie sich im neuen Fenster an.', popup: 'Erlauben Sie Pop-ups auf dieser Seite, um sich anzumelden.', signedOut: 'Sie sind abgemeldet.', permalinkMissing: 'Dieser Kommentar ist nicht verfügbar.',
      e_network: 'Der Kommentar-Server ist nicht erreichbar. Bitte Verbindung prüfen und erneut versuchen.',
      e_name_required: 'Bitte geben Sie einen Namen an.', e_empty_body: 'Der Kommentar ist leer.',
      e_body_too_long: 'Der Kommentar ist zu lang.', e_rate_limited: 'Zu viele Anfragen. Bitte in {s} Sekunden erneut versuchen.',
      e_story_closed: 'Die Kommentare zu diesem Beitrag sind geschlossen.', e_login_required: 'Melden Sie sich an, um hier zu kommentieren.',
      e_invalid_credentials: 'Benutzername oder Passwort ist falsch.', e_username_taken: 'Dieser Benutzername ist vergeben.',
      e_weak_password: 'Bitte ein längeres, weniger gängiges Passwort wählen.', e_invalid_email: 'Die E-Mail-Adresse ist ungültig.',
      e_edit_window_closed: 'Die Zeit zum Bearbeiten oder Löschen ist abgelaufen.',
      e_not_your_comment: 'Sie können nur Ihre eigenen Kommentare ändern.', e_duplicate: 'Das haben Sie bereits getan.',
      e_invalid_token: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.', e_banned: 'Sie sind auf dieser Seite gesperrt.',
      e_parent_not_open: 'Auf diesen Kommentar kann nicht geantwortet werden.', e_origin_not_allowed: 'Diese Seite ist nicht für Kommentare eingerichtet.',
      e_comment_not_found: 'Dieser Kommentar existiert nicht mehr.',
      badge_staff: 'Team', badge_journalist: 'Redaktion', badge_moderator: 'Moderation',
      e_name_reserved: 'Dieser Name ist hier reserviert. Bitte wählen Sie einen anderen Namen oder melden Sie sich an.',
      e_sso_token_expired: 'Ihre Anmeldung über diese Seite ist abgelaufen. Bitte laden Sie die Seite neu.',
      e_sso_invalid_token: 'Die Anmeldung über diese Seite hat nicht geklappt.', e_sso_wrong_site: 'Die Anmeldung über diese Seite hat nicht geklappt.',
      e_sso_invalid_claims: 'Die Anmeldung über diese Seite hat nicht geklappt.', e_sso_not_configured: 'Die Anmeldung über diese Seite hat nicht geklappt.',
      notPublished: 'Nicht veröffentlicht', statement: 'Die Moderation hat diesen Kommentar nicht veröffentlicht.', reasonIs: 'Grund: {r}.',
      banUntil: 'Ihre Sperre endet am {d}.', banForever: 'Diese Sperre ist dauerhaft.',
      mute: 'Stummschalten', unmute: 'Nicht mehr stummschalten', show: 'anzeigen', mutedNote: 'Ausgeblendet: Sie haben {name} stummgeschaltet —', mutedOk: 'Sie haben {name} stummgeschaltet.', unmutedOk: '{name} ist nicht mehr stummgeschaltet.',
      notifyMe: 'Bei Antworten per E-Mail benachrichtigen', notifyEmail: 'Geben Sie Ihre E-Mail-Adresse an, um über Antworten informiert zu werden.', notifySent: 'Bitte bestätigen Sie die Benachrichtigungen in Ihrem Postfach.',
      notifications: 'Benachrichtigungen', unread: '{n} ungelesen', noNotes: 'Nichts Neues.', n_reply: '{name} hat Ihnen geantwortet', n_mention: '{name} hat Sie erwähnt', mentionList: 'Teilnehmende erwähnen',
      modTools: 'Moderieren', approve: 'Freigeben', reject: 'Ablehnen', feature: 'Empfehlen', unfeature: 'Nicht mehr empfehlen', ban: 'Sperren', done: 'Erledigt.',
      days: 'Tage (leer: dauerhaft)', banMsg: 'Nachricht an die Person', shadow: 'Schattensperre: schreibt weiter und sieht es als Einzige',
      e_cannot_mute_self: 'Sie können sich nicht selbst stummschalten.', e_forbidden: 'Das dürfen Sie nicht.',
    },
  };
  for (const [lang, dict] of Object.entries(T.i18n || {})) I18N[lang] = Object.assign(I18N[lang] || {}, dict);
  T.i18n = I18N;

  // --- storage: localStorage when allowed (third-party storage can be blocked), else memory
  const mem = {};
  const store = {
    get(k, d) {
      if (k in mem) return mem[k]; // parsed once per page: rendering 1,000 comments reads this a lot
      try { const v = localStorage.getItem('threadline:' + k); if (v != null) return (mem[k] = JSON.parse(v)); } catch (e) { /* blocked */ }
      return d;
    },
    set(k, v) { mem[k] = v; try { localStorage.setItem('threadline:' + k, JSON.stringify(v)); } catch (e) { /* blocked */ } },
    del(k) { delete mem[k]; try { localStorage.removeItem('threadline:' + k); } catch (e) { /* blocked */ } },
  };
  const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  const guestId = () => { let g = store.get('guest'); if (!g) { g = randomId(); store.set('guest', g); } return g; };
  const auth = () => store.get('auth', null);
  const STAFF = ['staff', 'journalist', 'moderator'];
  // A rejection's DSA category, labelled with the report reason that says the same.
  const REJECT = [['illegal_hate_speech', 'r_hate'], ['violence', 'r_threat'], ['harassment', 'r_abuse'], ['spam', 'r_spam'], ['off_topic', 'r_off_topic'], ['other', 'r_other']];
  /** A JWT's claims, read without checking it (the server checks it): only to tell whether
   *  the stored session is already the reader the host page names. */
  const jwtClaims = (token) => {
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (ch) => ch.charCodeAt(0))));
    } catch (e) { return null; }
  };
  /** Up to two initials of a name, for readers without a picture. */
  const initials = (name) => {
    const words = String(name || '').trim().split(/\s+/).filter(Boolean);
    const first = (w) => (Array.from(w)[0] || '');
    return (first(words[0] || '') + (words.length > 1 ? first(words[words.length - 1]) : '')).toUpperCase();
  };

  // --- DOM helpers: all API text goes in through textContent --------------------------
  const h = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };
  const btn = (cls, text, label) => {
    const b = h('button', 'tl-btn ' + cls, text);
    b.type = 'button';
    if (label) b.setAttribute('aria-label', label);
    return b;
  };
  const esc = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

  // --- Markdown preview: escape everything first, then add a few tags of our own --------
  function inline(s) {
    const keep = [];
    const stash = (html) => '\u0000' + (keep.push(html) - 1) + '\u0000';
    s = s.replace(/`([^`\n]+)`/g, (_, c) => stash('<code>' + c + '</code>'));
    s = s.replace(/\[([^\]\n]+)\]\(((?:https?:\/\/|mailto:)[^\s)]+)\)/g,
      (_, t, u) => stash('<a href="' + u + '" rel="nofollow ugc noopener" target="_blank">' + t + '</a>'));
    s = s.replace(/\bhttps?:\/\/[^\s<\u0000]+[^\s<.,;:!?)\u0000]/g,
      (u) => stash('<a href="' + u + '" rel="nofollow ugc noopener" target="_blank">' + u + '</a>'));
    s = s.replace(/\*\*(?=\S)([^*]+?)\*\*/g, '<strong>$1</strong>').replace(/__(?=\S)([^_]+?)__/g, '<strong>$1</strong>')
      .replace(/\*(?=\S)([^*]+?)\*/g, '<em>$1</em>').replace(/(^|[^\w])_(?=\S)([^_]+?)_(?!\w)/g, '$1<em>$2</em>')
      .replace(/~~(?=\S)([^~]+?)~~/g, '<del>$1</del>');
    return s.replace(/\u0000(\d+)\u0000/g, (_, i) => keep[+i]);
  }
  function markdown(src) {
    const lines = esc(src.replace(/\u0000/g, '').replace(/\r\n?/g, '\n')).split('\n');
    const out = [];
    let para = [];
    const flush = () => { if (para.length) out.push('<p>' + para.map(inline).join('<br>') + '</p>'); para = []; };
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (/^```/.test(line)) {
        flush();
        const code = [];
        while (++i < lines.length && !/^```/.test(lines[i])) code.push(lines[i]);
        out.push('<pre><code>' + code.join('\n') + '</code></pre>');
      } else if (/^&gt; ?/.test(line)) {
        flush();
        const q = [];
        for (; i < lines.length && /^&gt; ?/.test(lines[i]); i++) q.push(lines[i].replace(/^&gt; ?/, ''));
        i--;
        out.push('<blockquote><p>' + q.map(inline).join('<br>') + '</p></blockquote>');
      } else if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
        flush();
        const ordered = /^\s*\d/.test(line);
        const items = [];
        for (; i < lines.length && /^\s*([-*+]|\d+[.)])\s+/.test(lines[i]); i++) items.push('<li>' + inline(lines[i].replace(/^\s*([-*+]|\d+[.)])\s+/, '')) + '</li>');
        i--;
        out.push((ordered ? '<ol>' : '<ul>') + items.join('') + (ordered ? '</ol>' : '</ul>'));
      } else if (!line.trim()) flush();
      else para.push(line);
    }
    flush();
    return out.join('');
  }

  // --- API client ---------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, body) {
      const e = (body && body.error) || {};
      super(e.message || 'HTTP ' + status);
      Object.assign(this, { status, code: e.code || (status ? 'http_' + status : 'network'), field: e.field, data: e.data || {} });
    }
  }

  // --- CSS (adopted stylesheet: not blocked by a host CSP without 'unsafe-inline') -----
  const CSS = `
:host{all:initial;display:block}
.tl-root{--a:var(--tl-accent,#0a58ca);--fg:var(--tl-fg,#1f2328);--mu:var(--tl-muted,#59636e);--bg:var(--tl-bg,#fff);--bg2:var(--tl-bg-alt,#f3f4f6);--bd:var(--tl-border,#c9d1d9);--on:#fff;--hl:#fff3b0;--ok:#1a7f37;--wa:#8a5a00;--er:#c4212b;--ind:1.25rem;
container:tl/inline-size;font:15px/1.5 var(--tl-font,system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--fg);background:var(--bg);padding:1rem;border-radius:8px;text-align:start}
.tl-root[data-theme=dark]{--a:var(--tl-accent-dark,#79b8ff);--fg:var(--tl-fg-dark,#e6edf3);--mu:var(--tl-muted-dark,#a2acb7);--bg:var(--tl-bg-dark,#0d1117);--bg2:var(--tl-bg-alt-dark,#1b222c);--bd:var(--tl-border-dark,#3d4652);--on:#0d1117;--hl:#3d3000;--ok:#56d364;--wa:#e3b341;--er:#ff8f87;color-scheme:dark}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.tl-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.tl-head{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;margin-bottom:.75rem}
.tl-title{font-size:1.15rem;font-weight:650;margin:0;flex:1 1 auto}
.tl-head label{color:var(--mu);font-size:.9rem}
.tl-btn,.tl-sort{font:inherit;font-size:.875rem;color:var(--mu);background:none;border:1px solid transparent;border-radius:6px;padding:.2rem .5rem;cursor:pointer;line-height:1.4}
.tl-btn:hover{background:var(--bg2);color:var(--fg)}
.tl-sort{border-color:var(--bd);color:var(--fg);background:var(--bg)}
.tl-primary{background:var(--a);color:var(--on);border-color:var(--a);font-weight:600;padding:.35rem .9rem}
.tl-primary:hover{background:var(--a);color:var(--on);filter:brightness(1.1)}
.tl-outline{border-color:var(--bd);color:var(--fg)}
.tl-btn:disabled{opacity:.6;cursor:default}
:focus-visible{outline:2px solid var(--a);outline-offset:2px}
a{color:var(--a)}
.tl-auth{display:flex;align-items:center;gap:.5rem;font-size:.9rem;color:var(--mu)}
.tl-panel{border:1px solid var(--bd);border-radius:8px;padding:.75rem;margin:.5rem 0;background:var(--bg2)}
.tl-panel-title{margin:0 0 .5rem;font-size:1rem;font-weight:650}
.tl-field{display:flex;flex-direction:column;gap:.15rem;flex:1 1 12rem;font-size:.875rem}
.tl-field label{color:var(--mu)}
.tl-row{display:flex;flex-wrap:wrap;gap:.5rem;margin-bottom:.5rem}
input,textarea,select.tl-input{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--bd);border-radius:6px;padding:.4rem .55rem;width:100%}
textarea{min-height:5.5rem;resize:vertical;display:block}
[aria-invalid=true]{border-color:var(--er)}
.tl-hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
.tl-form{margin:.5rem 0 1rem}
.tl-form-actions{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin-top:.5rem}
.tl-hint{font-size:.8rem;color:var(--mu);flex:1 1 12rem}
.tl-preview{border:1px dashed var(--bd);border-radius:6px;padding:.4rem .6rem;margin-top:.5rem;min-height:2rem}
.tl-error{color:var(--er);font-size:.9rem;margin:.35rem 0 0}
.tl-error:empty{display:none}
.tl-confirm-dialog{border:1px solid var(--wa);border-radius:8px;padding:.6rem .75rem;margin-top:.5rem;background:var(--bg2)}
.tl-confirm-dialog h3{margin:0 0 .25rem;font-size:1rem}
.tl-confirm-dialog p{margin:0 0 .5rem;font-size:.9rem}
.tl-guidelines{color:var(--a);font-size:.9rem}
.tl-notice{padding:.5rem .75rem;border-radius:6px;background:var(--bg2);color:var(--mu);margin:.5rem 0}
.tl-list{margin:0;padding:0}
.tl-comment{margin:.25rem 0 .75rem;padding:.15rem .35rem;border-radius:6px;scroll-margin:4rem}
.tl-comment:focus{outline:none}
.tl-list>.tl-comment{content-visibility:auto;contain-intrinsic-size:auto 160px}
.tl-meta{display:flex;flex-wrap:wrap;align-items:baseline;gap:.15rem .5rem;font-size:.85rem;color:var(--mu)}
.tl-author{font-weight:650;color:var(--fg);font-size:.9rem}
.tl-meta a{color:var(--mu);text-decoration:none}
.tl-meta a:hover{text-decoration:underline}
.tl-collapse{padding:0 .35rem;font-family:ui-monospace,monospace;min-width:1.6rem}
.tl-badge{font-size:.72rem;border:1px solid var(--bd);border-radius:999px;padding:0 .45rem;color:var(--mu)}
.tl-held{border-color:var(--wa);color:var(--wa);font-weight:600}
.tl-pin{border-color:var(--a);color:var(--a)}
.tl-staff{background:var(--a);border-color:var(--a);color:var(--on);font-weight:600}
.tl-avatar{display:inline-flex;align-items:center;justify-content:center;align-self:center;flex:none;width:1.75rem;height:1.75rem;border-radius:50%;overflow:hidden;font-size:.7rem;font-weight:700;line-height:1;color:#fff;background:#5a5f66;user-select:none}
.tl-avatar:empty{display:none}
.tl-avatar img{width:100%;height:100%;object-fit:cover;display:block}
.tl-av1{background:#1f6f50}.tl-av2{background:#7a3e9d}.tl-av3{background:#9c3d20}.tl-av4{background:#1d5b99}.tl-av5{background:#8a4b08}.tl-av6{background:#a12a5e}.tl-av7{background:#2f6b7a}
.tl-context{display:none;font-size:.8rem;color:var(--mu);margin:.1rem 0 0}
.tl-body{overflow-wrap:anywhere;margin:.15rem 0 .1rem}
.tl-body p,.tl-preview p{margin:.3rem 0}
.tl-body blockquote,.tl-preview blockquote{margin:.3rem 0;padding-left:.75rem;border-left:3px solid var(--bd);color:var(--mu)}
.tl-body code,.tl-preview code{font-family:ui-monospace,monospace;font-size:.85em;background:var(--bg2);padding:.05rem .25rem;border-radius:4px}
.tl-body pre,.tl-preview pre{background:var(--bg2);padding:.5rem;border-radius:6px;overflow:auto}
.tl-body pre code{background:none;padding:0}
.tl-body ul,.tl-body ol{padding-left:1.5rem;margin:.3rem 0}
.tl-tombstone{font-style:italic;color:var(--mu);margin:.2rem 0}
.tl-heldnote{font-size:.8rem;color:var(--wa);margin:.1rem 0}
.tl-actions{display:flex;flex-wrap:wrap;align-items:center;gap:.1rem .25rem}
.tl-vote-up,.tl-vote-down{font-size:.8rem;padding:.15rem .45rem}
.tl-vote-up[aria-pressed=true]{color:var(--ok);background:var(--bg2);border-color:var(--ok)}
.tl-vote-down[aria-pressed=true]{color:var(--er);background:var(--bg2);border-color:var(--er)}
.tl-score{font-size:.85rem;font-weight:600;min-width:1.5rem;text-align:center;font-variant-numeric:tabular-nums}
.tl-children{margin-left:var(--ind);padding-left:.75rem;border-left:2px solid var(--bd)}
.tl-children.tl-deep{margin-left:0;padding-left:0;border-left:0}
.tl-deep>.tl-comment>.tl-context{display:block}
.tl-collapsed>:is(.tl-body,.tl-tombstone,.tl-actions,.tl-slot,.tl-children,.tl-continue,.tl-context,.tl-heldnote,.tl-statement,.tl-modbar){display:none!important}
.tl-collapsed{opacity:.85}
.tl-continue,.tl-load-more{color:var(--a);font-weight:600}
.tl-load-more{display:block;margin:1rem auto 0;border-color:var(--bd)}
.tl-highlight{background:var(--hl);box-shadow:0 0 0 2px var(--a)}
.tl-new{box-shadow:inset 3px 0 0 var(--a)}
/* height 0: the bar floats over the thread and never pushes it down */
.tl-newbar{display:flow-root;position:sticky;top:0;height:0;z-index:2;text-align:center}
.tl-newbar>.tl-btn{margin:.25rem auto;box-shadow:0 2px 8px rgba(0,0,0,.25);background:var(--a);color:var(--on);border-color:var(--a);font-weight:600;border-radius:999px;padding:.3rem 1rem}
.tl-tabs{display:flex;gap:.25rem;border-bottom:1px solid var(--bd);margin:.5rem 0 .75rem}
.tl-tab{border-radius:6px 6px 0 0;margin-bottom:-1px}
.tl-tab[aria-selected=true]{color:var(--fg);border-color:var(--bd);border-bottom-color:var(--bg);font-weight:600}
.tl-pending{border:1px dashed var(--wa)}
.tl-rejected{border-color:var(--er)}
.tl-not-published{border-color:var(--er);color:var(--er)}
.tl-statement{font-size:.8rem;color:var(--er);margin:.1rem 0}
.tl-root:not(.tl-signed-in) .tl-mute-btn{display:none}
.tl-muted:not(.tl-shown)>:not(.tl-mnote,.tl-children){display:none!important}
.tl-mnote{font-size:.85rem;color:var(--mu);margin:.1rem 0}
.tl-shown .tl-unhide{display:none}
.tl-modbar{display:flex;flex-wrap:wrap;gap:.25rem;padding-left:.4rem;border-left:3px solid var(--wa)}
.tl-unread{background:var(--a);color:var(--on);border-radius:999px;padding:0 .4rem;margin-left:.3rem;font-weight:700}
.tl-mentions{list-style:none;margin:.25rem 0;padding:.2rem;border:1px solid var(--bd);border-radius:6px;max-width:20rem}
.tl-mentions li{padding:.15rem .4rem;border-radius:4px;cursor:pointer}
.tl-mentions [aria-selected=true]{background:var(--a);color:var(--on)}
.tl-check{display:flex;gap:.35rem;align-items:center;font-size:.85rem;color:var(--mu);margin-top:.4rem}
.tl-check input{width:auto}
.tl-notes{margin:0;padding-left:1.2rem}
@container tl (max-width:520px){.tl-list{--ind:.35rem}.tl-children{padding-left:.5rem}.tl-mid{margin-left:0;padding-left:0;border-left:0}.tl-mid .tl-context,.tl-children .tl-context{display:block}}
@media (prefers-reduced-motion:no-preference){.tl-comment{transition:background-color .6s,box-shadow .6s}}
@media (forced-colors:active){.tl-btn{border-color:ButtonText}}
`;
  let sheet = null;
  function styleInto(root) {
    try {
      if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); }
      root.adoptedStyleSheets = [sheet];
    } catch (e) { root.append(h('style', null, CSS)); } // older engines
  }

  // --- the widget ---------------------------------------------------------------------
  const DEFAULTS = { sort: 'best', limit: 50, editWindow: 900, poll: 10, theme: 'auto', live: 'sse' };

  class Widget {
    constructor(host, opts = {}) {
      this.host = host;
      const d = Object.assign({}, script ? script.dataset : {}, host.dataset);
      const o = (this.opts = Object.assign({}, DEFAULTS, {
        url: d.threadlineUrl || (document.querySelector('link[rel=canonical]') || {}).href || location.origin + location.pathname,
        // Only a suggestion for a new story's title (the publisher's, set in the desk, wins):
        // the headline without the " | Site" that document.title often carries, where known.
        title: d.threadlineTitle || (document.querySelector('meta[property="og:title"]') || {}).content || document.title,
        sort: d.threadlineSort, limit: +d.threadlineLimit || undefined, theme: d.threadlineTheme,
        editWindow: d.threadlineEditWindow != null ? +d.threadlineEditWindow : undefined,
        poll: d.threadlinePoll != null ? +d.threadlinePoll : undefined,
        lang: d.threadlineLang, api: d.threadlineApi, live: d.threadlineLive,
        // The publisher's signed token ("" = signed out there), and where its sign-in page is.
        sso: d.threadlineSso, ssoLogin: d.threadlineSsoLogin,
      }, opts));
      for (const k of Object.keys(o)) if (o[k] === undefined || Number.isNaN(o[k])) o[k] = DEFAULTS[k];
      let base = o.api || (script && script.src ? new URL(script.src).origin : location.origin);
      base = base.replace(/\/+$/, '');
      this.base = /\/api\/v\d+$/.test(base) ? base : base + '/api/v1';
      const want = (o.lang || navigator.language || 'en').toLowerCase();
      this.lang = T.i18n[want] ? want : T.i18n[want.slice(0, 2)] ? want.slice(0, 2) : 'en';
      this.dict = Object.assign({}, T.i18n.en, T.i18n[this.lang]);
      this.sort = ['best', 'top', 'newest', 'oldest', 'controversial'].includes(o.sort) ? o.sort : 'best';
      this.nodes = new Map(); // id -> {c: data, el}
      this.queued = new Map(); // id -> comment held back behind the "new comments" bar
      this.featured = false; // the Featured tab (editor's picks) instead of the thread
      this.uid = 0;
    }

    t(key, vars) {
      let s = this.dict[key] || key;
      if (vars) for (const k in vars) s = s.split('{' + k + '}').join(vars[k]);
      return s;
    }

    async call(method, path, body, { authed = method !== 'GET', signal, cache } = {}) {
      const headers = {};
      if (method !== 'GET') headers['X-Threadline-Guest'] = guestId();
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const a = auth();
      if (authed && a && a.token) headers.Authorization = 'Bearer ' + a.token;
      let res;
      try {
        res = await fetch(this.base + path, {
          method, headers, signal, cache, credentials: 'omit', mode: 'cors',
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (e) {
        if (e.name === 'AbortError') throw e;
        throw new ApiError(0, null);
      }
      const text = await res.text();
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch (e) { /* not JSON */ }
      if (!res.ok) {
        const err = new ApiError(res.status, data);
        if (err.code === 'invalid_token') this.setAuth(null);
        throw err;
      }
      return { data, status: res.status, etag: res.headers.get('ETag'), text };
    }

    errText(err) {
      if (err.code === 'rate_limited') return this.t('e_rate_limited', { s: err.data.retry_after || 60 });
      if (err.code === 'banned') {
        const d = err.data;
        const end = d.until && new Date(d.until).toLocaleDateString(this.lang, { dateStyle: 'long' });
        return [this.t('e_banned'), d.permanent ? this.t('banForever') : end ? this.t('banUntil', { d: end }) : '', d.message ? '“' + d.message + '”' : ''].filter(Boolean).join(' ');
      }
      return this.dict['e_' + err.code] || err.message;
    }

    announce(msg) {
      // Clear first so the same message is announced twice in a row.
      this.live.textContent = '';
      setTimeout(() => { this.live.textContent = msg; }, 50);
    }

    // --- shell ------------------------------------------------------------------------
    build() {
      const sr = this.host.shadowRoot || this.host.attachShadow({ mode: 'open' });
      sr.replaceChildren();
      styleInto(sr);
      const root = (this.root = h('section', 'tl-root'));
      root.lang = this.lang;
      const th = this.opts.theme;
      const mq = window.matchMedia && matchMedia('(prefers-color-scheme: dark)');
      const apply = () => { root.dataset.theme = th === 'light' || th === 'dark' ? th : mq && mq.matches ? 'dark' : 'light'; };
      apply();
      if (mq && mq.addEventListener) mq.addEventListener('change', apply);
      const head = h('div', 'tl-head');
      this.titleEl = h('h2', 'tl-title', this.t('loading'));
      this.titleEl.id = 'tl-title';
      root.setAttribute('aria-labelledby', 'tl-title');
      const sortWrap = h('div', 'tl-sortwrap');
      const sl = h('label', null, this.t('sort') + ' ');
      const sel = (this.sortSel = h('select', 'tl-sort'));
      for (const k of ['best', 'top', 'newest', 'oldest', 'controversial']) { const op = h('option', null, this.t(k)); op.value = k; sel.append(op); }
      sel.value = this.sort;
      sel.id = 'tl-sort';
      sl.htmlFor = 'tl-sort';
      sel.addEventListener('change', () => { this.sort = sel.value; this.reload(); });
      sortWrap.append(sl, sel);
      this.authEl = h('div', 'tl-auth');
      head.append(this.titleEl, sortWrap, this.authEl);
      this.authPanel = h('div', 'tl-authpanel');
      this.live = h('div', 'tl-sr tl-status');
      this.live.setAttribute('role', 'status');
      this.live.setAttribute('aria-live', 'polite');
      this.notice = h('div', 'tl-notice');
      this.notice.hidden = true;
      this.formWrap = h('div', 'tl-main-form');
      this.list = h('div', 'tl-list');
      this.list.id = 'tl-list';
      this.list.setAttribute('role', 'tabpanel');
      this.more = btn('tl-load-more tl-outline', this.t('loadMore'));
      this.more.hidden = true;
      // Comments from others wait behind this bar, so nothing moves under the reader.
      this.newBar = h('div', 'tl-newbar');
      this.newBar.setAttribute('aria-live', 'polite');
      this.newBtn = btn('tl-show-new', '');
      this.newBtn.hidden = true;
      this.newBtn.addEventListener('click', () => this.showQueued());
      this.newBar.append(this.newBtn);
      root.append(head, this.authPanel, this.live, this.notice, this.formWrap, this.tabs(), this.newBar, this.list, this.more);
      sr.append(root);
      root.addEventListener('click', (e) => this.onClick(e));
      root.addEventListener('keydown', (e) => {
        // Escape closes an open reply / edit / report form and returns focus to its comment.
        const open = e.key === 'Escape' && e.target.closest('.tl-slot>*');
        if (!open) return;
        const art = open.closest('.tl-comment');
        open.remove();
        const b = art.querySelector(':scope>.tl-actions>.tl-btn');
        if (b) b.focus();
      });
      this.renderAuth();
    }

    // --- loading ----------------------------------------------------------------------
    async start() {
      this.build();
      try {
        const q = new URLSearchParams({ url: this.opts.url, title: this.opts.title });
        this.story = (await this.call('GET', '/stories/lookup?' + q)).data;
      } catch (err) {
        return this.fail(err);
      }
      this.renderAuth(); // the provider's button, when the server has one
      await this.signInSso();
      this.formWrap.replaceChildren(this.form({}));
      this.applyOpen();
      await this.reload(true);
      this.checkMe();
      this.onHash = () => this.permalink();
      window.addEventListener('hashchange', this.onHash);
      this.startTransport();
      this.tick = setInterval(() => this.expireOwn(), 30000);
    }

    fail(err) {
      this.titleEl.textContent = this.t('loadError');
      this.notice.hidden = false;
      this.notice.replaceChildren(h('span', null, this.errText(err) + ' '));
      const r = btn('tl-retry tl-outline', this.t('retry'));
      r.addEventListener('click', () => this.start());
      this.notice.append(r);
      this.announce(this.t('loadError'));
    }

    applyOpen() {
      const open = !this.story || this.story.is_open !== false;
      this.root.classList.toggle('tl-closed', !open);
      this.formWrap.hidden = !open;
      this.notice.hidden = open;
      if (!open) this.notice.replaceChildren(h('span', null, this.t('closed')));
    }

    pageUrl(cursor) {
      const q = new URLSearchParams({ sort: this.sort, limit: String(this.opts.limit) });
      if (cursor) q.set('cursor', cursor);
      if (this.featured) q.set('featured', '1');
      return '/stories/' + this.story.id + '/comments?' + q;
    }

    async reload(first) {
      if (!this.story) return this.start();
      let res;
      const me = this.fetchMe(); // the reader's own layer, fetched alongside the page
      try {
        // cache:'no-cache' lets the browser revalidate with If-None-Match itself (no preflight).
        res = await this.call('GET', this.pageUrl(), undefined, { cache: 'no-cache' });
      } catch (err) {
        return this.fail(err);
      }
      await me;
      const t0 = performance.now();
      this.lastSig = res.etag || res.text;
      this.nodes.clear();
      this.queued.clear();
      this.updateBar();
      const page = res.data;
      this.lastIds = pageIds(page.comments);
      this.mark = undefined;
      if (page.next_cursor && this.sort !== 'newest' && !this.featured) this.newest(1).catch(() => {}); // watermark for refresh()
      const frag = document.createDocumentFragment();
      for (const c of page.comments) frag.append(this.renderTree(c, null));
      if (this.featured && !page.comments.length) frag.append(h('p', 'tl-notice tl-empty', this.t('noFeatured')));
      this.list.replaceChildren(frag);
      this.setTotal(page.total);
      this.cursor = page.next_cursor;
      this.more.hidden = !this.cursor;
      this.renderOwn();
      this.renderMs = performance.now() - t0;
      if (first) {
        this.loaded = true;
        this.host.dispatchEvent(new CustomEvent('threadline:loaded', {
          bubbles: true, composed: true, detail: { story: this.story, total: page.total, renderMs: this.renderMs },
        }));
      }
      await this.permalink();
    }

    setTotal(n) {
      this.total = n;
      this.titleEl.textContent = this.t(n === 0 ? 'comments_0' : n === 1 ? 'comments_1' : 'comments_n', { n: n.toLocaleString(this.lang) });
    }

    async loadMore() {
      this.more.disabled = true;
      this.more.textContent = this.t('loading');
      try {
        const page = (await this.call('GET', this.pageUrl(this.cursor))).data;
        const frag = document.createDocumentFragment();
        for (const c of page.comments) if (!this.nodes.has(c.id)) frag.append(this.renderTree(c, null));
        this.list.append(frag);
        this.cursor = page.next_cursor;
        this.more.hidden = !this.cursor;
      } catch (err) {
        this.announce(this.errText(err));
      }
      this.more.disabled = false;
      this.more.textContent = this.t('loadMore');
    }

    // --- live updates: a transport calls refresh() (poll) or merge([...]) (push) --------
    startTransport() {
      this.stopTransport();
      const make = T.transport || (this.opts.live === 'poll' ? pollTransport : liveTransport);
      this.stopFn = make(this, { interval: this.opts.poll });
    }
    stopTransport() { if (this.stopFn) this.stopFn(); this.stopFn = null; }

    async refresh() {
      if (!this.story || this.busy) return;
      this.busy = true;
      try {
        const res = await this.call('GET', this.pageUrl(), undefined, { cache: 'no-cache' });
        const sig = res.etag || res.text;
        if (sig !== this.lastSig) {
          this.lastSig = sig;
          const ids = pageIds(res.data.comments);
          const gone = [...(this.lastIds || [])].filter((id) => !ids.has(id));
          this.lastIds = ids;
          this.merge(res.data.comments);
          this.setTotal(res.data.total);
          if ((auth() || {}).token) { await this.fetchMe(); this.renderOwn(); }
          if (!this.cursor && res.data.next_cursor && this.sort !== 'newest') { this.cursor = res.data.next_cursor; this.more.hidden = false; }
          await this.recheck(gone);
        }
        if (this.cursor && this.sort !== 'newest' && !this.featured) await this.newest(20);
      } catch (e) { /* transient: the next tick retries */ }
      this.busy = false;
      this.expireOwn();
    }

    /** New top-level comments that sort beyond the first page (best, oldest): read the
     *  newest ones and merge those created after the watermark taken when the page loaded. */
    async newest(limit) {
      const sort = this.sort;
      const q = new URLSearchParams({ sort: 'newest', limit: String(limit) });
      const res = await this.call('GET', '/stories/' + this.story.id + '/comments?' + q, undefined, { cache: 'no-cache' });
      if (sort !== this.sort) return;
      const list = res.data.comments;
      const top = list.reduce((m, c) => (c.created_at > m ? c.created_at : m), '');
      if (this.mark === undefined) { this.mark = top; return; }
      const fresh = list.filter((c) => c.created_at > this.mark || this.nodes.has(c.id));
      if (top > this.mark) this.mark = top;
      if (fresh.length) this.merge(fresh);
    }

    /** Comments that left the first page: removed by a moderator (gone unless they have
     *  replies), or merely pushed to a later page. Ask for each one (a few per poll). */
    async recheck(ids) {
      for (const id of ids.slice(0, 20)) {
        const node = this.nodes.get(id);
        if (!node || node.c.pending) continue;
        let status = 'removed';
        try {
          status = (await this.call('GET', '/comments/' + id + '?sort=' + this.sort)).data.comment.status;
        } catch (err) {
          if (err.status !== 404) continue;
        }
        if (status === 'published' || !this.nodes.has(id)) continue;
        if (node.el.querySelector(':scope>.tl-children>.tl-comment')) this.tombstone(node.el, status);
        else { node.el.remove(); this.nodes.delete(id); }
      }
    }

    /** Merge comments (a page, or pushed ones) into the DOM without touching open forms. */
    merge(comments) {
      let added = 0;
      const walk = (list, parent) => {
        for (const c of list) {
          const known = this.nodes.get(c.id);
          if (known && !known.c.pending) {
            this.patch(known, c);
            walk(c.replies || [], c);
            continue;
          }
          if (known) { this.place(c); continue; } // the reader's own held comment: at once
          if (c.parent_id && !this.nodes.has(c.parent_id) && !this.queued.has(c.parent_id)) continue; // parent not on screen
          if (!this.queued.has(c.id)) added++;
          this.queued.set(c.id, c); // the latest copy, with any replies it gathered meanwhile
        }
      };
      walk(comments, null);
      if (added) this.updateBar(); // the bar's live region announces it
      return added;
    }

    /** Render a comment (and its replies) where it belongs; returns its element or null. */
    place(c) {
      const known = this.nodes.get(c.id);
      if (known) known.el.remove();
      const pNode = c.parent_id ? this.nodes.get(c.parent_id) : null;
      if (c.parent_id && !pNode) return null; // parent not on screen (cut or on another page)
      const el = this.renderTree(c, pNode ? pNode.c : null);
      el.classList.add('tl-new');
      const box = pNode ? pNode.el.querySelector(':scope>.tl-children') : this.list;
      if (this.sort === 'newest' || (!pNode && this.cursor)) box.prepend(el); else box.append(el);
      return el;
    }

    /** How many comments wait behind the bar (replies inside a waiting comment count too). */
    queuedCount() {
      const ids = new Set();
      for (const c of this.queued.values()) pageIds([c], ids);
      let n = 0;
      for (const id of ids) if (!this.nodes.has(id)) n++;
      return n;
    }

    updateBar() {
      if (!this.newBtn) return;
      const n = this.queuedCount();
      this.newBtn.hidden = n === 0;
      this.newBtn.textContent = n ? (n === 1 ? this.t('showNew_1') : this.t('showNew_n', { n: n.toLocaleString(this.lang) })) : '';
    }

    /** The bar was clicked: insert what waited, then bring the first of them into view. */
    showQueued() {
      const waiting = [...this.queued.values()];
      this.queued.clear();
      let first = null;
      for (const c of waiting) {
        if (this.nodes.has(c.id)) continue; // arrived inside a parent placed just before
        const el = this.place(c);
        if (el && !first) first = el;
      }
      this.updateBar();
      if (!first) return;
      first.tabIndex = -1;
      first.scrollIntoView({ block: 'nearest' });
      first.focus({ preventScroll: true });
    }

    // --- tabs: the whole thread, or the editor's picks --------------------------------
    tabs() {
      const bar = h('div', 'tl-tabs');
      bar.setAttribute('role', 'tablist');
      bar.setAttribute('aria-label', this.t('tabsLabel'));
      this.tabBtns = ['tabAll', 'tabFeatured'].map((key, i) => {
        const b = btn('tl-tab' + (i ? ' tl-tab-featured' : ' tl-tab-all'), this.t(key));
        b.setAttribute('role', 'tab');
        b.setAttribute('aria-controls', 'tl-list');
        b.setAttribute('aria-selected', String(i === 0));
        b.addEventListener('click', () => this.showTab(i === 1));
        bar.append(b);
        return b;
      });
      return bar;
    }

    showTab(featured) {
      if (featured === this.featured) return;
      this.featured = featured;
      this.tabBtns.forEach((b, i) => b.setAttribute('aria-selected', String((i === 1) === featured)));
      // Posting belongs with the whole thread; the picks are a reading view.
      this.formWrap.hidden = featured || (this.story && this.story.is_open === false);
      this.reload();
    }

    patch(node, c) {
      const { el } = node;
      const old = node.c;
      node.c = Object.assign({}, old, c, { replies: undefined });
      if (old.score !== c.score || old.upvotes !== c.upvotes || old.downvotes !== c.downvotes) this.setCounts(el, c);
      if (old.status !== c.status && c.status !== 'published') { this.tombstone(el, c.status); return; }
      if (c.status === 'published' && old.body_html !== c.body_html) {
        const b = el.querySelector(':scope>.tl-body');
        if (b) b.innerHTML = c.body_html; // sanitised server-side
      }
    }

    // --- rendering --------------------------------------------------------------------
    renderTree(c, parent) {
      const el = this.renderComment(c, parent);
      const kids = c.replies || [];
      if (kids.length) {
        const frag = document.createDocumentFragment();
        for (const r of kids) frag.append(this.renderTree(r, c));
        el.tlBox.append(frag);
      }
      return el;
    }

    /** Skeletons built once per widget and cloned per comment: cloning is several times
     *  faster than creating and labelling each element (1,000 comments in well under 100 ms). */
    skeletons() {
      if (this.sk) return this.sk;
      const t = this.t.bind(this);
      const el = h('article', 'tl-comment');
      const meta = h('div', 'tl-meta');
      const col = btn('tl-collapse', '−', t('collapse'));
      col.setAttribute('aria-expanded', 'true');
      const a = h('a', 'tl-time');
      a.append(h('time'));
      const av = h('span', 'tl-avatar');
      av.setAttribute('aria-hidden', 'true'); // the name beside it says who it is
      meta.append(col, av, h('span', 'tl-author'), a);
      el.append(meta, h('div', 'tl-slot'), h('div', 'tl-children'));
      const bar = h('div', 'tl-actions');
      const up = btn('tl-vote-up', '▲', t('upvote'));
      const down = btn('tl-vote-down', '▼', t('downvote'));
      up.setAttribute('aria-pressed', 'false');
      down.setAttribute('aria-pressed', 'false');
      bar.append(up, h('span', 'tl-score'), down, btn('tl-reply-btn', t('reply')));
      const dates = new Intl.DateTimeFormat(this.lang, { dateStyle: 'medium', timeStyle: 'short' });
      return (this.sk = { el, bar, body: h('div', 'tl-body'), dates,
        flag: btn('tl-flag-btn', t('flag')), edit: btn('tl-edit-btn', t('edit')), del: btn('tl-delete-btn', t('del')), mute: btn('tl-mute-btn', t('mute')) });
    }

    renderComment(c, parent) {
      const t = this.t.bind(this);
      const sk = this.skeletons();
      const prev = this.nodes.get(c.id);
      if (prev) prev.el.remove();
      const el = sk.el.cloneNode(true);
      el.dataset.commentId = c.id;
      el.dataset.depth = c.depth;
      const pending = c.status === 'pending';
      const rejected = c.status === 'rejected'; // the reader's own, with the statement of reasons
      const tomb = !pending && !rejected && c.status !== 'published';
      this.nodes.set(c.id, { c: Object.assign({}, c, { replies: undefined, pending }), el });
      const [meta, slot, box] = el.children;
      const author = meta.children[2];
      const a = meta.lastChild;
      author.textContent = tomb ? t('deletedAuthor') : c.author.name;
      if (!tomb) this.avatar(meta.children[1], c.author);
      const badges = [];
      const staff = !tomb && STAFF.includes(c.author.badge) ? c.author.badge : '';
      if (staff) badges.push(this.staffBadge(staff));
      else if (!tomb && c.author.registered) badges.push(h('span', 'tl-badge tl-member', t('registered')));
      if (c.pinned) badges.push(h('span', 'tl-badge tl-pin', t('pinned')));
      if (c.featured) badges.push(h('span', 'tl-badge tl-pin', t('featured')));
      if (pending) badges.push(h('span', 'tl-badge tl-held', t('held')));
      if (rejected) badges.push(h('span', 'tl-badge tl-held tl-not-published', t('notPublished')));
      if (badges.length) author.after(...badges);
      a.href = '#comment-' + c.id;
      const ago = this.ago(c.created_at);
      a.setAttribute('aria-label', ago + ', ' + t('permalink')); // the visible text first (WCAG 2.5.3)
      const tm = a.firstChild;
      tm.textContent = ago;
      tm.dateTime = c.created_at;
      tm.title = sk.dates.format(new Date(c.created_at));
      if (c.edited_at && !tomb) meta.append(h('span', 'tl-edited', '· ' + t('edited')));
      const parts = [];
      if (parent) {
        const pn = parent.status === 'published' || parent.status === 'pending';
        parts.push(h('p', 'tl-context', pn ? t('replyingTo', { name: parent.author.name }) : t('replyingToDeleted')));
      }
      if (tomb) parts.push(h('p', 'tl-tombstone', t(c.status === 'deleted' ? 'deleted' : 'removed')));
      else {
        const body = sk.body.cloneNode(false);
        body.innerHTML = c.body_html; // sanitised server-side (nh3); never user text from here
        parts.push(body);
        if (pending && !c.markers) parts.push(h('p', 'tl-heldnote', t('heldNote'))); // markers: a moderator's view
        if (rejected) {
          const why = (c.statement || []).join(' — ');
          parts.push(h('p', 'tl-statement', t('statement') + (why ? ' ' + t('reasonIs', { r: why }) : '')));
        }
        if (!rejected) parts.push(this.actions(c, pending));
        if (this.me && this.me.moderator && !rejected) parts.push(this.modBar(c));
      }
      slot.before(...parts);
      if (pending || rejected) el.classList.add('tl-pending');
      if (rejected) el.classList.add('tl-rejected');
      const mid = this.me && this.me.muted[c.id];
      if (mid) this.markMuted(el, mid);
      el.tlBox = box;
      if (c.depth + 1 >= 6) box.classList.add('tl-deep');
      if (c.depth + 1 >= 3) box.classList.add('tl-mid');
      if (c.more_replies > 0) el.append(btn('tl-continue', t('continueThread', { n: c.more_replies })));
      return el;
    }

    actions(c, pending) {
      const sk = this.skeletons();
      const own = this.ownToken(c.id);
      let bar;
      if (pending) bar = h('div', 'tl-actions');
      else {
        bar = sk.bar.cloneNode(true);
        const [up, sc, down, reply] = bar.children;
        const mine = store.get('votes', {})[c.id] || 0;
        if (mine === 1) up.setAttribute('aria-pressed', 'true');
        if (mine === -1) down.setAttribute('aria-pressed', 'true');
        sc.textContent = String(c.score);
        sc.setAttribute('aria-label', this.t('score', { n: c.score }));
        sc.title = '+' + c.upvotes + ' / −' + c.downvotes;
        if (this.root.classList.contains('tl-closed')) reply.remove();
      }
      if (own) bar.append(sk.edit.cloneNode(true), sk.del.cloneNode(true));
      if (!pending && !own) bar.append(sk.flag.cloneNode(true), sk.mute.cloneNode(true)); // Mute: signed in (CSS)
      return bar;
    }

    setCounts(el, c) {
      const sc = el.querySelector(':scope>.tl-actions>.tl-score');
      if (!sc) return;
      sc.textContent = String(c.score);
      sc.setAttribute('aria-label', this.t('score', { n: c.score }));
      sc.title = '+' + c.upvotes + ' / −' + c.downvotes;
    }

    tombstone(el, status) {
      for (const sel of [':scope>.tl-body', ':scope>.tl-actions', ':scope>.tl-heldnote', ':scope>.tl-modbar', ':scope>.tl-slot>*']) el.querySelectorAll(sel).forEach((n) => n.remove());
      if (!el.querySelector(':scope>.tl-tombstone')) el.querySelector(':scope>.tl-slot').before(h('p', 'tl-tombstone', this.t(status === 'deleted' ? 'deleted' : 'removed')));
      const au = el.querySelector(':scope>.tl-meta>.tl-author');
      if (au) au.textContent = this.t('deletedAuthor');
      el.querySelectorAll(':scope>.tl-meta>:is(.tl-staff,.tl-member)').forEach((n) => n.remove());
      const av = el.querySelector(':scope>.tl-meta>.tl-avatar');
      if (av) { av.replaceChildren(); av.className = 'tl-avatar'; }
    }

    ago(iso) {
      const s = (Date.parse(iso) - Date.now()) / 1000;
      const rtf = this.rtf || (this.rtf = new Intl.RelativeTimeFormat(this.lang, { numeric: 'auto' }));
      const steps = [[60, 'second'], [3600, 'minute', 60], [86400, 'hour', 3600], [604800, 'day', 86400], [2629800, 'week', 604800], [31557600, 'month', 2629800], [Infinity, 'year', 31557600]];
      if (Math.abs(s) < 45) return rtf.format(0, 'second');
      for (const [lim, unit, div = 1] of steps) if (Math.abs(s) < lim) return rtf.format(Math.round(s / div), unit);
      return '';
    }

    // --- own comments: edit tokens and held comments, kept in localStorage --------------
    ownToken(id) {
      const e = store.get('edit', {})[id];
      if (!e) return null;
      return Date.now() - e.at < this.opts.editWindow * 1000 ? e.t : null;
    }
    saveToken(id, token) {
      if (!token) return;
      const all = store.get('edit', {});
      const day = Date.now() - 864e5;
      for (const k in all) if (all[k].at < day) delete all[k];
      all[id] = { t: token, at: Date.now() };
      store.set('edit', all);
    }
    expireOwn() {
      for (const [id, node] of this.nodes) {
        if (!this.ownToken(id)) node.el.querySelectorAll(':scope>.tl-actions>:is(.tl-edit-btn,.tl-delete-btn)').forEach((b) => b.remove());
      }
    }
    /** Comments posted from this browser on this story: {id: edit token}, the latest 50. */
    ownKey() { return 'own:' + this.story.id; }
    saveOwn(id, token) {
      const all = store.get(this.ownKey(), {});
      all[id] = token || this.ownToken(id) || '';
      const ids = Object.keys(all);
      ids.slice(0, Math.max(0, ids.length - 50)).forEach((k) => delete all[k]);
      store.set(this.ownKey(), all);
    }
    dropOwn(id) { const all = store.get(this.ownKey(), {}); delete all[id]; store.set(this.ownKey(), all); }
    heldRow(p) {
      return { id: p.id, parent_id: p.parent_id, depth: 0, author: p.author, body_html: p.body_html, status: 'pending', created_at: p.created_at, edited_at: null, upvotes: 0, downvotes: 0, score: 0, reply_count: 0, pinned: false, featured: false, replies: [], more_replies: 0 };
    }
    insertOwn(row) {
      const pNode = row.parent_id ? this.nodes.get(row.parent_id) : null;
      row.depth = pNode ? pNode.c.depth + 1 : 0;
      const el = this.renderComment(row, pNode ? pNode.c : null);
      if (pNode) pNode.el.querySelector(':scope>.tl-children').append(el); else this.list.prepend(el);
      return el;
    }
    /** What this reader alone sees (POST /stories/{id}/me): their comments nobody else sees
     *  (held, rejected with the statement of reasons, shadowed: shown published), whom they
     *  muted, the unread badge, and for moderators the held comments and the tools. */
    async fetchMe() {
      const own = Object.entries(store.get(this.ownKey(), {})).map(([id, t]) => ({ id: +id, edit_token: t }));
      // Held comments remembered by widgets before 'own:' (they kept their edit tokens there).
      for (const p of store.get('held:' + this.story.id, []).slice(-50)) own.push({ id: p.id, edit_token: p.edit_token || '' });
      if (!own.length && !(auth() || {}).token) { this.me = null; return; }
      try {
        this.me = (await this.call('POST', '/stories/' + this.story.id + '/me', { own })).data;
      } catch (e) { /* the thread works without it */ }
    }
    renderOwn() {
      const me = this.me;
      this.root.classList.toggle('tl-mod', !!(me && me.moderator));
      this.setUnread(me ? me.unread : 0);
      if (!me || this.featured) return;
      for (const c of me.held.concat(me.own)) {
        const n = this.nodes.get(c.id);
        if (n && (!n.c.own || n.c.status === c.status)) continue; // shown already
        if (n) { n.el.remove(); this.nodes.delete(c.id); }
        c.own = 1;
        this.insertOwn(c);
      }
      this.applyMutes();
    }

    // --- forms ------------------------------------------------------------------------
    form({ parentId = null, edit = null, source = '' }) {
      const t = this.t.bind(this);
      const id = 'tl-f' + ++this.uid;
      const f = h('form', 'tl-form');
      f.noValidate = true;
      if (!edit) {
        const a = auth();
        const guest = h('div', 'tl-row tl-guest');
        guest.hidden = !!(a && a.token);
        const name = this.field(id + 'n', t('name'), 'input', 'tl-name');
        name.input.autocomplete = 'name';
        name.input.required = true;
        name.input.maxLength = 100;
        name.input.value = store.get('name', '');
        const mail = this.field(id + 'e', t('email'), 'input', 'tl-email');
        mail.input.type = 'email';
        mail.input.autocomplete = 'email';
        mail.input.value = store.get('email', '');
        guest.append(name.wrap, mail.wrap);
        const hp = h('div', 'tl-hp');
        hp.setAttribute('aria-hidden', 'true');
        const hpi = h('input', 'tl-website');
        hpi.tabIndex = -1;
        hpi.autocomplete = 'off';
        hpi.name = 'website';
        hp.append(hpi);
        f.append(guest, hp);
      }
      const lbl = h('label', 'tl-sr', t('comment'));
      lbl.htmlFor = id + 'b';
      const ta = h('textarea', 'tl-body');
      ta.id = id + 'b';
      ta.placeholder = t(parentId ? 'writeReply' : 'writeComment');
      ta.value = source;
      ta.required = true;
      const err = h('p', 'tl-error');
      err.id = id + 'x';
      err.setAttribute('role', 'alert');
      ta.setAttribute('aria-describedby', id + 'x ' + id + 'h');
      const prev = h('div', 'tl-preview');
      prev.hidden = true;
      prev.setAttribute('aria-label', t('preview'));
      const bar = h('div', 'tl-form-actions');
      const hint = h('span', 'tl-hint', t('markdownHint'));
      hint.id = id + 'h';
      const pb = btn('tl-preview-btn tl-outline', t('preview'));
      pb.setAttribute('aria-pressed', 'false');
      const sub = h('button', 'tl-btn tl-primary tl-submit', t(edit ? 'save' : parentId ? 'postReply' : 'post'));
      sub.type = 'submit';
      bar.append(hint, pb);
      if (parentId || edit) {
        const c = btn('tl-cancel', t('cancel'));
        c.addEventListener('click', () => { f.remove(); });
        bar.append(c);
      }
      bar.append(sub);
      f.append(lbl, ta, prev, err);
      if (!edit) {
        // Reply e-mails (POST /subscriptions): a guest's typed address, or the account's.
        const nl = h('label', 'tl-check');
        const nb = h('input', 'tl-notify');
        nb.type = 'checkbox';
        nl.append(nb, t('notifyMe'));
        f.append(nl);
      }
      f.append(bar);
      const showPreview = () => {
        prev.innerHTML = markdown(ta.value) || ''; // escaped first, see markdown()
        if (!ta.value.trim()) prev.textContent = t('nothingToPreview');
      };
      pb.addEventListener('click', () => {
        const on = prev.hidden;
        prev.hidden = !on;
        pb.setAttribute('aria-pressed', String(on));
        pb.textContent = t(on ? 'hidePreview' : 'preview');
        if (on) showPreview();
      });
      ta.addEventListener('input', () => { if (!prev.hidden) showPreview(); ta.removeAttribute('aria-invalid'); this.mentions(ta); });
      ta.addEventListener('keydown', (e) => this.pickKey(e, ta));
      f.addEventListener('submit', (e) => { e.preventDefault(); this.submit(f, { parentId, edit }, false); });
      return f;
    }

    field(id, label, tag, cls) {
      const wrap = h('div', 'tl-field');
      const l = h('label', null, label);
      l.htmlFor = id;
      const input = h(tag, cls);
      input.id = id;
      wrap.append(l, input);
      return { wrap, input };
    }

    async submit(f, { parentId, edit }, confirm) {
      const q = (s) => f.querySelector(s);
      const ta = q('textarea.tl-body');
      const err = q('.tl-error');
      const sub = q('.tl-submit');
      const old = q('.tl-confirm-dialog');
      if (old) old.remove();
      err.textContent = '';
      f.querySelectorAll('[aria-invalid]').forEach((n) => n.removeAttribute('aria-invalid'));
      const signed = !!(auth() || {}).token;
      const name = q('input.tl-name');
      if (!ta.value.trim()) return this.fieldError(f, ta, this.t('e_empty_body'));
      if (!edit && !signed && name && !name.value.trim()) return this.fieldError(f, name, this.t('e_name_required'));
      const notify = q('input.tl-notify');
      const mail = q('input.tl-email');
      if (notify && notify.checked && !signed && !mail.value.trim()) return this.fieldError(f, mail, this.t('notifyEmail'));
      sub.disabled = true;
      const label = sub.textContent;
      sub.textContent = this.t('posting');
      try {
        let res;
        if (edit) {
          res = await this.call('PATCH', '/comments/' + edit, { body: ta.value, edit_token: this.ownToken(edit) || '', confirm });
        } else {
          const body = { body: ta.value, parent_id: parentId, confirm, website: q('input.tl-website').value };
          if (!signed) {
            body.author_name = name.value.trim();
            body.author_email = q('input.tl-email').value.trim();
            store.set('name', body.author_name);
            store.set('email', body.author_email);
          }
          res = await this.call('POST', '/stories/' + this.story.id + '/comments', body);
        }
        this.afterSubmit(f, res.data, { parentId, edit });
        if (notify && notify.checked) this.subscribe(signed ? '' : mail.value.trim());
      } catch (e) {
        if (e.code === 'needs_confirmation') this.thinkTwice(f, e, { parentId, edit });
        else {
          const target = e.field === 'author_name' ? name : e.field === 'author_email' ? q('input.tl-email') : e.field === 'body' ? ta : null;
          this.fieldError(f, target, this.errText(e));
          if (e.code === 'login_required' || e.code === 'invalid_token') this.openAuth('in');
        }
      } finally {
        sub.disabled = false;
        sub.textContent = label;
      }
    }

    fieldError(f, input, msg) {
      f.querySelector('.tl-error').textContent = msg;
      if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
    }

    thinkTwice(f, e, ctx) {
      const t = this.t.bind(this);
      const d = h('div', 'tl-confirm-dialog');
      d.setAttribute('role', 'alertdialog');
      const hid = 'tl-f' + ++this.uid;
      const h3 = h('h3', null, t('thinkTwice'));
      h3.id = hid;
      d.setAttribute('aria-labelledby', hid);
      const reasons = (e.data && e.data.reasons) || [];
      const p = h('p', null, t('thinkTwiceText'));
      d.append(h3, p);
      if (reasons.length) {
        const ul = h('ul', 'tl-reasons');
        for (const r of reasons) ul.append(h('li', null, String(r)));
        d.append(ul);
      }
      const words = ((e.data && e.data.explanation) || []).slice(0, 3);
      if (words.length) {
        const w = h('p', 'tl-flagged-words', t('thinkTwiceWords') + ' ');
        words.forEach((word, i) => {
          if (i) w.append(', ');
          w.append(h('q', null, String(word)));
        });
        d.append(w);
      }
      // The site's community guidelines, when it has any (an absolute http(s) URL only).
      const rules = String((e.data && e.data.guidelines_url) || '');
      if (/^https?:\/\//i.test(rules)) {
        const a = h('a', 'tl-guidelines', t('guidelines'));
        Object.assign(a, { href: rules, target: '_blank', rel: 'noopener' });
        const para = h('p');
        para.append(a);
        d.append(para);
      }
      const ed = btn('tl-confirm-edit tl-outline', t('editIt'));
      const go = btn('tl-confirm-send tl-primary', t('postAnyway'));
      ed.addEventListener('click', () => { d.remove(); f.querySelector('textarea.tl-body').focus(); });
      go.addEventListener('click', () => { d.remove(); this.submit(f, ctx, true); });
      const row = h('div', 'tl-form-actions');
      row.append(ed, go);
      d.append(row);
      f.querySelector('.tl-form-actions').after(d);
      go.focus();
      this.announce(t('thinkTwice'));
    }

    afterSubmit(f, p, { parentId, edit }) {
      const t = this.t.bind(this);
      if (edit) {
        const node = this.nodes.get(edit);
        f.remove();
        if (p.status === 'published') {
          if (node) {
            node.c.body_html = p.body_html;
            const b = node.el.querySelector(':scope>.tl-body');
            if (b) b.innerHTML = p.body_html;
            if (!node.el.querySelector(':scope>.tl-meta>.tl-edited')) node.el.querySelector(':scope>.tl-meta').append(h('span', 'tl-edited', '· ' + t('edited')));
          }
          this.announce(t('saved'));
        } else if (p.status === 'pending') {
          if (node) node.el.remove();
          this.nodes.delete(p.id);
          this.insertOwn(this.heldRow(p)).querySelector('.tl-held').scrollIntoView({ block: 'nearest' });
          this.announce(t('heldPosted'));
        } else this.announce(t('rejected'));
        return;
      }
      this.saveToken(p.id, p.edit_token);
      this.saveOwn(p.id, p.edit_token);
      if (parentId) f.remove(); else { f.querySelector('textarea.tl-body').value = ''; const pv = f.querySelector('.tl-preview'); pv.hidden = true; }
      if (p.status === 'published') {
        const el = this.insertOwn(Object.assign(this.heldRow(p), { status: 'published' }));
        el.classList.add('tl-new');
        this.setTotal(this.total + 1);
        this.announce(t('posted'));
      } else if (p.status === 'pending') {
        this.insertOwn(this.heldRow(p));
        this.announce(t('heldPosted'));
      } else {
        const err = f.querySelector('.tl-error');
        const why = (p.reasons || []).length ? ' ' + t('reasonIs', { r: p.reasons.join(' — ') }) : '';
        if (err && parentId == null) err.textContent = t('rejected') + why;
        this.announce(t('rejected') + why);
      }
    }

    // --- clicks (one delegated listener) ----------------------------------------------
    onClick(e) {
      const b = e.target.closest('button');
      if (!b) {
        const a = e.target.closest('a.tl-time');
        if (a) {
          // Put the permalink in the host page's address (the shadow DOM has no ids there).
          e.preventDefault();
          history.replaceState(null, '', a.getAttribute('href'));
          this.permalink();
        }
        return;
      }
      const art = b.closest('.tl-comment');
      const id = art ? +art.dataset.commentId : null;
      const cl = b.classList;
      if (cl.contains('tl-load-more')) this.loadMore();
      else if (!art) return;
      else if (cl.contains('tl-collapse')) this.toggle(art, b);
      else if (cl.contains('tl-vote-up')) this.vote(art, id, 1);
      else if (cl.contains('tl-vote-down')) this.vote(art, id, -1);
      else if (cl.contains('tl-reply-btn')) this.openSlot(art, 'reply', () => this.form({ parentId: id }));
      else if (cl.contains('tl-edit-btn')) this.openEdit(art, id);
      else if (cl.contains('tl-delete-btn')) this.openSlot(art, 'delete', () => this.deleteForm(art, id));
      else if (cl.contains('tl-flag-btn')) this.openSlot(art, 'flag', () => this.flagForm(art, id));
      else if (cl.contains('tl-continue')) this.continueThread(art, id, b);
      else if (cl.contains('tl-mute-btn')) this.mute(id);
      else if (cl.contains('tl-unmute-btn')) this.unmute(id);
      else if (cl.contains('tl-unhide')) art.classList.add('tl-shown');
      else if (cl.contains('tl-mod-reject') || cl.contains('tl-mod-ban')) {
        const kind = cl.contains('tl-mod-ban') ? 'ban' : 'reject';
        this.openSlot(art, kind, () => this.modForm(id, kind));
      } else if (cl.contains('tl-mod-approve') || cl.contains('tl-mod-feature')) {
        const feature = cl.contains('tl-mod-feature');
        this.moderate(id, feature ? 'feature' : 'approve', feature ? { on: !this.nodes.get(id).c.featured } : undefined).catch((err) => this.announce(this.errText(err)));
      }
    }

    openSlot(art, kind, make) {
      const slot = art.querySelector(':scope>.tl-slot');
      const cur = slot.firstElementChild;
      if (cur && cur.dataset.kind === kind) { cur.remove(); return; } // toggle off
      const el = make();
      el.dataset.kind = kind;
      slot.replaceChildren(el);
      const first = el.querySelector('textarea,select,button.tl-confirm-delete');
      if (first) first.focus();
      return el;
    }

    toggle(art, b) {
      const on = !art.classList.toggle('tl-collapsed');
      b.setAttribute('aria-expanded', String(on));
      b.textContent = on ? '−' : '+';
      const n = art.querySelectorAll('.tl-comment').length;
      b.setAttribute('aria-label', on ? this.t('collapse') : this.t('expand', { n }));
    }

    async vote(art, id, dir) {
      const votes = store.get('votes', {});
      const value = votes[id] === dir ? 0 : dir; // same button again withdraws the vote
      try {
        const r = (await this.call('POST', '/comments/' + id + '/votes', { value })).data;
        if (value) votes[id] = value; else delete votes[id];
        store.set('votes', votes);
        const up = art.querySelector(':scope>.tl-actions>.tl-vote-up');
        const down = art.querySelector(':scope>.tl-actions>.tl-vote-down');
        up.setAttribute('aria-pressed', String(value === 1));
        down.setAttribute('aria-pressed', String(value === -1));
        const node = this.nodes.get(id);
        if (node) Object.assign(node.c, { score: r.score, upvotes: r.upvotes, downvotes: r.downvotes });
        this.setCounts(art, r);
        this.announce(this.t('score', { n: r.score }));
      } catch (err) {
        this.announce(this.errText(err));
      }
    }

    async openEdit(art, id) {
      let source;
      try {
        source = (await this.call('GET', '/comments/' + id + '/source?' + new URLSearchParams({ edit_token: this.ownToken(id) || '' }), undefined, { authed: true })).data.body;
      } catch (err) { return this.announce(this.errText(err)); }
      this.openSlot(art, 'edit', () => this.form({ edit: id, source }));
    }

    deleteForm(art, id) {
      const t = this.t.bind(this);
      const d = h('div', 'tl-panel tl-delete-confirm');
      d.setAttribute('role', 'group');
      d.setAttribute('aria-label', t('del'));
      const err = h('p', 'tl-error');
      err.setAttribute('role', 'alert');
      const yes = btn('tl-confirm-delete tl-primary', t('del'));
      const no = btn('tl-cancel', t('cancel'));
      no.addEventListener('click', () => d.remove());
      yes.addEventListener('click', async () => {
        yes.disabled = true;
        try {
          const r = (await this.call('DELETE', '/comments/' + id, { edit_token: this.ownToken(id) || '' })).data;
          const node = this.nodes.get(id);
          this.dropOwn(id);
          const hasKids = art.querySelector(':scope>.tl-children>.tl-comment') || (node && node.c.reply_count > 0);
          if (hasKids) this.tombstone(art, r.status || 'deleted');
          else { art.remove(); this.nodes.delete(id); }
          if (node && !node.c.pending && !node.c.own) this.setTotal(Math.max(0, this.total - 1));
          this.announce(t('deletedOk'));
        } catch (e) {
          err.textContent = this.errText(e);
          yes.disabled = false;
        }
      });
      const row = h('div', 'tl-form-actions');
      row.append(no, yes);
      d.append(h('p', null, t('deleteConfirm')), row, err);
      return d;
    }

    flagForm(art, id) {
      const t = this.t.bind(this);
      const f = h('form', 'tl-panel tl-flag-form');
      const fid = 'tl-f' + ++this.uid;
      f.setAttribute('aria-label', t('flagTitle'));
      const r = this.field(fid + 'r', t('reason'), 'select', 'tl-input tl-flag-reason');
      for (const k of ['spam', 'abuse', 'hate', 'threat', 'off_topic', 'other']) { const o = h('option', null, t('r_' + k)); o.value = k; r.input.append(o); }
      const n = this.field(fid + 'n', t('note'), 'input', 'tl-flag-note');
      n.input.maxLength = 1000;
      const row = h('div', 'tl-row');
      row.append(r.wrap, n.wrap);
      const err = h('p', 'tl-error');
      err.setAttribute('role', 'alert');
      const send = h('button', 'tl-btn tl-primary tl-flag-send', t('sendReport'));
      send.type = 'submit';
      const no = btn('tl-cancel', t('cancel'));
      no.addEventListener('click', () => f.remove());
      const bar = h('div', 'tl-form-actions');
      bar.append(no, send);
      f.append(h('p', 'tl-panel-title', t('flagTitle')), row, bar, err);
      f.addEventListener('submit', async (e) => {
        e.preventDefault();
        send.disabled = true;
        try {
          await this.call('POST', '/comments/' + id + '/flags', { reason: r.input.value, note: n.input.value });
          f.replaceChildren(h('p', 'tl-flag-done', t('flagged')));
          this.announce(t('flagged'));
          setTimeout(() => f.remove(), 4000);
        } catch (ex) {
          err.textContent = this.errText(ex);
          send.disabled = false;
        }
      });
      return f;
    }

    async continueThread(art, id, b) {
      b.disabled = true;
      b.textContent = this.t('loading');
      try {
        const sub = (await this.call('GET', '/comments/' + id + '/replies?sort=' + this.sort)).data;
        const node = this.nodes.get(id);
        const box = art.querySelector(':scope>.tl-children');
        const frag = document.createDocumentFragment();
        for (const r of sub.replies || []) if (!this.nodes.has(r.id)) frag.append(this.renderTree(r, node ? node.c : sub));
        box.append(frag);
        b.remove();
        const first = box.querySelector('.tl-comment .tl-collapse');
        if (first) first.focus();
      } catch (err) {
        b.disabled = false;
        b.textContent = this.t('continueThread', { n: '' });
        this.announce(this.errText(err));
      }
    }

    // --- muting, notifications, @mentions ---------------------------------------------
    async mute(id) {
      try {
        const m = (await this.call('POST', '/mutes', { comment_id: id })).data;
        const me = this.me || (this.me = { own: [], held: [], mutes: [], muted: {} });
        me.mutes.push(m);
        for (const c of m.comments) me.muted[c] = m.id;
        this.applyMutes();
        this.announce(this.t('mutedOk', { name: m.name }));
      } catch (e) { this.announce(this.errText(e)); }
    }
    async unmute(id) {
      const mid = this.me.muted[id];
      try {
        const m = (await this.call('DELETE', '/mutes/' + mid)).data;
        for (const k in this.me.muted) if (this.me.muted[k] === mid) delete this.me.muted[k];
        this.applyMutes();
        this.announce(this.t('unmutedOk', { name: m.name }));
      } catch (e) { this.announce(this.errText(e)); }
    }
    applyMutes() {
      const muted = (this.me && this.me.muted) || {};
      for (const [id, { el }] of this.nodes) {
        if (muted[id]) this.markMuted(el, muted[id]);
        else if (el.classList.contains('tl-muted')) { el.classList.remove('tl-muted', 'tl-shown'); el.querySelector(':scope>.tl-mnote').remove(); }
      }
    }
    /** Fold a muted reader's comment: "Hidden: you muted X — show", and Unmute. */
    markMuted(el, mid) {
      if (el.classList.contains('tl-muted')) return;
      const m = this.me.mutes.find((x) => x.id === mid) || {};
      const p = h('p', 'tl-mnote', this.t('mutedNote', { name: m.name || '' }) + ' ');
      p.append(btn('tl-unhide', this.t('show')), btn('tl-unmute-btn', this.t('unmute')));
      el.classList.add('tl-muted');
      el.prepend(p);
    }

    setUnread(n) {
      this.unread = n;
      const b = this.authEl.querySelector('.tl-bell');
      if (!b) return;
      b.lastChild.textContent = n || '';
      b.lastChild.hidden = !n;
      b.setAttribute('aria-label', this.t('notifications') + (n ? ', ' + this.t('unread', { n }) : ''));
    }
    /** The replies and mentions panel; opening it marks them read (the badge clears). */
    async openNotes() {
      if (this.authPanel.querySelector('.tl-notes-panel')) return this.authPanel.replaceChildren();
      const t = this.t.bind(this);
      const p = h('section', 'tl-panel tl-notes-panel');
      p.setAttribute('aria-label', t('notifications'));
      this.authPanel.replaceChildren(p);
      try {
        const site = { site: this.story.site };
        const d = (await this.call('GET', '/notifications?' + new URLSearchParams(site), undefined, { authed: true })).data;
        const ul = h('ul', 'tl-notes');
        for (const n of d.notifications) {
          const a = h('a', 'tl-note', t('n_' + n.kind, { name: n.author }));
          const here = n.story.id === this.story.id;
          if (here || /^https?:\/\//i.test(n.story.url)) a.href = (here ? '' : n.story.url) + '#comment-' + n.comment_id;
          const li = h('li');
          li.append(a, h('span', null, ' “' + n.excerpt + '”'));
          ul.append(li);
        }
        p.append(d.notifications.length ? ul : h('p', null, t('noNotes')));
        if (d.unread) await this.call('POST', '/notifications/read', site);
        this.setUnread(0);
      } catch (e) { p.append(h('p', 'tl-error', this.errText(e))); }
    }

    async subscribe(email) {
      try {
        await this.call('POST', '/subscriptions', email ? { site: this.story.site, email } : { site: this.story.site });
        this.announce(this.t('notifySent'));
      } catch (e) { this.announce(this.errText(e)); }
    }

    /** @mentions: "@" and letters list the thread's participants; ↑↓ choose, Enter or Tab
     *  inserts "@Name ", Escape closes. */
    mentions(ta) {
      const m = /(?:^|\s)@([^\s@]{0,30})$/.exec(ta.value.slice(0, ta.selectionStart));
      const q = m && m[1].toLowerCase();
      const names = new Set();
      if (m) for (const { c } of this.nodes.values()) {
        const n = c.status === 'published' && c.author.name;
        if (n && (n.toLowerCase().startsWith(q) || n.toLowerCase().includes(' ' + q))) names.add(n);
      }
      let ul = ta.tlPick;
      if (!names.size) {
        if (ul) { ul.remove(); ta.tlPick = null; ta.removeAttribute('aria-activedescendant'); }
        return;
      }
      if (!ul) {
        ul = ta.tlPick = h('ul', 'tl-mentions');
        ul.id = ta.id + 'm';
        ul.setAttribute('role', 'listbox');
        ul.setAttribute('aria-label', this.t('mentionList'));
        ta.setAttribute('aria-controls', ul.id);
        ta.after(ul);
      }
      ul.replaceChildren(...[...names].sort((a, b) => a.localeCompare(b)).slice(0, 6).map((name, i) => {
        const li = h('li', 'tl-mention-opt', name);
        li.id = ul.id + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', String(!i));
        li.addEventListener('mousedown', (e) => { e.preventDefault(); this.pick(ta, name); });
        return li;
      }));
      ta.setAttribute('aria-activedescendant', ul.id + '0');
    }
    pickKey(e, ta) {
      const ul = ta.tlPick;
      if (!ul) return;
      const opts = [...ul.children];
      let i = opts.findIndex((o) => o.getAttribute('aria-selected') === 'true');
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        i = (i + (e.key === 'ArrowDown' ? 1 : opts.length - 1)) % opts.length;
        opts.forEach((o, j) => o.setAttribute('aria-selected', String(j === i)));
        ta.setAttribute('aria-activedescendant', opts[i].id);
      } else if (e.key === 'Enter' || e.key === 'Tab') this.pick(ta, opts[i].textContent);
      else if (e.key === 'Escape') { ul.remove(); ta.tlPick = null; ta.removeAttribute('aria-activedescendant'); }
      else return;
      e.preventDefault();
      e.stopPropagation(); // Escape closes the list, not the form
    }
    pick(ta, name) {
      const at = ta.selectionStart;
      const head = ta.value.slice(0, at).replace(/@[^\s@]*$/, '@' + name + ' ');
      ta.value = head + ta.value.slice(at);
      ta.selectionStart = ta.selectionEnd = head.length;
      ta.focus();
      this.mentions(ta);
    }

    // --- in-stream moderation (the site's moderators): the moderation API's own actions ---
    modBar(c) {
      const t = this.t.bind(this);
      const bar = h('div', 'tl-modbar');
      bar.setAttribute('role', 'group');
      bar.setAttribute('aria-label', t('modTools'));
      if (c.status === 'pending') bar.append(btn('tl-mod-approve', t('approve')));
      bar.append(btn('tl-mod-reject', t('reject')));
      if (c.status === 'published') bar.append(btn('tl-mod-feature', t(c.featured ? 'unfeature' : 'feature')));
      bar.append(btn('tl-mod-ban', t('ban')));
      return bar;
    }
    async moderate(id, action, body) {
      await this.call('POST', '/moderation/comments/' + id + '/' + action, body);
      this.announce(this.t('done'));
      await this.reload();
    }
    /** Reject (with a DSA reason and a note) or ban the author (days, message, shadow). */
    modForm(id, kind) {
      const t = this.t.bind(this);
      const fid = 'tl-f' + ++this.uid;
      const f = h('form', 'tl-panel tl-mod-form');
      const reject = kind === 'reject';
      const a = this.field(fid + 'a', t(reject ? 'reason' : 'days'), reject ? 'select' : 'input', reject ? 'tl-input tl-mod-reason' : 'tl-mod-days');
      const b = this.field(fid + 'b', t(reject ? 'note' : 'banMsg'), 'input', 'tl-mod-note');
      b.input.maxLength = 500;
      const row = h('div', 'tl-row');
      row.append(a.wrap, b.wrap);
      f.append(row);
      const sh = h('input', 'tl-mod-shadow');
      sh.type = 'checkbox';
      if (reject) {
        for (const [code, key] of REJECT) { const o = h('option', null, t(key)); o.value = code; a.input.append(o); }
        a.input.value = this.nodes.get(id).c.reason || 'other';
      } else {
        Object.assign(a.input, { type: 'number', min: 1, max: 36500 });
        const l = h('label', 'tl-check');
        l.append(sh, t('shadow'));
        f.append(l);
      }
      const err = h('p', 'tl-error');
      err.setAttribute('role', 'alert');
      const go = h('button', 'tl-btn tl-primary tl-mod-send', t(kind));
      go.type = 'submit';
      const no = btn('tl-cancel', t('cancel'));
      no.addEventListener('click', () => f.remove());
      const bar = h('div', 'tl-form-actions');
      bar.append(no, go);
      f.append(bar, err);
      f.addEventListener('submit', async (e) => {
        e.preventDefault();
        go.disabled = true;
        try {
          if (reject) return await this.moderate(id, 'reject', { reason: a.input.value, note: b.input.value });
          const who = (await this.call('GET', '/moderation/comments/' + id, undefined, { authed: true })).data.author.commenter_id;
          await this.call('POST', '/moderation/commenters/' + who + '/ban', { days: +a.input.value || null, message: b.input.value, shadow: sh.checked });
          f.remove();
          this.announce(t('done'));
        } catch (ex) {
          err.textContent = this.errText(ex);
          go.disabled = false;
        }
      });
      return f;
    }

    // --- permalinks: #comment-123 in the host page's URL ------------------------------
    async permalink() {
      const m = /^#comment-(\d+)$/.exec(location.hash);
      if (!m || !this.story) return;
      const id = +m[1];
      if (!this.nodes.has(id)) {
        try {
          const d = (await this.call('GET', '/comments/' + id + '?sort=' + this.sort)).data;
          if (d.story && d.story.id !== this.story.id) return;
          const chain = (d.ancestors || []).concat([d.comment]);
          // Attach below the deepest ancestor already on the page, or as a new top thread.
          let i = chain.length - 1;
          while (i >= 0 && !this.nodes.has(chain[i].id)) i--;
          if (i === chain.length - 1) { /* already present */ } else {
            for (let j = chain.length - 2; j > i; j--) chain[j] = Object.assign({}, chain[j], { replies: [chain[j + 1]], more_replies: 0 });
            const top = chain[i + 1];
            const pNode = i >= 0 ? this.nodes.get(chain[i].id) : null;
            const el = this.renderTree(top, pNode ? pNode.c : null);
            if (pNode) pNode.el.querySelector(':scope>.tl-children').prepend(el); else this.list.prepend(el);
          }
        } catch (err) {
          this.announce(this.t('permalinkMissing'));
          return;
        }
      }
      const node = this.nodes.get(id);
      if (!node) return;
      for (let p = node.el.parentElement; p && p !== this.list; p = p.parentElement) {
        if (p.classList.contains('tl-collapsed')) this.toggle(p, p.querySelector(':scope>.tl-meta>.tl-collapse'));
      }
      if (this.lit) this.lit.classList.remove('tl-highlight');
      this.lit = node.el;
      node.el.classList.add('tl-highlight');
      node.el.tabIndex = -1;
      node.el.scrollIntoView({ block: 'center' });
      node.el.focus({ preventScroll: true });
    }

    // --- who wrote it: picture (https only) or initials, and the staff badge ------------
    avatar(el, author) {
      const name = String(author.name || '');
      let n = 0;
      for (const ch of name) n = (n * 31 + ch.codePointAt(0)) >>> 0;
      el.className = 'tl-avatar tl-av' + (n % 8);
      el.textContent = initials(name);
      const url = author.avatar_url;
      if (typeof url === 'string' && /^https:\/\/[^\s"'<>\\]+$/i.test(url)) {
        const img = h('img');
        Object.assign(img, { alt: '', loading: 'lazy', decoding: 'async', referrerPolicy: 'no-referrer' });
        img.addEventListener('error', () => { el.textContent = initials(name); }); // back to initials
        img.src = url; // a property, never markup
        el.replaceChildren(img);
      }
    }

    staffBadge(badge) {
      return h('span', 'tl-badge tl-staff tl-badge-' + badge, this.t('badge_' + badge));
    }

    // --- accounts ---------------------------------------------------------------------
    /** Sign in with the publisher's account when the host page hands over its signed token
     *  (data-threadline-sso, or an `sso` option or Threadline.sso function returning one, or a
     *  promise of one). An empty token says the reader is signed out there: so are we. The
     *  stored session is kept while it is the same reader with the same profile. */
    async signInSso() {
      let token = this.opts.sso !== undefined ? this.opts.sso : T.sso;
      if (typeof token === 'function') {
        try { token = await token(); } catch (e) { token = null; }
      }
      if (token == null || !this.story) return;
      const a = auth();
      if (!token) {
        if (a && a.sso) this.signOut(true);
        return;
      }
      token = String(token);
      const c = jwtClaims(token) || {};
      const mark = [this.story.site, c.sub, c.name, c.role || '', c.avatar || ''].join('\n');
      if (a && a.token && a.sso === mark) return;
      try {
        // The old session goes along as the bearer: the server revokes it.
        const r = (await this.call('POST', '/auth/sso', { site: this.story.site, token }, { authed: true })).data;
        this.setAuth({ token: r.token, user: r.user, sso: mark });
      } catch (err) {
        console.warn('Threadline: sign-in with the site\'s account failed:', err.code, err.message);
        this.authPanel.replaceChildren(h('p', 'tl-error tl-sso-error', this.errText(err)));
      }
    }

    setAuth(a) {
      if (a) store.set('auth', a); else store.del('auth');
      if (this.root) this.renderAuth();
    }

    async checkMe() {
      if (!(auth() || {}).token) return;
      try {
        const me = (await this.call('GET', '/auth/me', undefined, { authed: true })).data;
        const a = auth();
        if (a) this.setAuth(Object.assign(a, { user: Object.assign({}, a.user, { id: me.id, username: me.username, display_name: me.display_name }) }));
      } catch (e) { /* invalid_token clears itself in call() */ }
    }

    renderAuth() {
      const a = auth();
      const t = this.t.bind(this);
      this.root.classList.toggle('tl-signed-in', !!(a && a.token));
      this.root.querySelectorAll('.tl-guest').forEach((g) => { g.hidden = !!(a && a.token); });
      if (a && a.token) {
        const u = a.user || {};
        const name = u.display_name || u.username || '';
        const parts = [h('span', 'tl-whoami', t('signedInAs', { name }))];
        if (a.sso) {
          const av = h('span');
          av.setAttribute('aria-hidden', 'true');
          this.avatar(av, { name, avatar_url: u.avatar_url });
          parts.unshift(av);
        }
        if (STAFF.includes(u.badge)) parts.push(this.staffBadge(u.badge));
        // Replies and @mentions: the unread count (POST /stories/{id}/me), the list on click.
        const bell = btn('tl-bell tl-outline', t('notifications'));
        bell.append(h('span', 'tl-unread'));
        bell.addEventListener('click', () => this.openNotes());
        parts.push(bell);
        const out = btn('tl-signout-btn tl-outline', t('signOut'));
        out.addEventListener('click', () => this.signOut());
        this.authEl.replaceChildren(...parts, out);
        this.authPanel.replaceChildren();
        this.setUnread(this.unread || 0);
      } else if (/^https?:\/\//i.test(this.opts.ssoLogin || '')) {
        // The publisher's own sign-in page: it comes back with a token for the page.
        const link = h('a', 'tl-btn tl-outline tl-signin-btn', t('signIn'));
        link.href = this.opts.ssoLogin;
        this.authEl.replaceChildren(link);
      } else {
        const b = btn('tl-signin-btn tl-outline', t('signIn'));
        b.setAttribute('aria-expanded', String(!!this.authPanel.firstChild));
        b.addEventListener('click', () => (this.authPanel.firstChild ? this.closeAuth() : this.openAuth('in')));
        this.authEl.replaceChildren(b);
        const o = this.story && this.story.oidc;
        if (o) this.authEl.append(btn('tl-oidc-btn tl-outline', t('oidc', { name: o.label })));
        if (o) this.authEl.lastChild.addEventListener('click', () => this.signInOidc(o));
      }
    }

    /** Sign in with the server's OpenID Connect provider (docs/accounts.md): a window signs in
     *  there under base64url(SHA-256(verifier)); the verifier, which never leaves this page
     *  until then, claims the token. No window.opener: COOP headers would cut it. */
    async signInOidc(o) {
      const w = open('', 'tl-oidc', 'popup,width=520,height=680');
      const note = (m) => this.authPanel.replaceChildren(h('p', 'tl-hint tl-oidc-note', m));
      if (!w) return note(this.t('popup'));
      const b64 = (a) => btoa(String.fromCharCode(...new Uint8Array(a))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      const verifier = b64(crypto.getRandomValues(new Uint8Array(32)));
      w.location.href = o.start_url + '?handoff=' + b64(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
      note(this.t('oidcWait'));
      const run = (this.oidcRun = {});
      for (const end = Date.now() + 12e4; Date.now() < end && this.oidcRun === run && !(auth() || {}).token;) {
        await new Promise((r) => setTimeout(r, 1000));
        try {
          const r = (await this.call('POST', '/auth/oidc/claim', { verifier }, { authed: false })).data;
          this.setAuth({ token: r.token, user: r.user });
          this.announce(this.t('signedIn'));
          return this.reload();
        } catch (e) {
          // Waiting (or not yet started, or a network blip): ask again; anything else is final.
          if (!/^(handoff_pending|handoff_not_found|rate_limited|network)$/.test(e.code)) return note(this.errText(e));
        }
      }
      if (this.oidcRun === run) this.authPanel.replaceChildren();
    }

    closeAuth() {
      this.authPanel.replaceChildren();
      this.renderAuth();
      const b = this.authEl.querySelector('.tl-signin-btn');
      if (b) b.focus();
    }

    openAuth(mode) {
      if ((auth() || {}).token) return;
      const t = this.t.bind(this);
      const up = mode === 'up';
      const f = h('form', 'tl-panel tl-auth-form');
      f.noValidate = true;
      f.dataset.mode = mode;
      const fid = 'tl-f' + ++this.uid;
      const title = h('h3', 'tl-panel-title', t(up ? 'signUp' : 'signIn'));
      title.id = fid + 't';
      f.setAttribute('aria-labelledby', fid + 't');
      const row = h('div', 'tl-row');
      const u = this.field(fid + 'u', t('username'), 'input', 'tl-username');
      u.input.autocomplete = 'username';
      const p = this.field(fid + 'p', t('password'), 'input', 'tl-password');
      p.input.type = 'password';
      p.input.autocomplete = up ? 'new-password' : 'current-password';
      row.append(u.wrap, p.wrap);
      const row2 = h('div', 'tl-row');
      let dn, em;
      if (up) {
        dn = this.field(fid + 'd', t('displayName'), 'input', 'tl-display-name');
        em = this.field(fid + 'e', t('email'), 'input', 'tl-account-email');
        em.input.type = 'email';
        em.input.autocomplete = 'email';
        row2.append(dn.wrap, em.wrap);
      }
      const err = h('p', 'tl-error');
      err.setAttribute('role', 'alert');
      const go = h('button', 'tl-btn tl-primary tl-auth-submit', t(up ? 'signUp' : 'signIn'));
      go.type = 'submit';
      const sw = btn('tl-auth-switch', t(up ? 'haveAccount' : 'noAccount'));
      sw.addEventListener('click', () => this.openAuth(up ? 'in' : 'up'));
      const cancel = btn('tl-cancel', t('cancel'));
      cancel.addEventListener('click', () => this.closeAuth());
      const bar = h('div', 'tl-form-actions');
      bar.append(sw, cancel, go);
      f.append(title, row, row2, err, bar);
      f.addEventListener('submit', async (e) => {
        e.preventDefault();
        go.disabled = true;
        err.textContent = '';
        const body = { username: u.input.value.trim(), password: p.input.value };
        if (up) { body.email = em.input.value.trim(); body.display_name = dn.input.value.trim(); }
        try {
          const r = (await this.call('POST', '/auth/' + (up ? 'register' : 'login'), body, { authed: false })).data;
          this.setAuth({ token: r.token, user: r.user });
          this.announce(t('signedIn'));
          await this.reload(); // their own layer: mutes, the badge, a moderator's tools
          const so = this.authEl.querySelector('.tl-signout-btn');
          if (so) so.focus();
        } catch (ex) {
          err.textContent = this.errText(ex);
          const bad = ex.field === 'password' || ex.code === 'weak_password' ? p.input : ex.field === 'email' ? em && em.input : u.input;
          if (bad) { bad.setAttribute('aria-invalid', 'true'); bad.focus(); }
          go.disabled = false;
        }
      });
      this.authPanel.replaceChildren(f);
      this.renderAuth();
      u.input.focus();
    }

    async signOut(quiet) {
      const a = auth();
      if (a && a.token) this.call('POST', '/auth/logout', undefined, { authed: true }).catch(() => {});
      this.setAuth(null);
      if (quiet) return;
      this.reload();
      // A publisher may sign the reader out of its own site too.
      this.host.dispatchEvent(new CustomEvent('threadline:signout', { bubbles: true, composed: true, detail: { sso: !!(a && a.sso) } }));
      this.announce(this.t('signedOut'));
      const b = this.authEl.querySelector('.tl-signin-btn');
      if (b) b.focus();
    }

    destroy() {
      this.stopTransport();
      clearInterval(this.tick);
      if (this.onHash) window.removeEventListener('hashchange', this.onHash);
    }
  }

  /** Every comment id in a page of the thread shape (replies included). */
  function pageIds(list, out = new Set()) {
    for (const c of list) { out.add(c.id); pageIds(c.replies || [], out); }
    return out;
  }

  /** Default transport: poll the first page every `interval` seconds while the tab is
   *  visible; the browser revalidates with If-None-Match, so an unchanged thread costs a 304. */
  function pollTransport(widget, { interval }) {
    if (!(interval > 0)) return () => {};
    let timer = null;
    const tick = () => { if (document.visibilityState === 'visible') widget.refresh(); };
    const start = () => { if (!timer) timer = setInterval(tick, Math.max(2, interval) * 1000); };
    const stop = () => { clearInterval(timer); timer = null; };
    const vis = () => { if (document.visibilityState === 'visible') { tick(); start(); } else stop(); };
    document.addEventListener('visibilitychange', vis);
    start();
    return () => { stop(); document.removeEventListener('visibilitychange', vis); };
  }

  /** Live transport (the default where EventSource exists): the server pushes an event
   *  when the thread changes (Server-Sent Events, fed by Redis pub/sub across processes)
   *  and the widget re-reads the first page at once. Polling stays on at a slower pace in
   *  case a proxy swallows the stream; the browser reconnects a dropped stream by itself. */
  function liveTransport(widget, { interval }) {
    if (typeof EventSource !== 'function') return pollTransport(widget, { interval });
    let timer = null;
    const soon = () => { clearTimeout(timer); timer = setTimeout(() => widget.refresh(), 150); };
    const es = new EventSource(widget.base + '/stories/' + widget.story.id + '/events');
    let stopPoll = pollTransport(widget, { interval });
    const pace = (secs) => { stopPoll(); stopPoll = pollTransport(widget, { interval: secs }); };
    es.addEventListener('comment', soon);
    es.addEventListener('refresh', soon);
    es.onopen = () => pace(interval > 0 ? Math.max(interval, 30) : 0);
    es.onerror = () => pace(interval);
    return () => { es.close(); clearTimeout(timer); stopPoll(); };
  }

  // --- the one global -----------------------------------------------------------------
  Object.assign(T, {
    version: VERSION,
    widgets: [],
    Widget,
    markdown,
    transports: { poll: pollTransport, live: liveTransport },
    /** Mount on an element (the default container is #threadline). */
    mount(el, opts) {
      const w = new Widget(el, opts);
      T.widgets.push(w);
      w.start();
      return w;
    },
    reload() { return Promise.all(T.widgets.map((w) => w.reload())); },
    /** Swap the live-update transport: fn(widget, {interval}) -> stop function. */
    setTransport(fn) { T.transport = fn; T.widgets.forEach((w) => w.story && w.startTransport()); },
    destroy() { T.widgets.forEach((w) => w.destroy()); T.widgets = []; },
  });

  const boot = () => {
    const el = document.getElementById('threadline');
    if (el && !T.widgets.some((w) => w.host === el)) T.mount(el);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot); else boot();
})();
