/*
 * The question page's answer modes (Typing / Voice / Video), shown by the script only: without it the page is the
 * plain typed form. Each recorded mode is a recorder.js panel; typing is always one of the modes. Switching away
 * from a recording mode stops a recording in progress (it is kept) and turns the camera and microphone off.
 * Leaving the page with a recording the server has not accepted yet asks first.
 */
(function () {
  "use strict";

  var media = window.TalentLoopMedia;

  function init(root) {
    var panels = root.querySelectorAll("[data-mode-panel]");
    var switcher = root.querySelector("[data-mode-switch]");
    var form = root.querySelector("[data-answer-form]");
    if (!switcher || !form || !panels.length || !media || !media.Recorder) {
      return;
    }
    var loadedAt = performance.now();
    var remaining = parseInt(root.getAttribute("data-remaining"), 10) || 0;
    var page = {
      root: root,
      mode: "text",
      busy: false, // a recording not yet accepted by the server: leaving would lose it
      recorders: {},
      secondsLeft: function () {
        return remaining - (performance.now() - loadedAt) / 1000;
      },
      problem: function (message) {
        var box = root.querySelector("[data-testid=recording-problem]");
        if (box && message) {
          box.textContent = message;
        }
      },
      setMode: function (mode, focus) {
        page.mode = mode;
        root.setAttribute("data-mode", mode);
        switcher.querySelectorAll("input[name=answer_mode]").forEach(function (radio) {
          radio.checked = radio.value === mode;
        });
        panels.forEach(function (panel) {
          panel.hidden = panel.getAttribute("data-mode-panel") !== mode;
        });
        Object.keys(page.recorders).forEach(function (name) {
          var recorder = page.recorders[name];
          if (name === mode) {
            return;
          }
          if (recorder.state === "recording") {
            recorder.stop("");
          } else if (recorder.state === "ready" || recorder.state === "checking") {
            recorder.release();
            recorder.setState("idle");
            recorder.say("", false);
            recorder.show(["check", "type"]);
          }
        });
        if (focus) {
          var target = mode === "text" ? root.querySelector("[data-answer]")
            : switcher.querySelector("input[value=" + mode + "]");
          if (target) {
            target.focus();
          }
        }
      },
    };

    root.querySelectorAll("[data-recorder]").forEach(function (panel) {
      var recorder = new media.Recorder(panel, page);
      page.recorders[recorder.modality] = recorder;
      recorder.setState("idle");
      if (!media.canRecord()) {
        recorder.say(recorder.msg("unsupported"), true);
        recorder.show(["type"]);
      } else {
        recorder.show(["check", "type"]);
      }
    });
    switcher.hidden = false;
    switcher.addEventListener("change", function (event) {
      if (event.target && event.target.name === "answer_mode") {
        page.setMode(event.target.value, false);
      }
    });

    // Where the page opens: on the mode of a recording that could not be used, on a recording kept on this
    // device (when nothing is typed), or on typing. (A recording being analysed counts as answered: the server
    // shows another page for it.)
    var first = page.recorders.audio || page.recorders.video;
    var failedWith = first && media.RETRY_STATUSES[first.panel.getAttribute("data-answer-status")]
      ? first.panel.getAttribute("data-answer-modality") : "";
    page.setMode(page.recorders[failedWith] ? failedWith : "text", false);
    Object.keys(page.recorders).forEach(function (name) {
      page.recorders[name].restore().then(function (restored) {
        if (restored && page.mode === "text" && !(form.querySelector("[data-answer]").value || "").trim()) {
          page.setMode(name, false);
        }
      });
    });

    window.addEventListener("beforeunload", function (event) {
      if (page.busy) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    window.addEventListener("pagehide", function () {
      Object.keys(page.recorders).forEach(function (name) {
        page.recorders[name].release();
      });
    });
  }

  function start() {
    document.querySelectorAll("[data-interview-question]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
