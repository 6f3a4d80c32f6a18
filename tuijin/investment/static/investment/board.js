/* The investment board: drag a card onto another stage column to open the move form for that stage (the same
   form the "advance" button opens). No inline script: the CSP forbids it; htmx and Bootstrap do the rest. */
(function () {
  "use strict";

  var dragged = null;

  function openMove(url, stage) {
    var nextEl = document.getElementById("board-next");
    var next = nextEl ? nextEl.getAttribute("data-next") : "";
    var target = url + "?to=" + encodeURIComponent(stage) + "&next=" + encodeURIComponent(next || "");
    var dialog = document.getElementById("move-dialog");
    if (!window.htmx || !window.bootstrap || !dialog) {
      window.location.href = target;
      return;
    }
    window.htmx.ajax("GET", target, { target: "#move-dialog-content" });
    window.bootstrap.Modal.getOrCreateInstance(dialog).show();
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".tj-card[data-move-url]");
    if (!card) return;
    dragged = card;
    card.classList.add("opacity-50");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-project"));
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("opacity-50");
    dragged = null;
    document.querySelectorAll(".tj-column.border-primary").forEach(function (col) {
      col.classList.remove("border-primary");
    });
  });

  document.addEventListener("dragover", function (event) {
    var column = event.target.closest && event.target.closest(".tj-column");
    if (!column || !dragged || column.contains(dragged)) return;
    event.preventDefault();
    column.classList.add("border-primary");
  });

  document.addEventListener("dragleave", function (event) {
    var column = event.target.closest && event.target.closest(".tj-column");
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("border-primary");
  });

  document.addEventListener("drop", function (event) {
    var column = event.target.closest && event.target.closest(".tj-column");
    if (!column || !dragged || column.contains(dragged)) return;
    event.preventDefault();
    column.classList.remove("border-primary");
    openMove(dragged.getAttribute("data-move-url"), column.getAttribute("data-stage"));
  });
})();
