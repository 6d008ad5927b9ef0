/* The moderator desk: keyboard shortcuts, selection and the drawer. The pages work without
   it (forms post and redirect); htmx swaps cards in place when it is there. */
(function () {
  "use strict";
  var current = null;      // id of the selected card
  var advance = false;     // move to the next card once the pending action's card is swapped
  var REASON_KEY = "tl-desk-reject-reason";

  function cards() { return Array.prototype.slice.call(document.querySelectorAll("#cards .tl-card")); }
  function selected() { return current && document.getElementById("c-" + current); }

  function select(card, scroll) {
    if (!card) return;
    cards().forEach(function (c) { c.classList.remove("selected"); c.removeAttribute("aria-current"); });
    card.classList.add("selected");
    card.setAttribute("aria-current", "true");
    current = card.dataset.id;
    card.focus({ preventScroll: true });
    if (scroll !== false) card.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var list = cards();
    if (!list.length) return;
    var i = list.findIndex(function (c) { return c.dataset.id === current; });
    i = i < 0 ? 0 : Math.min(Math.max(i + step, 0), list.length - 1);
    select(list[i]);
  }

  function press(kind) {
    var card = selected();
    var button = card && card.querySelector('[data-action="' + kind + '"]');
    if (!button || button.disabled) return false;
    advance = kind !== "ban";
    button.click();
    return true;
  }

  function countSelected() {
    var n = document.querySelectorAll("#cards .sel:checked").length;
    var out = document.getElementById("selected-count");
    if (out) out.textContent = String(n);
  }

  // --- reject dialog --------------------------------------------------------------------
  function openReject() {
    var card = selected();
    var dialog = document.getElementById("reject-dialog");
    if (!card || !dialog) return;
    var button = card.querySelector('[data-action="reject"]');
    if (!button || button.disabled) return;
    // What the pipeline (or the readers' reports) found comes first, then the last reason
    // used; "Other" only when neither says anything.
    var suggested = card.dataset.suggestedReason;
    var choice = suggested || localStorage.getItem(REASON_KEY) || "other";
    var radio = dialog.querySelector('input[name="reason"][value="' + choice + '"]');
    if (radio) radio.checked = true;
    var note = document.getElementById("reject-suggested");
    if (note) note.hidden = !suggested;
    dialog.querySelector('input[name="note"]').value = "";
    dialog.returnValue = "";
    dialog.showModal();
    (dialog.querySelector('input[name="reason"]:checked') || dialog.querySelector("input")).focus();
  }

  function closeReject(dialog) {
    if (dialog.returnValue !== "ok") return;
    var card = selected();
    if (!card) return;
    var reason = dialog.querySelector('input[name="reason"]:checked').value;
    localStorage.setItem(REASON_KEY, reason);
    var form = card.querySelector("form.reject");
    form.querySelector('select[name="reason"]').value = reason;
    form.querySelector('input[name="note"]').value = dialog.querySelector('input[name="note"]').value;
    press("reject");
  }

  // --- drawer and help ----------------------------------------------------------------
  var focusBan = false;
  function openDrawer(ban) {
    var card = selected();
    var button = card && card.querySelector('[data-action="ban"]');
    if (!button) return;
    focusBan = ban;
    button.click();
  }
  function closeDrawer() { var d = document.getElementById("drawer"); if (d) d.hidden = true; }
  function toggleHelp(show) {
    var help = document.getElementById("help");
    if (help) help.hidden = show === undefined ? !help.hidden : !show;
  }

  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { toggleHelp(false); closeDrawer(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var dialog = document.getElementById("reject-dialog");
    if (dialog && dialog.open) {
      if (e.target.type === "text") return;  // typing the note
      var n = parseInt(e.key, 10);
      var radios = dialog.querySelectorAll('input[name="reason"]');
      if (n >= 1 && n <= radios.length) { radios[n - 1].checked = true; radios[n - 1].focus(); }
      return;
    }
    if (typing(e.target)) return;
    var handled = true;
    switch (e.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": press("approve"); break;
      case "r": openReject(); break;
      case "b": openDrawer(true); break;
      case "o": openDrawer(false); break;
      case "x": {
        var card = selected();
        var box = card && card.querySelector(".sel");
        if (box) { box.checked = !box.checked; countSelected(); }
        break;
      }
      case "?": toggleHelp(); break;
      case "/": { var s = document.getElementById("search"); if (s) s.focus(); break; }
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t.closest("[data-help]")) toggleHelp(true);
    if (t.closest("[data-close]")) toggleHelp(false);
    if (t.closest("[data-close-drawer]")) closeDrawer();
    var card = t.closest("#cards .tl-card");
    if (card && card.dataset.id !== current) select(card, false);
  });

  document.addEventListener("change", function (e) {
    if (e.target.id === "select-all") {
      document.querySelectorAll("#cards .sel").forEach(function (b) { b.checked = e.target.checked; });
    }
    if (e.target.matches && e.target.matches(".sel, #select-all")) countSelected();
  });

  document.addEventListener("htmx:afterSettle", function (e) {
    var target = e.detail.target;
    if (target && target.id === "drawer") {
      target.hidden = false;
      var days = focusBan && document.getElementById("ban-days");
      if (days) days.focus();
      focusBan = false;
      return;
    }
    var card = current && document.getElementById("c-" + current);
    if (!card) return;
    if (advance) {
      advance = false;
      var list = cards();
      var i = list.indexOf(card);
      select(list[Math.min(i + 1, list.length - 1)]);
    } else {
      select(card, false);
    }
  });

  document.addEventListener("htmx:responseError", function (e) {
    advance = false;
    var text = e.detail.xhr.status + " " + (e.detail.xhr.statusText || "error");
    var toast = document.getElementById("toast") || document.body.appendChild(
      Object.assign(document.createElement("div"), { id: "toast", className: "tl-toast", role: "alert" }));
    toast.textContent = "That did not work: " + text;
    setTimeout(function () { toast.remove(); }, 4000);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var dialog = document.getElementById("reject-dialog");
    if (dialog) dialog.addEventListener("close", function () { closeReject(dialog); });
    var first = cards()[0];
    if (first) select(first, false);
  });
})();
