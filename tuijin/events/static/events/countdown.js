// Keeps every [data-countdown] (seconds left when the server rendered it) showing the days and hours left.
// Counting from when the element appeared rather than by the device's clock keeps it right on a machine whose
// clock is off; elements swapped in later by htmx start their own count.
(function () {
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      if (!el.hasAttribute("data-seen")) { el.setAttribute("data-seen", String(now)); }
      var left = parseInt(el.getAttribute("data-countdown"), 10);
      if (isNaN(left)) { return; }
      var elapsed = Math.floor((now - parseInt(el.getAttribute("data-seen"), 10)) / 1000);
      var seconds = Math.max(0, left - elapsed);
      var days = el.querySelector("[data-part=days]");
      var hours = el.querySelector("[data-part=hours]");
      if (days) { days.textContent = String(Math.floor(seconds / 86400)); }
      if (hours) { hours.textContent = String(Math.floor((seconds % 86400) / 3600)); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 60000); });
  document.addEventListener("htmx:afterSwap", tick);
})();
