// Saves a quiz answer as soon as it is chosen. Without JavaScript the same form saves on
// every move (question numbers, previous, next) and before the check page.
(function () {
  var form = document.getElementById("quiz-form");
  var status = document.getElementById("save-status");
  if (!form || !status || !window.fetch || !window.FormData) return;
  form.addEventListener("change", function (event) {
    var name = event.target.name || "";
    if (name.indexOf("q-") !== 0) return;
    var data = new FormData(form);
    data.delete("go");
    data.delete("action");
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Autosave": "1", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) {
          status.textContent = status.getAttribute("data-saved");
          var current = form.querySelector(".qnum.current");
          if (current) current.classList.add("done");
        } else {
          status.textContent = (body.errors || []).join(" ");
        }
      });
    }).catch(function () {
      status.textContent = status.getAttribute("data-offline");
    });
  });
})();
