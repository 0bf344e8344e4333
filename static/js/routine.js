// Tonight's routine: a countdown for each exercise; the page works as a plain list without it.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-exercise]").forEach(function (item) {
    var timer = item.querySelector(".timer");
    if (!timer) return;
    var seconds = parseInt(item.getAttribute("data-seconds"), 10) || 60;
    var start = timer.querySelector(".timer-start");
    var left = timer.querySelector(".timer-left");
    var label = left.getAttribute("data-label");
    var handle = null;
    timer.classList.remove("d-none");
    start.addEventListener("click", function () {
      var remaining = seconds;
      if (handle) clearInterval(handle);
      left.textContent = remaining + " " + label;
      item.classList.add("exercise-active");
      handle = setInterval(function () {
        remaining -= 1;
        left.textContent = remaining + " " + label;
        if (remaining <= 0) {
          clearInterval(handle);
          handle = null;
          item.classList.remove("exercise-active");
          item.classList.add("exercise-finished");
          left.textContent = "✓";
          var next = item.nextElementSibling;
          if (next) next.scrollIntoView({ behavior: "smooth", block: "start" });
        }
      }, 1000);
    });
  });
})();
