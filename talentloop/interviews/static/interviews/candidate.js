/*
 * The candidate's AI-interview question page.
 *
 * Without this script the page still works: the answer is sent when the candidate submits. With it:
 * - a countdown shows the question's time left (the server's figure from when the question was first shown;
 *   re-synchronised on every save; the server decides);
 * - the draft is saved to the server a moment after typing stops, every few seconds, on blur and when the page
 *   is hidden, and mirrored to localStorage on every keystroke, so nothing typed is lost offline;
 * - on load, a local copy newer than the server's draft is restored (and saved);
 * - at zero, a non-empty answer is submitted (the server allows a short grace period).
 * On the "done" page it forgets the local copies of this interview.
 */
(function () {
  "use strict";

  var SAVE_EVERY_MS = 5000;
  var TYPING_DELAY_MS = 1500;
  var WARN_SECONDS = 30;

  function clock(seconds) {
    var s = Math.max(0, seconds);
    var minutes = Math.floor(s / 60);
    var secs = s % 60;
    return minutes + ":" + (secs < 10 ? "0" : "") + secs;
  }

  function storage() {
    try {
      var probe = "__talentloop__";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function readLocal(store, key) {
    if (!store) {
      return null;
    }
    try {
      var value = JSON.parse(store.getItem(key) || "null");
      return value && typeof value.text === "string" ? value : null;
    } catch (e) {
      return null;
    }
  }

  function init(root) {
    var form = root.querySelector("[data-answer-form]");
    var field = root.querySelector("[data-answer]");
    var timer = root.querySelector("[data-timer]");
    var status = root.querySelector("[data-save-status]");
    var counter = root.querySelector("[data-count]");
    var announce = root.querySelector("[data-timer-announce]");
    var url = root.getAttribute("data-draft-url");
    var key = root.getAttribute("data-storage-key");
    if (!form || !field || !timer || !status || !url || !key) {
      return;
    }
    var store = storage();
    var csrfInput = form.querySelector('input[name="csrfmiddlewaretoken"]');
    var csrf = csrfInput ? csrfInput.value : "";
    var remainingAtSync = parseInt(root.getAttribute("data-remaining"), 10) || 0;
    var syncedAt = performance.now();
    var serverSavedMs = parseInt(root.getAttribute("data-server-saved-ms"), 10) || 0;
    var lastSaved = field.value;
    var saving = false;
    var again = false;
    var submitting = false;
    var typingTimer = null;
    var timeUpShown = false;

    function message(name) {
      return root.getAttribute("data-msg-" + name) || "";
    }

    function setStatus(text, isError) {
      status.textContent = text;
      status.classList.toggle("ai-save-error", Boolean(isError));
    }

    function keepLocal() {
      if (store) {
        try {
          store.setItem(key, JSON.stringify({ text: field.value, savedMs: Date.now() }));
        } catch (e) {
          /* storage full: the server copy is still saved */
        }
      }
    }

    function count() {
      if (counter) {
        counter.textContent = field.value.length + " / " + counter.getAttribute("data-max");
      }
    }

    function secondsLeft() {
      return Math.max(0, Math.ceil(remainingAtSync - (performance.now() - syncedAt) / 1000));
    }

    function save(force) {
      if (submitting) {
        return;
      }
      var text = field.value;
      if (!force && text === lastSaved) {
        return;
      }
      if (saving) {
        again = true;
        return;
      }
      saving = true;
      setStatus(message("saving"), false);
      var body = new FormData();
      body.append("text", text);
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { code: response.status, data: data || {} };
          });
        })
        .then(function (result) {
          saving = false;
          if (submitting) {
            // The form is being submitted: the submit's own response decides where to go next.
            return;
          }
          if (result.code === 200) {
            lastSaved = text;
            if (typeof result.data.remaining_seconds === "number") {
              remainingAtSync = result.data.remaining_seconds;
              syncedAt = performance.now();
            }
            setStatus(message("saved").replace("{time}", result.data.saved_at || ""), false);
          } else if (result.data.redirect) {
            submitting = true;
            window.location.href = result.data.redirect;
            return;
          } else {
            setStatus(result.data.detail || message("offline"), true);
          }
          if (again) {
            again = false;
            save(false);
          }
        })
        .catch(function () {
          saving = false;
          setStatus(message("offline"), true);
        });
    }

    function tick() {
      var left = secondsLeft();
      timer.textContent = clock(left);
      timer.classList.toggle("ai-timer-warn", left <= WARN_SECONDS && left > 10);
      timer.classList.toggle("ai-timer-danger", left <= 10);
      if (left <= 0 && !timeUpShown) {
        timeUpShown = true;
        if (announce) {
          announce.textContent = message("timeup");
        }
        setStatus(message("timeup"), true);
        // While the candidate answers by voice or video (answer-modes.js sets data-mode), submitting the typed
        // form would throw the recording away.
        var typing = (root.getAttribute("data-mode") || "text") === "text";
        if (typing && field.value.trim() !== "" && !submitting && remainingAtSync > 0) {
          submitting = true;
          form.submit();
        }
      }
    }

    // A newer copy on this device (typed while offline) wins over the server's draft.
    var local = readLocal(store, key);
    if (local && local.text !== field.value && local.savedMs > serverSavedMs && local.text.trim() !== "") {
      field.value = local.text;
      setStatus(message("restored"), false);
      save(true);
    }
    count();
    field.addEventListener("input", function () {
      keepLocal();
      count();
      if (typingTimer) {
        window.clearTimeout(typingTimer);
      }
      typingTimer = window.setTimeout(function () {
        typingTimer = null;
        save(false);
      }, TYPING_DELAY_MS);
    });
    field.addEventListener("blur", function () {
      save(false);
    });
    form.addEventListener("submit", function () {
      keepLocal();
      submitting = true;
    });
    window.setInterval(function () {
      save(false);
    }, SAVE_EVERY_MS);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && !submitting && field.value !== lastSaved && navigator.sendBeacon) {
        var body = new FormData();
        body.append("text", field.value);
        body.append("csrfmiddlewaretoken", csrf);
        if (navigator.sendBeacon(url, body)) {
          lastSaved = field.value;
        }
      }
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        window.location.reload();
      }
    });
    tick();
    window.setInterval(tick, 250);
  }

  function forget(root) {
    var store = storage();
    var prefix = root.getAttribute("data-storage-prefix");
    if (!store || !prefix) {
      return;
    }
    for (var i = store.length - 1; i >= 0; i -= 1) {
      var name = store.key(i);
      if (name && name.indexOf(prefix) === 0) {
        store.removeItem(name);
      }
    }
  }

  function start() {
    document.querySelectorAll("[data-interview-question]").forEach(init);
    document.querySelectorAll("[data-interview-done]").forEach(forget);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
