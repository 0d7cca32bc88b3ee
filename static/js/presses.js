/* A press that fails always says so. Every htmx change answers into #page-errors when the
   server refuses it; this file covers the rest (the network failed, the server broke, an
   answer with nowhere to go) and moves the keyboard focus to the message so it is read out.
   In the room the message area sits in the dock at the foot of the screen, so it is in view. */
(function () {
  "use strict";
  if (window.comhlaPresses) return;

  var NOT_SAVED = gettext("Not saved — please try again");
  var GONE = gettext("Not saved: you are no longer in this room. Ask the facilitator to let you back in.");
  var BY_STATUS = {
    403: gettext("You cannot do that here."),
    404: gettext("That is no longer here. Reload the page."),
    429: gettext("Too many tries at once: wait a moment and try again."),
  };

  function area() {
    return document.getElementById("page-errors");
  }

  function focusMessage() {
    var box = area() && area().querySelector(".govuk-error-summary");
    if (!box) return;
    if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "-1");
    box.focus();
  }

  // The markup of templates/partials/error_summary.html for plain messages, built from text
  // (never from HTML).
  function showMessage(text) {
    var target = area();
    if (!target) return;
    var box = document.createElement("div");
    box.className = "govuk-error-summary";
    box.setAttribute("role", "alert");
    box.setAttribute("tabindex", "-1");
    var title = document.createElement("h2");
    title.className = "govuk-error-summary__title";
    title.textContent = gettext("There is a problem");
    var body = document.createElement("div");
    body.className = "govuk-error-summary__body";
    var list = document.createElement("ul");
    list.className = "govuk-list govuk-error-summary__list";
    var item = document.createElement("li");
    item.textContent = text;
    list.appendChild(item);
    body.appendChild(list);
    box.appendChild(title);
    box.appendChild(body);
    target.replaceChildren(box);
    focusMessage();
  }

  function clearMessage() {
    var target = area();
    if (target && target.children.length) target.replaceChildren();
  }

  function outOfRoom() {
    var room = document.querySelector("[data-room]");
    return !!room && room.getAttribute("data-connection") === "gone";
  }

  function answeredIntoErrors(ctx) {
    var to = ctx.hx && ctx.hx.retarget;
    return to === "#page-errors" || (ctx.target && ctx.target.id === "page-errors");
  }

  // The answer was put somewhere on the page (a form's own errors, an edit clash): that
  // place speaks for itself.
  function answeredInPlace(ctx) {
    if (ctx.hx && ctx.hx.retarget) return true;
    var swap = String(ctx.swap || "");
    return !/^none\b/.test(swap) && !!ctx.text && ctx.text.trim() !== "";
  }

  function afterPress(evt) {
    var ctx = evt.detail && evt.detail.ctx;
    if (!ctx || !ctx.request) return;
    var method = (ctx.request.method || "GET").toUpperCase();
    if (!ctx.response) return; // no answer at all: htmx:error says so
    var status = ctx.response.status;
    if (status < 400) {
      // A change went through: an old complaint no longer applies.
      if (method !== "GET" && !answeredIntoErrors(ctx)) clearMessage();
      return;
    }
    if (outOfRoom() && (status === 403 || status === 404)) showMessage(GONE);
    else if (status >= 500) showMessage(NOT_SAVED);
    else if (answeredIntoErrors(ctx) && area() && area().children.length) focusMessage();
    else if (!answeredInPlace(ctx)) showMessage(BY_STATUS[status] || NOT_SAVED);
  }

  function failedToSend(evt) {
    var ctx = evt.detail && evt.detail.ctx;
    if (ctx && ctx.response) return; // answered: afterPress speaks for it
    if (ctx && !ctx.request) return; // a swap of pushed content, not a press
    showMessage(NOT_SAVED);
  }

  document.addEventListener("htmx:finally:request", afterPress);
  document.addEventListener("htmx:error", failedToSend);

  window.comhlaPresses = { show: showMessage, clear: clearMessage, focus: focusMessage, NOT_SAVED: NOT_SAVED };
})();
