// Counts running clocks down every 30 s without a reload; the server's text stays the source of truth.
(function () {
  "use strict";
  function tick() {
    var now = Date.now();
    document.querySelectorAll(".clock[data-due]").forEach(function (el) {
      var left = Math.floor((Date.parse(el.getAttribute("data-due")) - now) / 60000);
      var text = el.querySelector(".clock-text");
      if (left < 0) {
        text.textContent = "нарушен";
        el.className = "clock clock-bad";
      } else {
        text.textContent = left >= 120 ? "осталось " + Math.floor(left / 60) + " ч " + (left % 60) + " мин" : "осталось " + left + " мин";
        el.className = "clock " + (left <= 10 ? "clock-warn" : "clock-ok");
      }
    });
  }
  setInterval(tick, 30000);
})();
