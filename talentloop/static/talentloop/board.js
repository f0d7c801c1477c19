/* The kanban board: drag a card to another column, or use the card's "Move to…" form. Both POST to the
   transition endpoint asking for JSON; the card moves only once the server said yes. Without JavaScript
   the "Move to…" form posts normally and the page comes back with a message. */
(function () {
  "use strict";

  var board = document.querySelector('[data-testid="board"]');
  if (!board) {
    return;
  }
  var targets = JSON.parse(document.getElementById("board-stage-targets").textContent);
  var labels = JSON.parse(document.getElementById("board-stage-labels").textContent);
  var statusBox = document.querySelector('[data-testid="board-status"]');
  var dragged = null;

  function say(text, isError) {
    statusBox.textContent = text;
    statusBox.className = "board-status " + (isError ? "board-status-error" : "board-status-ok");
  }

  function columnOf(element) {
    return element.closest('[data-testid="column"]');
  }

  function columnFor(stage) {
    return board.querySelector('[data-testid="column"][data-stage="' + stage + '"]');
  }

  function canMove(card, stage) {
    var from = columnOf(card).dataset.stage;
    return from !== stage && (targets[from] || []).indexOf(stage) !== -1;
  }

  function refresh(column, delta) {
    var count = column.querySelector('[data-testid="column-count"]');
    count.textContent = String(parseInt(count.textContent, 10) + delta);
    var empty = column.querySelector(".board-empty");
    if (empty) {
      empty.hidden = column.querySelectorAll('[data-testid="card"]').length > 0;
    }
  }

  function rebuildMoveForm(card, stage) {
    var form = card.querySelector("form.board-move");
    var allowed = targets[stage] || [];
    if (!allowed.length) {
      if (form) {
        form.remove();
      }
      card.removeAttribute("draggable");
      return;
    }
    var select = form.querySelector("select");
    while (select.options.length > 1) {
      select.remove(1);
    }
    allowed.forEach(function (value) {
      select.add(new Option(labels[value], value));
    });
    select.value = "";
  }

  function move(card, stage) {
    var form = card.querySelector("form.board-move");
    var from = columnOf(card);
    if (!form || from.dataset.stage === stage) {
      return;
    }
    var data = new FormData(form);
    data.set("to", stage);
    card.classList.add("board-card-busy");
    card.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok && body.ok, body: body };
        });
      })
      .then(function (result) {
        // On a refusal the server names the stage the application is really in (someone else may have
        // moved it meanwhile): the card goes there, so the board matches the database again.
        var to = columnFor(result.body.stage || "");
        if (to && to !== from) {
          to.querySelector(".board-cards").prepend(card);
          refresh(from, -1);
          refresh(to, 1);
          rebuildMoveForm(card, to.dataset.stage);
        }
        say(result.body.message || board.dataset.errorMessage, !result.ok);
      })
      .catch(function () {
        say(board.dataset.errorMessage, true);
      })
      .then(function () {
        card.classList.remove("board-card-busy");
        card.removeAttribute("aria-busy");
      });
  }

  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest('[data-testid="card"]');
    if (!card || !card.draggable) {
      return;
    }
    dragged = card;
    card.classList.add("board-card-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.application);
  });

  board.addEventListener("dragend", function () {
    if (dragged) {
      dragged.classList.remove("board-card-dragging");
    }
    dragged = null;
    board.querySelectorAll(".board-column-over").forEach(function (column) {
      column.classList.remove("board-column-over");
    });
  });

  board.addEventListener("dragover", function (event) {
    var column = columnOf(event.target);
    if (dragged && column && canMove(dragged, column.dataset.stage)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      column.classList.add("board-column-over");
    }
  });

  board.addEventListener("dragleave", function (event) {
    var column = columnOf(event.target);
    if (column && !column.contains(event.relatedTarget)) {
      column.classList.remove("board-column-over");
    }
  });

  board.addEventListener("drop", function (event) {
    var column = columnOf(event.target);
    if (!dragged || !column) {
      return;
    }
    event.preventDefault();
    column.classList.remove("board-column-over");
    if (canMove(dragged, column.dataset.stage)) {
      move(dragged, column.dataset.stage);
    }
  });

  board.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("board-move")) {
      return;
    }
    event.preventDefault();
    var stage = form.querySelector("select").value;
    if (!stage) {
      say(board.dataset.chooseMessage, true);
      return;
    }
    move(form.closest('[data-testid="card"]'), stage);
  });
})();
