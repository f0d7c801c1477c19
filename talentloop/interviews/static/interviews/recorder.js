/*
 * Voice and video answers on the candidate's question page (progressive enhancement; no framework, no CDN).
 *
 * The page works without this script: the candidate types, or sends a recording file with the form. With it
 * (and answer-modes.js, which shows the switch between typing and the recorded modes offered and agreed to), each
 * voice or video panel gives:
 * - a device check first (getUserMedia): a microphone level meter, and the camera preview for video; a refused
 *   permission, a missing or busy device or a browser that cannot record is said plainly, with typing suggested;
 * - recording with MediaRecorder in a format the browser supports, with a visible timer bounded by the question's
 *   time left (it stops itself at zero) and by the server's maximum length; playback before sending; recording
 *   again until sent when the job allows it;
 * - a resumable upload while recording (recorder-kit.js): every second's data joins a local buffer and goes
 *   to the server in chunks, resuming after a dropped connection; the recording stays in memory, and in
 *   IndexedDB once stopped, until the answer is accepted;
 * - the answer (POST .../answers/ with the upload's id), then "being analysed" while the page polls the
 *   question's status (a read-only page endpoint: polling the API would start the next question's clock). A
 *   recording without speech, unreadable or too long is said with the server's sentence, and the candidate
 *   records again or types; a scored answer moves on to the next question.
 * Every sentence comes from the page's data-msg-* attributes (translated by the server).
 */
(function () {
  "use strict";

  var TIMESLICE_MS = 1000;
  var POLL_FIRST_MS = 1000;
  var POLL_MAX_MS = 5000;
  // Answer statuses after which the candidate moves on, and those after which they record again or type.
  var DONE = { scored: true, submitted: true, failed: true };
  var RETRY = { no_speech: true, unreadable: true, too_long: true };

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    var minutes = Math.floor(s / 60);
    var secs = s % 60;
    return minutes + ":" + (secs < 10 ? "0" : "") + secs;
  }

  var media = window.TalentLoopMedia;
  if (!media) {
    return; // recorder-kit.js did not load: the page stays the typed form
  }

  /* --- One recorder panel (voice or video) ---------------------------------------------------------------- */

  function Recorder(panel, page) {
    this.panel = panel;
    this.page = page;
    this.modality = panel.getAttribute("data-modality");
    this.api = panel.getAttribute("data-api-url");
    this.statusUrl = page.root.getAttribute("data-status-url");
    this.position = parseInt(panel.getAttribute("data-position"), 10);
    this.allowRerecord = panel.getAttribute("data-allow-rerecord") === "1";
    this.chunkBytes = parseInt(panel.getAttribute("data-chunk-bytes"), 10) || 1048576;
    this.maxBytes = parseInt(panel.getAttribute("data-max-bytes"), 10) || 0;
    this.maxSeconds = parseInt(panel.getAttribute("data-max-seconds"), 10) || 0;
    this.storageKey = panel.getAttribute("data-storage-key");
    this.el = {
      status: panel.querySelector("[data-rec-status]"),
      levelWrap: panel.querySelector("[data-rec-level-wrap]"),
      level: panel.querySelector("[data-rec-level]"),
      previewWrap: panel.querySelector("[data-rec-preview-wrap]"),
      preview: panel.querySelector("[data-rec-preview]"),
      timer: panel.querySelector("[data-rec-timer]"),
      elapsed: panel.querySelector("[data-rec-elapsed]"),
      left: panel.querySelector("[data-rec-left]"),
      playbackWrap: panel.querySelector("[data-rec-playback-wrap]"),
      playback: panel.querySelector("[data-rec-playback]"),
      progress: panel.querySelector("[data-rec-progress]"),
    };
    this.buttons = {};
    var self = this;
    panel.querySelectorAll("[data-rec-action]").forEach(function (button) {
      self.buttons[button.getAttribute("data-rec-action")] = button;
      button.addEventListener("click", function () {
        self.act(button.getAttribute("data-rec-action"));
      });
    });
    this.state = "idle";
    this.stream = null;
    this.stopMeter = null;
    this.recorder = null;
    this.mimeType = "";
    this.blob = null; // the stopped recording
    this.blobUrl = "";
    this.upload = null; // a TalentLoopMedia.Upload holding the recording's data
    this.generation = 0; // a new recording makes every pending callback of the old one a no-op
    this.sendDelay = media.RETRY_FIRST_MS;
    this.tickTimer = null;
    this.startedAt = 0;
    this.stopReason = "";
    this.refusal = ""; // the server's reason for refusing the current recording, if it did
  }

  Recorder.prototype.msg = function (name, values) {
    var text = this.panel.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.replace("{" + key + "}", values[key]);
    });
    return text;
  };

  Recorder.prototype.say = function (text, isError) {
    this.el.status.textContent = text;
    this.el.status.classList.toggle("ai-rec-error", Boolean(isError));
  };

  Recorder.prototype.show = function (names, focus) {
    var self = this;
    Object.keys(this.buttons).forEach(function (name) {
      self.buttons[name].hidden = names.indexOf(name) < 0;
      self.buttons[name].disabled = false;
    });
    if (focus && this.buttons[focus] && this.page.mode === this.modality) {
      this.buttons[focus].focus();
    }
  };

  Recorder.prototype.setState = function (state) {
    this.state = state;
    this.panel.setAttribute("data-state", state);
  };

  Recorder.prototype.act = function (action) {
    if (action === "check") {
      this.check();
    } else if (action === "start") {
      this.start();
    } else if (action === "stop") {
      this.stop("");
    } else if (action === "submit") {
      this.submit();
    } else if (action === "again") {
      this.discard();
      this.check();
    } else if (action === "type") {
      this.page.setMode("text", true);
    } else if (action === "next") {
      this.poll(true);
    }
  };

  /* Device check: ask for the devices, show the level meter (and the camera), then offer to record. */
  Recorder.prototype.check = function () {
    var self = this;
    if (!media.canRecord()) {
      this.fail("unsupported");
      return;
    }
    this.setState("checking");
    this.say(this.msg("checking"), false);
    this.show([]);
    var constraints = this.modality === "video"
      ? { audio: true, video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } } }
      : { audio: true, video: false };
    navigator.mediaDevices.getUserMedia(constraints).then(function (stream) {
      if (self.state !== "checking") {
        stream.getTracks().forEach(function (track) {
          track.stop();
        });
        return;
      }
      self.stream = stream;
      self.meter(stream);
      if (self.el.preview) {
        self.el.preview.srcObject = stream;
        self.el.previewWrap.hidden = false;
        var playing = self.el.preview.play();
        if (playing && playing.catch) {
          playing.catch(function () { /* muted autoplay: shown anyway once frames arrive */ });
        }
      }
      self.setState("ready");
      self.say(self.msg("ready"), false);
      self.show(["start", "type"], "start");
    }).catch(function (error) {
      self.fail(media.deviceError(error));
    });
  };

  Recorder.prototype.fail = function (message) {
    this.release();
    this.setState("idle");
    this.say(this.msg(message), true);
    this.show(media.canRecord() ? ["check", "type"] : ["type"], media.canRecord() ? "check" : "type");
  };

  Recorder.prototype.meter = function (stream) {
    this.stopMeter = media.levelMeter(stream, this.el.level);
    this.el.levelWrap.hidden = !this.stopMeter;
  };

  /* Turn the devices off (the camera light goes out) and stop the meter. */
  Recorder.prototype.release = function () {
    if (this.stopMeter) {
      this.stopMeter();
      this.stopMeter = null;
    }
    if (this.stream) {
      this.stream.getTracks().forEach(function (track) {
        track.stop();
      });
      this.stream = null;
    }
    if (this.el.preview) {
      this.el.preview.srcObject = null;
      this.el.previewWrap.hidden = true;
    }
    this.el.levelWrap.hidden = true;
  };

  Recorder.prototype.secondsLeft = function () {
    var left = this.page.secondsLeft();
    if (this.maxSeconds > 0 && this.startedAt) {
      left = Math.min(left, this.maxSeconds - (performance.now() - this.startedAt) / 1000);
    }
    return left;
  };

  Recorder.prototype.start = function () {
    var self = this;
    if (!this.stream) {
      this.check();
      return;
    }
    if (this.page.secondsLeft() <= 0) {
      this.say(this.msg("no-time"), true);
      this.show(["type"], "type");
      return;
    }
    this.discard();
    this.mimeType = media.pickMimeType(this.modality);
    var options = {};
    if (this.mimeType) {
      options.mimeType = this.mimeType;
    }
    if (this.modality === "video") {
      options.videoBitsPerSecond = 1000000;
    }
    options.audioBitsPerSecond = 64000;
    try {
      this.recorder = new window.MediaRecorder(this.stream, options);
    } catch (e) {
      this.fail("unsupported");
      return;
    }
    var generation = (this.generation += 1);
    this.stopReason = "";
    this.refusal = "";
    this.mimeType = this.recorder.mimeType || this.mimeType;
    this.upload = this.newUpload(null);
    this.recorder.ondataavailable = function (event) {
      if (generation !== self.generation || !event.data || !event.data.size) {
        return;
      }
      self.upload.add(event.data);
      // Stop a little short of the limit: the last second's data still has to fit.
      if (self.maxBytes && self.upload.size >= self.maxBytes * 0.95 && self.state === "recording") {
        self.stop("sizestop");
      }
    };
    this.recorder.onstop = function () {
      if (generation === self.generation) {
        self.stopped();
      }
    };
    this.recorder.onerror = function () {
      if (generation === self.generation && self.state === "recording") {
        self.stop("");
      }
    };
    this.recorder.start(TIMESLICE_MS);
    this.startedAt = performance.now();
    this.setState("recording");
    this.page.busy = true;
    this.say(this.msg("recording"), false);
    this.show(["stop"], "stop");
    this.el.timer.hidden = false;
    this.tick();
    this.tickTimer = window.setInterval(function () {
      self.tick();
    }, 250);
    this.upload.pump(); // open it now: a refusal (e.g. no consent) is said while the candidate is still speaking
  };

  Recorder.prototype.newUpload = function (id) {
    var self = this;
    var generation = this.generation;
    var mine = function () {
      return generation === self.generation;
    };
    return new media.Upload({
      base: this.api + "uploads/",
      start: { question: this.position, modality: this.modality, content_type: this.mimeType || "" },
      chunkBytes: this.chunkBytes,
      id: id,
      opened: function (uploadId, data) {
        if (mine() && data.max_bytes) {
          self.maxBytes = data.max_bytes;
        }
        if (mine() && self.blob) {
          self.keep();
        }
      },
      progress: function () {
        if (mine()) {
          self.progress();
        }
      },
      retrying: function (delay) {
        if (mine() && self.state !== "recording") {
          self.say(self.msg("retrying", { seconds: String(Math.round(delay / 1000)) }), true);
        }
      },
      refused: function (result) {
        if (mine()) {
          self.refused(result);
        }
      },
    });
  };

  Recorder.prototype.tick = function () {
    var elapsed = (performance.now() - this.startedAt) / 1000;
    var left = this.secondsLeft();
    this.el.elapsed.textContent = clock(elapsed);
    this.el.left.textContent = this.msg("left", { time: clock(Math.ceil(left)) });
    if (left <= 0 && this.state === "recording") {
      this.stop("autostop");
    }
  };

  Recorder.prototype.stop = function (reason) {
    if (this.state !== "recording" || !this.recorder) {
      return;
    }
    this.stopReason = reason;
    this.setState("stopping");
    this.show([]);
    window.clearInterval(this.tickTimer);
    this.tickTimer = null;
    try {
      this.recorder.stop(); // the last data arrives before onstop
    } catch (e) {
      this.stopped();
    }
  };

  Recorder.prototype.stopped = function () {
    this.release();
    this.el.timer.hidden = true;
    this.upload.close();
    if (!this.upload.size) {
      this.setState("idle");
      this.page.busy = false;
      this.say(this.msg("empty"), true);
      this.show(["check", "type"], "check");
      return;
    }
    this.blob = this.upload.whole(this.mimeType || this.upload.parts[0].type || "");
    this.showRecording();
    if (this.refusal) {
      this.say(this.refusal, true); // the server's reason for stopping says more than "stopped"
    } else {
      this.say(this.msg(this.stopReason || "stopped"), Boolean(this.stopReason));
    }
    this.keep();
  };

  Recorder.prototype.showRecording = function () {
    if (this.blobUrl) {
      URL.revokeObjectURL(this.blobUrl);
    }
    this.blobUrl = URL.createObjectURL(this.blob);
    this.el.playback.src = this.blobUrl;
    this.el.playbackWrap.hidden = false;
    this.setState("stopped");
    this.page.busy = true;
    this.show(this.allowRerecord ? ["submit", "again", "type"] : ["submit", "type"], "submit");
  };

  /* Forget the current recording (a new one replaces it). */
  Recorder.prototype.discard = function () {
    this.generation += 1;
    if (this.upload) {
      this.upload.cancel();
    }
    this.sendDelay = media.RETRY_FIRST_MS;
    this.blob = null;
    this.upload = null;
    if (this.blobUrl) {
      URL.revokeObjectURL(this.blobUrl);
      this.blobUrl = "";
    }
    this.el.playback.removeAttribute("src");
    this.el.playbackWrap.hidden = true;
    this.el.progress.hidden = true;
    this.page.busy = false;
    media.store.del(this.storageKey);
  };

  /* Keep the stopped recording on this device until the answer is accepted (a reload or a crash loses nothing). */
  Recorder.prototype.keep = function () {
    if (!this.blob) {
      return;
    }
    media.store.put(this.storageKey, {
      blob: this.blob, type: this.mimeType, uploadId: this.upload ? this.upload.id : null, savedMs: Date.now(),
    });
  };

  Recorder.prototype.restore = function () {
    var self = this;
    return media.store.get(this.storageKey).then(function (saved) {
      if (!saved || !saved.blob || !saved.blob.size || self.state !== "idle") {
        return false;
      }
      self.generation += 1;
      self.blob = saved.blob;
      self.mimeType = saved.type || saved.blob.type || "";
      // The server may hold part (or all) of it: the upload asks before sending anything, then goes on.
      self.upload = self.newUpload(saved.uploadId || null);
      self.upload.add(saved.blob);
      self.upload.close();
      self.showRecording();
      self.say(self.msg("restored"), false);
      return true;
    });
  };

  /* The server refused the recording (not agreed to, answered already, too big ...): say why, keep the choice. */
  Recorder.prototype.refused = function (result) {
    var message = media.detailOf(result, this.msg("error"));
    this.refusal = message;
    if (this.state === "recording") {
      this.stop("");
    }
    this.say(message, true);
    if (result.code === 409) {
      // Answered already or the interview closed: the page itself says what happens next.
      this.page.busy = false;
      window.setTimeout(function () {
        window.location.reload();
      }, 2500);
    }
  };

  Recorder.prototype.progress = function () {
    var upload = this.upload;
    if (this.state === "sending" && upload && upload.size) {
      var percent = Math.floor((100 * Math.min(upload.sent, upload.size)) / upload.size);
      this.el.progress.hidden = false;
      this.el.progress.value = percent;
      this.say(this.msg("uploading") + " " + percent + "%", false);
    }
  };

  /* --- The answer --------------------------------------------------------------------------------------------- */

  Recorder.prototype.submit = function () {
    var self = this;
    if (!this.blob || this.state === "sending") {
      return;
    }
    this.setState("sending");
    this.show([]);
    if (!this.upload || this.upload.failed) {
      // Refused before: try once more with a fresh upload of the whole recording.
      this.generation += 1;
      this.upload = this.newUpload(null);
      this.upload.add(this.blob);
      this.upload.close();
      this.refusal = "";
    }
    this.progress();
    this.upload.done().then(function (ok) {
      if (!ok || self.state !== "sending") {
        self.afterError();
        return;
      }
      self.send();
    });
  };

  Recorder.prototype.send = function () {
    var self = this;
    this.say(this.msg("sending"), false);
    var payload = { question: this.position, upload: this.upload.id, modality: this.modality };
    media.postJson(this.api + "answers/", payload).then(function (result) {
      if (self.state !== "sending") {
        return;
      }
      if (result.code >= 200 && result.code < 300) {
        self.el.progress.hidden = true;
        self.outcome(result.data.status, result.data.status_message);
      } else if (result.code >= 500) {
        self.sendLater();
      } else {
        if (self.upload) {
          self.upload.failed = true; // sending again starts a fresh upload
        }
        self.setState("stopped");
        self.refused(result);
        self.afterError();
      }
    }).catch(function () {
      self.sendLater();
    });
  };

  Recorder.prototype.sendLater = function () {
    var self = this;
    var delay = this.sendDelay;
    this.sendDelay = Math.min(media.RETRY_MAX_MS, this.sendDelay * 2);
    this.say(this.msg("retrying", { seconds: String(Math.round(delay / 1000)) }), true);
    window.setTimeout(function () {
      if (self.state === "sending") {
        self.send();
      }
    }, delay);
  };

  Recorder.prototype.afterError = function () {
    if (this.state === "sending") {
      this.setState("stopped");
    }
    if (this.blob) {
      this.el.playbackWrap.hidden = false;
      this.show(this.allowRerecord ? ["submit", "again", "type"] : ["submit", "type"], "submit");
    } else {
      this.show(["check", "type"], "check");
    }
  };

  /* What became of the answer: move on, wait for the analysis, or record again / type. */
  Recorder.prototype.outcome = function (status, message) {
    var self = this;
    if (DONE[status]) {
      this.setState("done");
      this.page.busy = false;
      this.say(this.msg("received"), false);
      media.store.del(this.storageKey);
      this.poll(true); // where to go next: the server knows which question is open now
    } else if (RETRY[status]) {
      this.setState("problem");
      this.page.busy = false;
      media.store.del(this.storageKey);
      this.blob = null;
      this.upload = null;
      this.el.playbackWrap.hidden = true;
      this.page.problem(message);
      this.say(message || this.msg("error"), true);
      this.show(["again", "type"], "again");
    } else {
      this.setState("processing");
      this.page.busy = false; // the recording is on the server now: leaving the page loses nothing
      media.store.del(this.storageKey);
      this.el.playbackWrap.hidden = true;
      this.say(this.msg("processing"), false);
      // The analysis may take a while on a busy server: the candidate need not wait for it.
      this.show(["next"]);
      window.setTimeout(function () {
        self.poll(false);
      }, POLL_FIRST_MS);
    }
  };

  /* The question's status, read without touching any clock; `go` only asks where to go next. */
  Recorder.prototype.poll = function (go) {
    var self = this;
    var delay = this.pollDelay || POLL_FIRST_MS;
    media.request("GET", this.statusUrl).then(function (result) {
      if (result.code !== 200) {
        throw new Error("status " + result.code);
      }
      var data = result.data;
      if (go || DONE[data.answer_status]) {
        self.setState("done");
        window.location.href = data.next_url;
      } else if (RETRY[data.answer_status]) {
        self.outcome(data.answer_status, data.status_message);
      } else if (data.answer_status === "processing") {
        self.pollDelay = Math.min(POLL_MAX_MS, delay * 1.5);
        window.setTimeout(function () {
          self.poll(false);
        }, self.pollDelay);
      } else {
        window.location.reload();
      }
    }).catch(function () {
      self.pollDelay = Math.min(POLL_MAX_MS, delay * 2);
      window.setTimeout(function () {
        self.poll(go);
      }, self.pollDelay);
    });
  };

  media.Recorder = Recorder;
  media.RETRY_STATUSES = RETRY;
})();
