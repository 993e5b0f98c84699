// Follows the report runs still in progress on the page: polls each run's JSON status and
// updates its progress bar, status text and download link without reloading the page.
// Without JavaScript the page refreshes itself (<noscript> meta refresh) instead.
(function () {
  "use strict";
  var INTERVAL = 1500;

  function update(row, run) {
    var label = row.querySelector(".run-status-label");
    var message = row.querySelector(".run-message");
    var bar = row.querySelector("progress");
    if (label) { label.textContent = run.status_label; }
    if (message) { message.textContent = run.message || ""; }
    if (bar) {
      bar.value = run.progress;
      bar.textContent = run.progress + "%";
      if (run.status === "failed") { bar.remove(); }
    }
    row.className = "run run-" + run.status;
    if (run.done) {
      var cell = row.querySelector(".run-file");
      cell.textContent = "";
      if (run.download_url) {
        var link = document.createElement("a");
        link.href = run.download_url;
        link.setAttribute("download", "");
        link.textContent = row.dataset.downloadLabel || "Download";
        var name = document.createElement("span");
        name.className = "visually-hidden";
        name.textContent = " " + (run.filename || "");
        link.appendChild(name);
        cell.appendChild(link);
      }
    }
  }

  function follow(row) {
    var url = row.dataset.runUrl;
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (run) {
          update(row, run);
          if (!run.done) { window.setTimeout(poll, INTERVAL); }
        })
        .catch(function () { window.setTimeout(poll, INTERVAL * 4); });
    }
    poll();
  }

  document.querySelectorAll("tr[data-run-url]").forEach(follow);
})();
