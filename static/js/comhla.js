/* Comhla's own script: the CSRF header for htmx, and the room socket's bookkeeping.
   The server is the source of truth: this file only keeps the socket honest (heartbeats,
   sequence gaps, a visible "reconnecting" notice) and shows time left on a timebox. */
(function () {
  "use strict";

  // Text people read is written gettext("…") and found by `make messages` (the djangojs
  // domain). The catalogue script (/jsi18n/, before this file) defines gettext, ngettext and
  // interpolate in the page's language; should it fail to load, the scripts speak English.
  if (typeof window.gettext !== "function") {
    window.gettext = function (text) {
      return text;
    };
    window.ngettext = function (singular, plural, count) {
      return count === 1 ? singular : plural;
    };
    window.interpolate = function (fmt, obj, named) {
      if (named) {
        return fmt.replace(/%\(\w+\)s/g, function (match) {
          return String(obj[match.slice(2, -2)]);
        });
      }
      return fmt.replace(/%s/g, function () {
        return String(obj.shift());
      });
    };
  }

  var HEARTBEAT_MS = 20000;
  // Closes that mean "this page sent something wrong" (see workshops/consumers.py).
  var REFUSED_CODES = [1007, 1009, 4400, 4413, 4429];
  var lastSeq = null;
  var socket = null;
  var heartbeat = null;

  function csrfToken() {
    return document.body.getAttribute("data-csrf-token") || "";
  }

  document.addEventListener("htmx:config:request", function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    if (ctx && ctx.request && ctx.request.headers) {
      ctx.request.headers["X-CSRFToken"] = csrfToken();
    }
  });

  function room() {
    return document.querySelector("[data-room]");
  }

  function setStatus(kind, text) {
    var box = document.getElementById("connection-status");
    if (!box) return;
    box.className = "comhla-connection comhla-connection--" + kind;
    box.textContent = text;
    box.hidden = kind === "ok";
    var r = room();
    if (r) r.setAttribute("data-connection", kind);
  }

  function resync() {
    var r = room();
    if (!r) return;
    fetch(r.getAttribute("data-snapshot-url"), {
      credentials: "same-origin",
      headers: { "HX-Request": "true" },
    })
      .then(function (resp) {
        if (!resp.ok) throw new Error("snapshot " + resp.status);
        return resp.json();
      })
      .then(function (frame) {
        lastSeq = frame.seq;
        return htmx.swap({ target: r, swap: "none", text: frame.content, sourceElement: r });
      })
      .catch(function () {
        /* The next push or reconnect will try again. */
      });
  }

  document.addEventListener("htmx:ws:before:message:incoming", function (evt) {
    var data = evt.detail && evt.detail.message && evt.detail.message.data;
    if (typeof data !== "string") return;
    var frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      return;
    }
    if (frame.announce) {
      var announcer = document.getElementById("room-announcer");
      if (announcer) announcer.textContent = frame.announce;
    }
    if (frame.event === "snapshot") {
      lastSeq = frame.seq;
      return;
    }
    if (typeof frame.seq !== "number") return;
    if (lastSeq !== null && frame.seq <= lastSeq) {
      // Already applied, or older than what the screen shows (pushes after commit can
      // overtake each other): applying it would put an older state back.
      evt.preventDefault();
      evt.detail.cancelled = true;
      return;
    }
    if (lastSeq !== null && frame.seq > lastSeq + 1) {
      // A push went missing: apply this one (harmless) and fetch the whole room again.
      lastSeq = frame.seq;
      resync();
      return;
    }
    lastSeq = frame.seq;
  });

  document.addEventListener("htmx:ws:after:message:incoming", function () {
    var r = room();
    if (r) r.setAttribute("data-seq", lastSeq === null ? "" : String(lastSeq));
    tickTimeboxes();
  });

  document.addEventListener("htmx:ws:after:connection", function (evt) {
    socket = evt.detail.connection.socket;
    setStatus("ok", "");
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = setInterval(function () {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send("ping");
    }, HEARTBEAT_MS);
  });

  document.addEventListener("htmx:ws:close", function (evt) {
    if (heartbeat) clearInterval(heartbeat);
    var code = evt.detail && evt.detail.code;
    if (code === 4403) {
      setStatus("gone", gettext("You are no longer in this room. Ask the facilitator to let you back in."));
      waitToBeLetBackIn();
    } else if (code === 4000) {
      setStatus("ended", gettext("This session has ended. Thank you for taking part."));
    } else if (REFUSED_CODES.indexOf(code) !== -1) {
      // The server refused what this page sent (too big, not UTF-8, too often, not a
      // heartbeat): reconnecting by itself would only do it again.
      setStatus("down", gettext("The connection to the room stopped. Reload the page to rejoin."));
    } else if (evt.detail && evt.detail.reason === "closed") {
      setStatus("down", gettext("Reconnecting… If a change is not saved, you will be told."));
    }
  });

  // Removed from the room: ask every few seconds, as the waiting page does, and come back
  // in by ourselves when a facilitator lets us back in.
  var letBackIn = null;
  function waitToBeLetBackIn() {
    var r = room();
    var url = r && r.getAttribute("data-waiting-url");
    if (!url || letBackIn) return;
    letBackIn = setInterval(function () {
      fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (resp) {
          var next = resp.headers.get("HX-Redirect");
          if (next) {
            clearInterval(letBackIn);
            window.location.assign(next);
          }
        })
        .catch(function () {
          /* Try again on the next tick. */
        });
    }, 3000);
  }

  function minutesLeft(endsAt) {
    var ms = new Date(endsAt).getTime() - Date.now();
    if (isNaN(ms)) return "";
    var mins = Math.ceil(ms / 60000);
    if (mins <= 0) return gettext("Time is up");
    return interpolate(ngettext("%(minutes)s minute left", "%(minutes)s minutes left", mins), { minutes: mins }, true);
  }

  function tickTimeboxes() {
    document.querySelectorAll("[data-ends-at]").forEach(function (el) {
      el.textContent = minutesLeft(el.getAttribute("data-ends-at"));
    });
  }

  // The turn timer: how long the speaker has had the floor, and a gentle prompt past the
  // limit (the server gives the start time and the limit; nothing is ever cut off).
  function clock(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tickTurnTimers() {
    document.querySelectorAll("[data-turn-started]").forEach(function (el) {
      var started = new Date(el.getAttribute("data-turn-started")).getTime();
      var limit = parseInt(el.getAttribute("data-turn-limit"), 10);
      if (isNaN(started)) return;
      var elapsed = Math.max(0, Math.floor((Date.now() - started) / 1000));
      el.textContent = interpolate(
        // Translators: the turn timer; elapsed and limit are minutes and seconds, as 2:05.
        gettext("Speaking for %(elapsed)s of %(limit)s"),
        { elapsed: clock(elapsed), limit: clock(limit) },
        true
      );
      var prompt = el.nextElementSibling;
      var over = elapsed >= limit;
      el.classList.toggle("comhla-turn-timer--over", over);
      if (prompt && prompt.classList.contains("comhla-turn-timer__prompt")) prompt.hidden = !over;
    });
  }

  var wasMyTurn = false;
  function noticeMyTurn() {
    var me = document.getElementById("floor-me");
    var now = !!me && me.getAttribute("data-your-turn") === "1";
    // Browsers refuse (and log an error) to vibrate before the person has touched the page.
    var touched = !navigator.userActivation || navigator.userActivation.hasBeenActive;
    if (now && !wasMyTurn && navigator.vibrate && touched) navigator.vibrate([200, 100, 200]);
    wasMyTurn = now;
  }

  document.addEventListener("DOMContentLoaded", function () {
    tickTurnTimers();
    noticeMyTurn();
  });
  document.addEventListener("htmx:after:swap", function () {
    tickTurnTimers();
    noticeMyTurn();
  });
  document.addEventListener("htmx:ws:after:message:incoming", function () {
    tickTurnTimers();
    noticeMyTurn();
  });
  setInterval(tickTurnTimers, 1000);

  document.addEventListener("DOMContentLoaded", tickTimeboxes);
  document.addEventListener("htmx:after:swap", tickTimeboxes);
  setInterval(tickTimeboxes, 15000);

  window.comhla = { resync: resync, lastSeq: function () { return lastSeq; } };
})();
