/*
 * Staff pages of written tests: the test builder, the "copy link" buttons and the confirmation before a
 * test is deleted.
 *
 * The builder works without this script: the server renders blank question rows and a "Remove" checkbox per
 * row (the formset's DELETE field), and every option slot. The script adds rows by cloning the <template>
 * row, turns the checkbox into a button, hides the options of short-answer questions, and keeps a single
 * correct option for one-answer questions. A removed row is hidden with its DELETE box ticked, so the
 * formset's row numbers never need renumbering; the visible numbers are renumbered.
 */
(function () {
  "use strict";

  function deleteBox(row) {
    return row.querySelector('input[type="checkbox"][name$="-DELETE"]');
  }

  function initBuilder(builder) {
    var prefix = builder.getAttribute("data-prefix");
    var shortKind = builder.getAttribute("data-kind-short");
    var singleKind = builder.getAttribute("data-kind-single");
    var totalForms = builder.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var rows = builder.querySelector("[data-question-rows]");
    var template = builder.querySelector("template[data-question-template]");
    var addButton = builder.querySelector("[data-add-question]");
    if (!totalForms || !rows || !template || !addButton) {
      return;
    }

    function visibleRows() {
      return Array.prototype.filter.call(rows.querySelectorAll("[data-question-row]"), function (row) {
        return !row.hidden;
      });
    }

    function renumber() {
      visibleRows().forEach(function (row, index) {
        var number = row.querySelector("[data-question-number]");
        if (number) {
          number.textContent = String(index + 1);
        }
      });
    }

    function kindOf(row) {
      var select = row.querySelector('select[name$="-kind"]');
      return select ? select.value : "";
    }

    function showOptions(row) {
      var options = row.querySelector("[data-question-options]");
      if (options) {
        options.hidden = kindOf(row) === shortKind;
      }
    }

    function keepOneCorrect(row, changed) {
      if (kindOf(row) !== singleKind) {
        return;
      }
      row.querySelectorAll('input[type="checkbox"][name*="-correct_"]').forEach(function (box) {
        if (box !== changed && changed.checked) {
          box.checked = false;
        }
      });
    }

    function enhanceRow(row) {
      var box = deleteBox(row);
      var wrapper = row.querySelector("[data-question-delete]");
      var button = row.querySelector("[data-question-remove]");
      if (box && wrapper && button) {
        wrapper.hidden = true;
        button.hidden = false;
        if (box.checked) {
          row.hidden = true;
        }
        button.addEventListener("click", function () {
          box.checked = true;
          row.hidden = true;
          row.setAttribute("data-testid", "question-row-removed");
          renumber();
          addButton.focus();
        });
      }
      var select = row.querySelector('select[name$="-kind"]');
      if (select) {
        select.addEventListener("change", function () {
          showOptions(row);
        });
      }
      row.addEventListener("change", function (event) {
        var target = event.target;
        if (target && target.type === "checkbox" && target.name.indexOf("-correct_") !== -1) {
          keepOneCorrect(row, target);
        }
      });
      showOptions(row);
    }

    function addRow() {
      var index = parseInt(totalForms.value, 10) || 0;
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.querySelector("[data-question-row]");
      if (!row) {
        return;
      }
      rows.appendChild(row);
      totalForms.value = String(index + 1);
      enhanceRow(row);
      renumber();
      var text = row.querySelector("textarea");
      if (text) {
        text.focus();
      }
    }

    rows.querySelectorAll("[data-question-row]").forEach(enhanceRow);
    renumber();
    addButton.hidden = false;
    addButton.addEventListener("click", addRow);
  }

  function copy(input, button) {
    var done = function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied") || label;
      window.setTimeout(function () {
        button.textContent = label;
      }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {
        input.select();
      });
      return;
    }
    input.select();
    try {
      if (document.execCommand("copy")) {
        done();
      }
    } catch (error) {
      // Nothing more to do: the link stays selected for the person to copy.
    }
  }

  function initCopyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(input, button);
      });
      input.addEventListener("focus", function () {
        input.select();
      });
    });
  }

  function initConfirmations() {
    document.querySelectorAll("form[data-confirm-message]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm-message"))) {
          event.preventDefault();
        }
      });
    });
  }

  function init() {
    document.querySelectorAll("[data-test-builder]").forEach(initBuilder);
    initCopyButtons();
    initConfirmations();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
