/*
 * The candidate's written-test page.
 *
 * Without this script the page still works: the answers are sent when the candidate submits. With it:
 * - a countdown shows the time left (the server's figure, re-synchronised on every save; the server decides);
 * - the answers are saved as a draft a moment after each change and every few seconds, and when the page is
 *   hidden (phone locked, tab switched);
 * - "Submit" asks for confirmation and says how many questions are unanswered;
 * - at zero the answers are submitted (the server accepts them for a short grace period).
 */
(function () {
  "use strict";

  var SAVE_EVERY_MS = 5000;
  var CHANGE_DELAY_MS = 400;
  var TYPING_DELAY_MS = 1500;
  var WARN_SECONDS = 300;
  var DANGER_SECONDS = 60;

  function clock(seconds) {
    var s = Math.max(0, seconds);
    var hours = Math.floor(s / 3600);
    var minutes = Math.floor((s % 3600) / 60);
    var secs = s % 60;
    var mm = (minutes < 10 ? "0" : "") + minutes;
    var ss = (secs < 10 ? "0" : "") + secs;
    return hours ? hours + ":" + mm + ":" + ss : mm + ":" + ss;
  }

  function init(root) {
    var form = root.querySelector("[data-test-form]");
    var timer = root.querySelector("[data-timer]");
    var status = root.querySelector("[data-save-status]");
    var announce = root.querySelector("[data-timer-announce]");
    var submitArea = root.querySelector("[data-submit-area]");
    var submitButton = root.querySelector("[data-submit]");
    var confirmBox = root.querySelector("[data-confirm-box]");
    var confirmButton = root.querySelector("[data-confirm]");
    var cancelButton = root.querySelector("[data-confirm-cancel]");
    var unanswered = root.querySelector("[data-unanswered]");
    var saveUrl = root.getAttribute("data-save-url");
    if (!form || !timer || !status || !submitArea || !submitButton || !confirmBox || !confirmButton || !saveUrl) {
      return;
    }
    var csrfInput = form.querySelector('input[name="csrfmiddlewaretoken"]');
    var csrf = csrfInput ? csrfInput.value : "";

    var remainingAtSync = parseInt(root.getAttribute("data-remaining"), 10) || 0;
    var syncedAt = performance.now();
    var lastShown = -1;
    var lastSaved = serialise();
    var saving = false;
    var saveAgain = false;
    var submitting = false;
    var changeTimer = null;

    function message(name) {
      return root.getAttribute("data-msg-" + name) || "";
    }

    function serialise() {
      return new URLSearchParams(new FormData(form)).toString();
    }

    function setStatus(text, isError) {
      status.textContent = text;
      status.classList.toggle("wt-save-error", Boolean(isError));
    }

    function secondsLeft() {
      var elapsed = (performance.now() - syncedAt) / 1000;
      return Math.max(0, Math.ceil(remainingAtSync - elapsed));
    }

    function sync(serverSeconds) {
      if (typeof serverSeconds === "number" && isFinite(serverSeconds)) {
        remainingAtSync = serverSeconds;
        syncedAt = performance.now();
      }
    }

    function tick() {
      var left = secondsLeft();
      if (left !== lastShown) {
        if (announce && lastShown > WARN_SECONDS && left <= WARN_SECONDS && left > DANGER_SECONDS) {
          announce.textContent = message("five");
        }
        if (announce && lastShown > DANGER_SECONDS && left <= DANGER_SECONDS && left > 0) {
          announce.textContent = message("one");
        }
        lastShown = left;
        timer.textContent = clock(left);
        timer.classList.toggle("wt-timer-warn", left <= WARN_SECONDS && left > DANGER_SECONDS);
        timer.classList.toggle("wt-timer-danger", left <= DANGER_SECONDS);
      }
      if (left <= 0) {
        timeUp();
      }
    }

    function timeUp() {
      if (submitting) {
        return;
      }
      submitting = true;
      setStatus(message("timeup"), false);
      if (announce) {
        announce.textContent = message("timeup");
      }
      // form.submit() skips the confirmation (no submit event): the time decides.
      form.submit();
    }

    function save(force) {
      if (submitting) {
        return;
      }
      var body = serialise();
      if (!force && body === lastSaved) {
        return;
      }
      if (saving) {
        saveAgain = true;
        return;
      }
      saving = true;
      setStatus(message("saving"), false);
      fetch(saveUrl, {
        method: "POST",
        body: new FormData(form),
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
          if (result.code === 200) {
            lastSaved = body;
            sync(result.data.remaining_seconds);
            setStatus(message("saved").replace("{time}", result.data.saved_at || ""), false);
          } else if (result.code === 409) {
            // The time is up on the server: hand in now, within its grace period.
            sync(0);
            timeUp();
            return;
          } else if (result.code === 410 || result.code === 404) {
            submitting = true;
            window.location.href = result.data.redirect || window.location.href;
            return;
          } else {
            setStatus(result.data.detail || message("failed"), true);
          }
          if (saveAgain) {
            saveAgain = false;
            save(false);
          }
        })
        .catch(function () {
          saving = false;
          setStatus(message("failed"), true);
        });
    }

    function saveSoon(delay) {
      if (changeTimer) {
        window.clearTimeout(changeTimer);
      }
      changeTimer = window.setTimeout(function () {
        changeTimer = null;
        save(false);
      }, delay);
    }

    function countUnanswered() {
      var count = 0;
      root.querySelectorAll("[data-testid='test-question']").forEach(function (block) {
        var text = block.querySelector("textarea");
        var answered = text ? text.value.trim() !== "" : Boolean(block.querySelector("input:checked"));
        if (!answered) {
          count += 1;
        }
      });
      return count;
    }

    function openConfirm() {
      var count = countUnanswered();
      if (unanswered) {
        unanswered.textContent = count ? message("unanswered").replace("{n}", String(count)) : message("all-answered");
      }
      confirmBox.hidden = false;
      submitArea.hidden = true;
      confirmBox.scrollIntoView({ block: "center" });
      confirmButton.focus();
    }

    function closeConfirm() {
      confirmBox.hidden = true;
      submitArea.hidden = false;
      submitButton.focus();
    }

    // The confirmation box is the no-script way to submit; with the script it opens from "Submit".
    confirmBox.hidden = true;
    submitArea.hidden = false;
    if (cancelButton) {
      cancelButton.hidden = false;
      cancelButton.addEventListener("click", closeConfirm);
    }
    submitButton.addEventListener("click", openConfirm);
    form.addEventListener("submit", function () {
      submitting = true;
      confirmButton.disabled = true;
    });
    form.addEventListener("change", function () {
      saveSoon(CHANGE_DELAY_MS);
    });
    form.addEventListener("input", function (event) {
      if (event.target && event.target.tagName === "TEXTAREA") {
        saveSoon(TYPING_DELAY_MS);
      }
    });
    window.setInterval(function () {
      save(false);
    }, SAVE_EVERY_MS);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && !submitting && serialise() !== lastSaved && navigator.sendBeacon) {
        if (navigator.sendBeacon(saveUrl, new FormData(form))) {
          lastSaved = serialise();
        }
      }
    });
    // Coming back through the browser's history must not show a stale copy of the page.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        window.location.reload();
      }
    });
    tick();
    window.setInterval(tick, 250);
  }

  function start() {
    document.querySelectorAll("[data-written-test]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
