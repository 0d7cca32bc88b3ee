/* The room page around its pushes: the dock at the foot of the screen never hides the end of
   the page, a control replaced by a push keeps the keyboard focus, an old error goes away
   when the room moves on to another activity, and a raised hand shows its place in the queue. */
(function () {
  "use strict";
  if (window.comhlaRoom) return;

  // The dock is fixed at the foot of the screen: leave that much room under the page.
  function fitDock() {
    var dock = document.querySelector("[data-dock]");
    if (!dock) return;
    var pad = function () {
      var h = dock.offsetHeight + "px";
      document.body.style.paddingBottom = h;
      // A control reached by Tab (or scrolled to) never ends up hidden under the dock.
      document.documentElement.style.scrollPaddingBottom = h;
    };
    pad();
    if (window.ResizeObserver) new ResizeObserver(pad).observe(dock);
  }

  // A push replaces a whole container: if the focus was in one marked data-keep-focus, put it
  // back on the same button (by its words) or the container's main button.
  var focusWasIn = null;
  var focusLabel = "";
  function noteFocus() {
    var active = document.activeElement;
    var box = active && active.closest ? active.closest("[data-keep-focus][id]") : null;
    focusWasIn = box ? box.id : null;
    focusLabel = box ? active.textContent.trim() : "";
  }

  function restoreFocus() {
    if (!focusWasIn) return;
    var id = focusWasIn;
    focusWasIn = null;
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    var box = document.getElementById(id);
    if (!box) return;
    var buttons = Array.prototype.slice.call(box.querySelectorAll("button, a[href], input, select, textarea"));
    var same = buttons.filter(function (b) { return b.textContent.trim() === focusLabel; })[0];
    var main = box.querySelector(".comhla-big-button") || buttons[0];
    var next = same || main;
    if (next) next.focus();
  }

  // The room moved on (or ended): an error about the last activity means nothing now.
  var activityShown = null;
  function clearErrorsWhenTheRoomMoves() {
    var activity = document.getElementById("activity");
    if (!activity) return;
    var now = activity.getAttribute("data-activity-id") + ":" + activity.getAttribute("data-session-status");
    if (activityShown !== null && now !== activityShown && window.comhlaPresses) {
      window.comhlaPresses.clear();
    }
    activityShown = now;
  }

  // The room's queue (#floor) is the same for everyone, so a change to someone else's hand is
  // not pushed to each person: the browser finds this viewer in it and says their place.
  function showMyPlace() {
    var place = document.querySelector("#floor-me [data-floor-position]");
    var room = document.querySelector("[data-room][data-viewer-id]");
    if (!place || !room) return;
    var me = room.getAttribute("data-viewer-id");
    var rows = document.querySelectorAll("#floor li[data-user-id][data-position]");
    var position = null;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-user-id") === me) position = rows[i].getAttribute("data-position");
    }
    var words = "";
    if (position === "1") words = gettext("You are next.");
    else if (position) words = interpolate(gettext("You are number %(position)s in the queue."), { position: position }, true);
    if (place.textContent !== words) place.textContent = words;
  }

  document.addEventListener("htmx:ws:before:message:incoming", noteFocus);
  document.addEventListener("htmx:before:swap", noteFocus);
  document.addEventListener("htmx:ws:after:message:incoming", function () {
    showMyPlace();
    restoreFocus();
    clearErrorsWhenTheRoomMoves();
  });
  document.addEventListener("htmx:after:swap", function () {
    showMyPlace();
    restoreFocus();
    clearErrorsWhenTheRoomMoves();
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      fitDock();
      clearErrorsWhenTheRoomMoves();
    });
  } else {
    fitDock();
    clearErrorsWhenTheRoomMoves();
  }

  window.comhlaRoom = { restoreFocus: restoreFocus };
})();
