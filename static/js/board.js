/* Idea boards in the browser. The server is the source of truth: this file only
   - gives every change form a fresh client id (a retry after a dropped network reuses it,
     so the server applies the change once),
   - clears the idea box after an idea is saved,
   - lets people drag ideas between columns (SortableJS); buttons do the same without a mouse,
   - keeps an open "Change" or "Group" panel (and what is typed in it) while pushes redraw
     the board around it: open panels keep their id and hx-preserve keeps them, closed ones
     drop their id so the server's fresh copy is used,
   - hides the "Undo" notice after a few seconds,
   - on a board where each person moves only their own ideas, shows the arrows (and allows a
     drag) only on the person's own ideas: the ones listed under "Your ideas". */
(function () {
  "use strict";
  if (window.comhlaBoard) return;

  var UNDO_MS = 10000;
  var SEQ_GRACE_MS = 1500;

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    // Plain http on a local network has no randomUUID; getRandomValues is always there.
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function csrfToken() {
    return document.body.getAttribute("data-csrf-token") || "";
  }

  // Capturing, so the id is in place before htmx reads the form.
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (!(form instanceof HTMLFormElement)) return;
    var input = form.querySelector("input[name=client_id]");
    if (input && !input.value) input.value = newId();
    var text = form.querySelector("textarea[name=text]");
    if (text && form.hasAttribute("data-board-add")) form._comhlaSent = text.value;
  }, true);

  document.addEventListener("htmx:after:request", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    var form = evt.target;
    if (!ctx || !ctx.response || !(form instanceof HTMLFormElement)) return;
    // The server answered (whatever it said): the next submit is a new change.
    var input = form.querySelector("input[name=client_id]");
    if (input) input.value = "";
    if (ctx.response.status < 300 && form.hasAttribute("data-board-add")) {
      // Clear the box only if it still holds what was sent: never what was typed since.
      var text = form.querySelector("textarea[name=text]");
      if (text && text.value === form._comhlaSent) text.value = "";
    }
    var panel = form.closest("details[data-keep-open]");
    if (panel && ctx.response.status < 300) {
      // Done: let the answer's fresh copy replace this panel (closed).
      panel.open = false;
      forget(panel);
    }
  });

  function forget(panel) {
    if (panel.id) {
      panel.setAttribute("data-keep-id", panel.id);
      panel.removeAttribute("id");
    }
  }

  // The "Change" and "Group" forms of a card arrive when first opened (a big board stays small).
  function loadPanel(panel) {
    var body = panel.querySelector("[data-panel]");
    if (!body || body._comhlaLoaded) return;
    body._comhlaLoaded = true;
    fetch(body.getAttribute("data-panel"), {
      credentials: "same-origin",
      headers: { "HX-Request": "true" },
    })
      .then(function (resp) {
        if (!resp.ok) throw new Error("panel " + resp.status);
        return resp.text();
      })
      .then(function (html) {
        body.innerHTML = html;
        htmx.process(body);
      })
      .catch(function () {
        body._comhlaLoaded = false;
        body.textContent = gettext("This could not be loaded. Close and open it again to retry.");
      });
  }

  function initPanels() {
    document.querySelectorAll("details[data-keep-open]").forEach(function (panel) {
      if (!panel.open) forget(panel);
      if (panel._comhlaToggle) return;
      panel._comhlaToggle = true;
      panel.addEventListener("toggle", function () {
        if (panel.open && !panel.id) panel.id = panel.getAttribute("data-keep-id");
        if (!panel.open) forget(panel);
        if (panel.open) loadPanel(panel);
      });
    });
  }

  function applyFragments(html, source) {
    return htmx.swap({ target: source, swap: "none", text: html, sourceElement: source });
  }

  // Put the board back as the server has it. SortableJS leaves a style attribute on the
  // dragged idea, which a whole-room swap would copy (a style-src violation): drop it first.
  function undoDrag(item) {
    item.removeAttribute("style");
    if (window.comhla) window.comhla.resync();
  }

  function moveByDrag(board, evt) {
    var card = evt.item.getAttribute("data-card");
    var list = evt.to;
    var body = new URLSearchParams();
    body.set("client_id", newId());
    body.set("column", list.getAttribute("data-column"));
    body.set("index", String(evt.newIndex));
    fetch(board.getAttribute("data-move-url") + card + "/move/", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
      body: body,
    })
      .then(function (resp) { return resp.text().then(function (t) { return [resp, t]; }); })
      .then(function (pair) {
        var resp = pair[0], text = pair[1];
        if (!resp.ok) {
          var to = resp.status < 500 && resp.headers.get("HX-Retarget");
          var errors = to && document.querySelector(to);
          if (errors) {
            errors.innerHTML = text;
            if (window.comhlaPresses) window.comhlaPresses.focus();
          } else if (window.comhlaPresses) {
            window.comhlaPresses.show(window.comhlaPresses.NOT_SAVED);
          }
          undoDrag(evt.item);
          return;
        }
        applyFragments(text, document.body);
      })
      .catch(function () {
        if (window.comhlaPresses) window.comhlaPresses.show(window.comhlaPresses.NOT_SAVED);
        undoDrag(evt.item);
      });
  }

  function initSortable() {
    if (typeof window.Sortable === "undefined") return;
    document.querySelectorAll(".comhla-board__body[data-can-drag=true]").forEach(function (board) {
      board.querySelectorAll("ol.comhla-column__cards[data-group='']").forEach(function (list) {
        if (list._comhlaSortable) return;
        list._comhlaSortable = window.Sortable.create(list, {
          group: "board-" + board.id,
          draggable: board.getAttribute("data-move-own") === "true" ? ".comhla-idea--mine" : ".comhla-idea",
          animation: 120,
          delay: 200,
          delayOnTouchOnly: true,
          filter: "button, input, select, textarea, summary, a, label",
          preventOnFilter: false,
          ghostClass: "comhla-idea--ghost",
          onEnd: function (evt) {
            if (evt.from === evt.to && evt.oldIndex === evt.newIndex) return;
            moveByDrag(board, evt);
          },
        });
      });
    });
  }

  function initUndo() {
    document.querySelectorAll("[data-undo]").forEach(function (box) {
      if (box._comhlaTimer || !box.children.length) return;
      box._comhlaTimer = setTimeout(function () {
        if (box.isConnected) box.replaceChildren();
      }, UNDO_MS);
    });
  }

  // A new idea is appended to its column; if the same idea also came in another way (the
  // sender's own answer, a snapshot), keep one copy in the first copy's place. The later copy
  // is the one kept: hx-preserve has moved any open panel of the first one into it.
  function dropDuplicates() {
    var seen = {};
    document.querySelectorAll("li.comhla-idea[id]").forEach(function (card) {
      var first = seen[card.id];
      seen[card.id] = card;
      if (first) first.replaceWith(card);
    });
  }

  // The sender's answer carries only its own change, with the room's sequence number after
  // it. If that push has not come over the socket a moment later (the socket is up but lost
  // pushes), earlier ones may be lost too: fetch the whole room again.
  function checkSeq() {
    var box = document.querySelector("#page-errors[data-room-seq]");
    if (!box) return;
    var seq = Number(box.getAttribute("data-room-seq"));
    box.removeAttribute("data-room-seq");
    if (!window.comhla) return;
    setTimeout(function () {
      var last = window.comhla.lastSeq();
      if (last !== null && last < seq) window.comhla.resync();
    }, SEQ_GRACE_MS);
  }

  // A changed idea is swapped in where it was; if it now belongs elsewhere (moved, grouped,
  // or re-sorted by votes) the server names its list and the idea now above it.
  function placeCards() {
    document.querySelectorAll("li.comhla-idea[data-list]").forEach(function (card) {
      var list = document.getElementById(card.getAttribute("data-list"));
      var above = card.getAttribute("data-after");
      card.removeAttribute("data-list");
      card.removeAttribute("data-after");
      if (!list) return;
      var prev = above ? document.getElementById(above) : null;
      var focused = card.contains(document.activeElement) ? document.activeElement : null;
      if (prev && prev !== card && prev.parentNode === list) {
        if (prev.nextElementSibling !== card) prev.after(card);
      } else if (!above) {
        if (list.firstElementChild !== card) list.prepend(card);
      } else if (card.parentNode !== list) {
        list.append(card);
      }
      // Moving a node drops its focus: a keyboard user stays on the button they pressed.
      if (focused && document.activeElement !== focused) focused.focus();
    });
  }

  // The board's HTML is the same for everyone in the room; the person's own ideas are the
  // ones in their own "Your ideas" panel.
  function markMine() {
    document.querySelectorAll(".comhla-board__body[data-move-own=true]").forEach(function (board) {
      board.querySelectorAll("li.comhla-idea[data-card]").forEach(function (card) {
        var mine = !!document.getElementById("mine-" + card.getAttribute("data-card"));
        card.classList.toggle("comhla-idea--mine", mine);
      });
    });
  }

  // Arrows appear only once markMine has run, after the swap: give the focus back to the
  // arrow that had it (same id) if the swap could not.
  var focusedId = null;
  function noteFocus() {
    var active = document.activeElement;
    focusedId = active && active.id && active.closest && active.closest(".comhla-board") ? active.id : null;
  }

  function refocus() {
    var id = focusedId;
    focusedId = null;
    if (!id) return;
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    var again = document.getElementById(id);
    if (again) again.focus();
  }

  document.addEventListener("htmx:before:swap", noteFocus);
  document.addEventListener("htmx:ws:before:message:incoming", noteFocus);

  function init() {
    dropDuplicates();
    placeCards();
    checkSeq();
    markMine();
    refocus();
    initPanels();
    initSortable();
    initUndo();
  }

  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:after:swap", init);
  document.addEventListener("htmx:ws:after:message:incoming", init);
  window.comhlaBoard = { init: init, newId: newId };
  init();
})();
