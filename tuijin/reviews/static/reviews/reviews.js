// 述职评议 pages: confirmations, printing the slips, and the ballot sheet's "answered" counter.
// A static file (no inline script) so that the Content-Security-Policy can forbid inline code.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    var submitter = event.submitter;
    if (submitter && submitter.getAttribute("data-confirm")) {
      message = submitter.getAttribute("data-confirm");
    }
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      window.print();
    }
  });

  function updateProgress(form) {
    var progress = form.querySelector("[data-ballot-progress]");
    if (!progress) {
      return;
    }
    var total = parseInt(progress.getAttribute("data-total"), 10) || 0;
    var answered = {};
    form.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      answered[input.name] = true;
    });
    var count = Object.keys(answered).length;
    progress.textContent = count + " / " + total + " " + progress.getAttribute("data-template");
    progress.classList.toggle("text-success", count === total);
    form.querySelectorAll("fieldset").forEach(function (fieldset) {
      if (fieldset.querySelector("input[type=radio]:checked")) {
        fieldset.classList.remove("border-danger");
        var note = fieldset.querySelector("[data-unanswered]");
        if (note) {
          note.remove();
        }
      }
    });
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest("[data-ballot]");
    if (form) {
      updateProgress(form);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-ballot]").forEach(updateProgress);
  });
})();
