/* Behaviour every page shares, written as data attributes in the templates because the Content-Security-Policy
   forbids inline script and on*= attributes:
   - <form data-confirm="question">: asks before submitting (was onsubmit="return confirm(...)");
   - <select data-autosubmit>: submits its form when changed (was onchange="this.form.submit()");
   - <span hidden data-tj-fields>: the form-field partials mark where they end; every form field before the
     mark gets Bootstrap's classes, as the inline script the partials used to carry did at that point. */
(function () {
  "use strict";

  var FIELDS = "form input:not([type=checkbox]):not([type=radio]):not([type=file]):not([type=hidden]), form select, form textarea";

  function before(mark, el) {
    return (mark.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING) !== 0;
  }

  function styleFields(root) {
    var marks = root.querySelectorAll("[data-tj-fields]");
    if (!marks.length) return;
    var last = marks[marks.length - 1];
    document.querySelectorAll(FIELDS).forEach(function (el) {
      if (!before(last, el)) return;
      if (!el.classList.contains("form-control") && !el.classList.contains("form-select")) {
        el.classList.add(el.tagName === "SELECT" ? "form-select" : "form-control");
      }
    });
    document.querySelectorAll("form input[type=file]").forEach(function (el) {
      if (before(last, el)) el.classList.add("form-control");
    });
    // the assessment pages' partial also styles check boxes
    var boxes = root.querySelectorAll("[data-tj-fields=checkboxes]");
    if (boxes.length) {
      var lastBox = boxes[boxes.length - 1];
      document.querySelectorAll("form input[type=checkbox]").forEach(function (el) {
        if (before(lastBox, el)) el.classList.add("form-check-input");
      });
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form instanceof HTMLFormElement ? form.getAttribute("data-confirm") : null;
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });

  document.addEventListener("DOMContentLoaded", function () { styleFields(document); });
  // content swapped in by htmx (its own scripts no longer run: htmx-config allowScriptTags is false)
  document.addEventListener("htmx:load", function (event) {
    if (event.target && event.target.querySelector && event.target.querySelector("[data-tj-fields]")) {
      styleFields(document);
    }
  });
})();
