/* The ranking page's bulk upload: files dropped on the area join the file input, the chosen files are
   listed, and a batch larger than the server accepts is stopped before it is sent. The form itself is a
   plain multipart post, so it also works without JavaScript (choose the files with the button). */
(function () {
  "use strict";

  var form = document.querySelector('[data-testid="bulk-upload"]');
  if (!form) {
    return;
  }
  var zone = form.querySelector('[data-testid="drop-zone"]');
  var input = form.querySelector('input[type="file"]');
  var list = form.querySelector(".drop-zone-files");
  var button = form.querySelector('[data-testid="upload-submit"]');
  var maxFiles = parseInt(form.dataset.maxFiles, 10) || 100;
  var maxBytes = (parseInt(form.dataset.maxMb, 10) || 10) * 1024 * 1024;

  function text(template, count) {
    return template.replace("{count}", String(count));
  }

  function showChosen() {
    list.textContent = "";
    var files = Array.prototype.slice.call(input.files || []);
    files.slice(0, 20).forEach(function (file) {
      var item = document.createElement("li");
      var size = file.size < 1024 ? file.size + " B" : Math.round(file.size / 1024) + " KB";
      item.textContent = file.name + " (" + size + ")";
      if (file.size > maxBytes) {
        item.className = "drop-zone-too-big";
      }
      list.appendChild(item);
    });
    if (files.length > 20) {
      var more = document.createElement("li");
      more.textContent = text(form.dataset.moreMessage, files.length - 20);
      list.appendChild(more);
    }
    var summary = document.createElement("li");
    summary.className = "drop-zone-count";
    summary.textContent = text(form.dataset.chosenMessage, files.length);
    list.insertBefore(summary, list.firstChild);
  }

  function addFiles(dropped) {
    var transfer;
    try {
      transfer = new DataTransfer();
    } catch (error) {
      list.textContent = form.dataset.noDropMessage;
      return;
    }
    Array.prototype.forEach.call(input.files || [], function (file) {
      transfer.items.add(file);
    });
    Array.prototype.forEach.call(dropped, function (file) {
      transfer.items.add(file);
    });
    input.files = transfer.files;
    showChosen();
  }

  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("drop-zone-over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.remove("drop-zone-over");
    });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) {
      addFiles(event.dataTransfer.files);
    }
  });
  input.addEventListener("change", showChosen);

  form.addEventListener("submit", function (event) {
    var count = (input.files || []).length;
    if (count > maxFiles) {
      event.preventDefault();
      list.textContent = text(form.dataset.tooManyMessage, maxFiles);
      return;
    }
    if (count) {
      button.disabled = true;
      button.textContent = text(form.dataset.uploadingMessage, count);
    }
  });
})();
