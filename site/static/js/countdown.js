// Shows the time left on a quiz. The server enforces the deadline; this only informs.
(function () {
  var el = document.querySelector("[data-deadline]");
  if (!el) return;
  var deadline = Date.parse(el.getAttribute("data-deadline"));
  var label = document.documentElement.lang === "vi" ? "Còn lại " : "Time left ";
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    el.textContent = label + m + ":" + (s < 10 ? "0" : "") + s;
    if (left === 0) { window.location.reload(); return; }
    setTimeout(tick, 1000);
  }
  el.setAttribute("role", "timer");
  tick();
})();
