/*
 * The plumbing under recorder.js (no framework): what the browser can record and why a device failed, a
 * microphone level meter, JSON requests, a tiny IndexedDB store, and a resumable upload.
 *
 * A resumable upload (the candidate API's `POST .../uploads/`, `PUT .../uploads/{id}/` with `Upload-Offset`,
 * `GET .../uploads/{id}/`) takes data as it is recorded and sends it in order, one chunk at a time, while more
 * arrives. After a network or server error it waits (1 s, 2 s, 4 s ... up to 15 s), asks the server how much it
 * holds and carries on from there, so a dropped connection loses nothing; the data stays in memory until the
 * caller lets it go. A refusal (not agreed to, answered already, too large ...) stops it and is reported.
 */
(function () {
  "use strict";

  var RETRY_FIRST_MS = 1000;
  var RETRY_MAX_MS = 15000;
  var MIME_TYPES = {
    audio: ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/ogg", "audio/mp4"],
    video: ["video/webm;codecs=vp8,opus", "video/webm;codecs=vp9,opus", "video/webm", "video/mp4;codecs=avc1,mp4a",
      "video/mp4"],
  };

  /* --- Devices ---------------------------------------------------------------------------------------------- */

  function canRecord() {
    return Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.MediaRecorder);
  }

  /* The first format of the list the browser records ("" lets the browser choose). */
  function pickMimeType(modality) {
    if (!window.MediaRecorder || typeof window.MediaRecorder.isTypeSupported !== "function") {
      return "";
    }
    var list = MIME_TYPES[modality] || [];
    for (var i = 0; i < list.length; i += 1) {
      if (window.MediaRecorder.isTypeSupported(list[i])) {
        return list[i];
      }
    }
    return "";
  }

  /* Why getUserMedia failed, as the name of the message to show: denied, nodevice, busy or failed. */
  function deviceError(error) {
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
      return "denied";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
      return "nodevice";
    }
    if (name === "NotReadableError" || name === "AbortError" || name === "TrackStartError") {
      return "busy";
    }
    return "failed";
  }

  /* Show the stream's loudness in a role="meter" element (its first child is the bar); returns a stop function. */
  function levelMeter(stream, meter) {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context || !stream.getAudioTracks().length) {
      return null;
    }
    var context;
    try {
      context = new Context();
      var analyser = context.createAnalyser();
      analyser.fftSize = 1024;
      context.createMediaStreamSource(stream).connect(analyser);
      if (context.state === "suspended" && context.resume) {
        context.resume();
      }
    } catch (e) {
      return null;
    }
    var samples = new Uint8Array(analyser.fftSize);
    var bar = meter.firstElementChild;
    var shown = -1;
    var frame = 0;
    var draw = function () {
      analyser.getByteTimeDomainData(samples);
      var sum = 0;
      for (var i = 0; i < samples.length; i += 1) {
        var v = (samples[i] - 128) / 128;
        sum += v * v;
      }
      var rms = Math.sqrt(sum / samples.length);
      // -60 dBFS (silence) .. 0 dBFS (loudest) as 0..100.
      var level = rms > 0 ? Math.max(0, Math.min(100, Math.round((20 * Math.log10(rms) + 60) * (100 / 60)))) : 0;
      if (level !== shown) {
        shown = level;
        bar.style.width = level + "%";
        meter.setAttribute("aria-valuenow", String(level));
      }
      frame = window.requestAnimationFrame(draw);
    };
    draw();
    return function () {
      window.cancelAnimationFrame(frame);
      try {
        context.close();
      } catch (e) { /* already closed */ }
    };
  }

  /* --- HTTP and storage ----------------------------------------------------------------------------------- */

  function request(method, url, body, headers) {
    var options = { method: method, credentials: "same-origin", headers: { Accept: "application/json" } };
    Object.keys(headers || {}).forEach(function (name) {
      options.headers[name] = headers[name];
    });
    if (body !== undefined) {
      options.body = body;
    }
    return fetch(url, options).then(function (response) {
      return response.text().then(function (text) {
        var data = {};
        try {
          data = text ? JSON.parse(text) : {};
        } catch (e) {
          data = {};
        }
        return { code: response.status, data: data || {} };
      });
    });
  }

  function postJson(url, payload) {
    return request("POST", url, JSON.stringify(payload), { "Content-Type": "application/json" });
  }

  function detailOf(result, fallback) {
    return result && result.data && typeof result.data.detail === "string" && result.data.detail
      ? result.data.detail
      : fallback;
  }

  /* Key → value in IndexedDB; every failure quietly gives null (the recording then lives in memory only). */
  var store = (function () {
    var opened = null;

    function open() {
      if (!opened) {
        opened = new Promise(function (resolve) {
          try {
            var req = window.indexedDB.open("talentloop-recordings", 1);
            req.onupgradeneeded = function () {
              req.result.createObjectStore("recordings");
            };
            req.onsuccess = function () {
              resolve(req.result);
            };
            req.onerror = function () {
              resolve(null);
            };
          } catch (e) {
            resolve(null);
          }
        });
      }
      return opened;
    }

    function run(mode, work) {
      return open().then(function (db) {
        if (!db) {
          return null;
        }
        return new Promise(function (resolve) {
          try {
            var tx = db.transaction("recordings", mode);
            var req = work(tx.objectStore("recordings"));
            tx.oncomplete = function () {
              resolve(req ? req.result : null);
            };
            tx.onerror = tx.onabort = function () {
              resolve(null);
            };
          } catch (e) {
            resolve(null);
          }
        });
      });
    }

    return {
      get: function (key) {
        return run("readonly", function (s) {
          return s.get(key);
        });
      },
      put: function (key, value) {
        return run("readwrite", function (s) {
          return s.put(value, key);
        });
      },
      del: function (key) {
        return run("readwrite", function (s) {
          return s.delete(key);
        });
      },
    };
  })();

  /* --- The resumable upload ------------------------------------------------------------------------------- */

  /*
   * options: base (".../uploads/"), start ({question, modality, content_type}), chunkBytes, id (an upload to
   * resume), and callbacks: opened(id), progress(sent, size), retrying(delayMs), refused(result).
   */
  function Upload(options) {
    this.base = options.base;
    this.start = options.start;
    this.chunkBytes = options.chunkBytes || 1048576;
    this.on = options;
    this.parts = [];
    this.size = 0;
    this.id = options.id || null;
    this.sent = 0;
    this.known = !this.id; // after an error (or when resuming) the server may hold more than we were told
    this.closed = false; // all the data is in
    this.failed = false; // refused by the server
    this.cancelled = false;
    this.inflight = false;
    this.retryTimer = null;
    this.retryDelay = RETRY_FIRST_MS;
    this.waiters = [];
  }

  Upload.prototype.add = function (blob) {
    if (blob && blob.size) {
      this.parts.push(blob);
      this.size += blob.size;
    }
    this.pump();
  };

  Upload.prototype.close = function () {
    this.closed = true;
    this.pump();
  };

  Upload.prototype.whole = function (type) {
    return new Blob(this.parts, type ? { type: type } : undefined);
  };

  /* Resolves true once everything is on the server, false if the server refused it. */
  Upload.prototype.done = function () {
    var self = this;
    if (this.failed) {
      return Promise.resolve(false);
    }
    return new Promise(function (resolve) {
      self.waiters.push(resolve);
      self.pump();
    });
  };

  Upload.prototype.cancel = function () {
    this.cancelled = true;
    window.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.settle(false);
  };

  Upload.prototype.settle = function (ok) {
    var waiters = this.waiters;
    this.waiters = [];
    waiters.forEach(function (resolve) {
      resolve(ok);
    });
  };

  Upload.prototype.url = function () {
    return this.base + (this.id ? this.id + "/" : "");
  };

  /* The next step, whatever it is: open, ask where to resume, send a chunk, or report completion. */
  Upload.prototype.pump = function () {
    if (this.cancelled || this.failed || this.inflight || this.retryTimer) {
      return;
    }
    if (!this.id) {
      this.send("POST", this.base, JSON.stringify(this.start), { "Content-Type": "application/json" }, "open");
    } else if (!this.known) {
      this.send("GET", this.url(), undefined, {}, "status");
    } else if (this.sent < this.size) {
      var chunk = this.whole().slice(this.sent, Math.min(this.size, this.sent + this.chunkBytes));
      this.send("PUT", this.url(), chunk, {
        "Content-Type": "application/octet-stream", "Upload-Offset": String(this.sent),
      }, "chunk");
    } else if (this.closed) {
      this.settle(true);
    }
  };

  Upload.prototype.send = function (method, url, body, headers, kind) {
    var self = this;
    this.inflight = true;
    request(method, url, body, headers).then(function (result) {
      self.inflight = false;
      if (!self.cancelled) {
        self.answer(kind, result);
      }
    }).catch(function () {
      self.inflight = false;
      if (!self.cancelled) {
        self.retry();
      }
    });
  };

  Upload.prototype.answer = function (kind, result) {
    var data = result.data;
    var received = typeof data.received === "number" ? data.received : null;
    if (kind === "open" && (result.code === 201 || result.code === 200)) {
      this.id = data.id;
      this.sent = received || 0;
      this.known = true;
      if (data.chunk_bytes) {
        this.chunkBytes = data.chunk_bytes;
      }
      if (this.on.opened) {
        this.on.opened(this.id, data);
      }
    } else if (kind === "status" && result.code === 200 && received !== null) {
      this.sent = received;
      this.known = true;
    } else if (kind === "status" && (result.code === 404 || result.code === 400)) {
      // Gone (never known here, or expired): start again and send everything.
      this.id = null;
      this.sent = 0;
      this.known = true;
    } else if (kind === "chunk" && (result.code === 200 || result.code === 409) && received !== null) {
      // 409 with `received`: the server holds another amount than we thought, and says where to go on.
      this.sent = received;
    } else if (result.code >= 500 || result.code === 0) {
      this.retry();
      return;
    } else {
      this.failed = true;
      this.settle(false);
      if (this.on.refused) {
        this.on.refused(result);
      }
      return;
    }
    this.retryDelay = RETRY_FIRST_MS;
    if (this.on.progress) {
      this.on.progress(this.sent, this.size);
    }
    this.pump();
  };

  Upload.prototype.retry = function () {
    var self = this;
    var delay = this.retryDelay;
    this.retryDelay = Math.min(RETRY_MAX_MS, this.retryDelay * 2);
    if (this.id) {
      this.known = false;
    }
    if (this.on.retrying) {
      this.on.retrying(delay);
    }
    this.retryTimer = window.setTimeout(function () {
      self.retryTimer = null;
      self.pump();
    }, delay);
  };

  window.TalentLoopMedia = {
    canRecord: canRecord, pickMimeType: pickMimeType, deviceError: deviceError, levelMeter: levelMeter,
    request: request, postJson: postJson, detailOf: detailOf, store: store, Upload: Upload,
    RETRY_FIRST_MS: RETRY_FIRST_MS, RETRY_MAX_MS: RETRY_MAX_MS,
  };
})();
