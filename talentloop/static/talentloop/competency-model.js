/*
 * Competency-model editor on the job form.
 *
 * The page works without this script: the server renders three blank rows and a "Remove" checkbox per
 * row (Django's formset DELETE field). The script adds rows by cloning the <template> row, turns the
 * checkbox into a button, and keeps the total weight up to date. A removed row is hidden with its DELETE
 * box ticked rather than taken out of the page, so the formset's row numbers never need renumbering.
 */
(function () {
  "use strict";

  // The server accepts weights that add up to 100% within 0.1 percentage points.
  var TOLERANCE = 0.1;

  function parseWeight(input) {
    if (!input) {
      return 0;
    }
    var value = parseFloat(String(input.value).replace(",", "."));
    return isFinite(value) ? value : 0;
  }

  function formatPercent(value) {
    var rounded = Math.round(value * 10) / 10;
    return String(rounded);
  }

  function deleteBox(row) {
    return row.querySelector('input[type="checkbox"][name$="-DELETE"]');
  }

  function isRemoved(row) {
    var box = deleteBox(row);
    return Boolean(box && box.checked);
  }

  function initEditor(editor) {
    var prefix = editor.getAttribute("data-prefix");
    var totalForms = editor.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var rows = editor.querySelector("[data-model-rows]");
    var template = editor.querySelector("template[data-model-template]");
    var addButton = editor.querySelector("[data-testid='add-competency']");
    var total = editor.querySelector("[data-testid='weight-total']");
    var totalValue = total ? total.querySelector("[data-weight-total-value]") : null;
    if (!totalForms || !rows || !template || !addButton || !total || !totalValue) {
      return;
    }

    function updateTotal() {
      var sum = 0;
      rows.querySelectorAll("[data-model-row]").forEach(function (row) {
        if (!isRemoved(row)) {
          sum += parseWeight(row.querySelector('input[name$="-weight"]'));
        }
      });
      var ok = Math.abs(sum - 100) <= TOLERANCE + 1e-9;
      totalValue.textContent = formatPercent(sum);
      total.classList.toggle("weight-off", !ok);
      total.setAttribute("data-valid", ok ? "true" : "false");
    }

    function hideRemovedRow(row) {
      row.hidden = true;
      // Browser tests count the visible rows by this test id.
      row.setAttribute("data-testid", "model-row-removed");
    }

    function enhanceRow(row) {
      var box = deleteBox(row);
      var wrapper = row.querySelector("[data-model-delete]");
      var button = row.querySelector("[data-model-remove]");
      if (!box || !wrapper || !button) {
        return;
      }
      wrapper.hidden = true;
      button.hidden = false;
      if (box.checked) {
        hideRemovedRow(row);
      }
      button.addEventListener("click", function () {
        box.checked = true;
        hideRemovedRow(row);
        updateTotal();
        addButton.focus();
      });
    }

    function addRow() {
      var index = parseInt(totalForms.value, 10) || 0;
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.querySelector("[data-model-row]");
      if (!row) {
        return;
      }
      rows.appendChild(row);
      totalForms.value = String(index + 1);
      enhanceRow(row);
      updateTotal();
      var select = row.querySelector("select");
      if (select) {
        select.focus();
      }
    }

    rows.querySelectorAll("[data-model-row]").forEach(enhanceRow);
    addButton.hidden = false;
    addButton.addEventListener("click", addRow);
    editor.addEventListener("input", updateTotal);
    editor.addEventListener("change", updateTotal);
    updateTotal();
  }

  function init() {
    document.querySelectorAll("[data-competency-model]").forEach(initEditor);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
