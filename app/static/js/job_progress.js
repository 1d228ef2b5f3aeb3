// Progress of a background report job: polls the job's JSON until it is done or failed,
// then shows the download link (or the error), and whether no worker is there to run it.
// Without JavaScript the page has a refresh link.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box) { return; }
  var bar = document.getElementById("job-bar");
  var status = document.getElementById("job-status");
  var download = document.getElementById("job-download");
  var error = document.getElementById("job-error");
  var detail = document.getElementById("job-error-detail");
  var noWorker = document.getElementById("job-no-worker");
  var labels = {
    queued: box.dataset.labelQueued, running: box.dataset.labelRunning,
    done: box.dataset.labelDone, failed: box.dataset.labelFailed
  };
  var delay = 1000;

  function show(state) {
    bar.style.width = state.percent + "%";
    bar.textContent = state.percent + "%";
    bar.parentNode.setAttribute("aria-valuenow", state.percent);
    if (labels[state.status]) { status.textContent = labels[state.status]; }
    noWorker.classList.toggle("d-none", !state.no_worker);
    if (state.status === "done") {
      download.href = state.download_url || download.href;
      download.classList.remove("d-none");
    }
    if (state.status === "failed") {
      detail.textContent = state.error || "";
      error.classList.remove("d-none");
    }
  }

  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.status === "queued" || state.status === "running") {
          delay = Math.min(delay * 1.2, 5000);
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  if (box.dataset.status === "queued" || box.dataset.status === "running") {
    window.setTimeout(poll, delay);
  }
})();
