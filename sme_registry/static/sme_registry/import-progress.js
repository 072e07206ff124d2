// Follows a running import: moves the progress bar, and reloads the page once the phase ends.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-progress]");
  if (!box) {
    return;
  }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-import-progress-text]");
  var url = box.getAttribute("data-import-progress");
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data) {
          return;
        }
        bar.max = data.total || 1;
        bar.value = data.done;
        text.textContent = data.label + " — " + data.done + " / " + data.total + " (" + data.percent + "%)";
        if (data.running) {
          window.setTimeout(poll, 2000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
