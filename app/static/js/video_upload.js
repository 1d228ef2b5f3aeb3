// A lesson's video page: uploads the chosen file in chunks (PUT at an offset), resumes
// from the offset the server reports after a dropped connection or a reload (the upload
// is remembered in localStorage by lesson, file name and size), and polls the state of
// the video being processed until it is ready or failed.
(function () {
  "use strict";
  var box = document.getElementById("video-upload");
  var stateBox = document.getElementById("video-state");
  if (!box || !stateBox) { return; }
  var form = document.getElementById("video-upload-form");
  var input = document.getElementById("video-file");
  var button = document.getElementById("video-upload-button");
  var progress = document.getElementById("video-upload-progress");
  var bar = document.getElementById("video-upload-bar");
  var status = document.getElementById("video-upload-status");
  var token = form.querySelector("input[name=csrf_token]").value;
  var msg = box.dataset;
  var MAX_DELAY = 30000;

  function say(text, kind) {
    status.textContent = text;
    status.className = "small mt-2 mb-0" + (kind ? " text-" + kind : "");
  }

  function showPercent(done, total) {
    var percent = total ? Math.floor(done * 100 / total) : 0;
    progress.classList.remove("d-none");
    progress.setAttribute("aria-valuenow", percent);
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    say(msg.msgUploading.replace("{percent}", percent + "%"));
  }

  function storageKey(file) {
    return msg.storageKey + ":" + file.name + ":" + file.size;
  }

  function remember(file, upload) {
    try { window.localStorage.setItem(storageKey(file), JSON.stringify(upload)); } catch (e) { /* private mode */ }
  }

  function forget(file) {
    try { window.localStorage.removeItem(storageKey(file)); } catch (e) { /* private mode */ }
  }

  function fail(text) {
    say(msg.msgFailed + " " + text, "danger");
    button.disabled = false;
    input.disabled = false;
  }

  function answer(response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      return {status: response.status, body: body};
    });
  }

  function start(file) {
    var data = new FormData();
    data.append("csrf_token", token);
    data.append("filename", file.name);
    data.append("size", String(file.size));
    return fetch(msg.startUrl, {method: "POST", body: data, credentials: "same-origin"})
      .then(answer);
  }

  function upload(file) {
    button.disabled = true;
    input.disabled = true;
    start(file).then(function (result) {
      if (result.status !== 200) {
        fail(result.body.error || (result.status === 400 ? msg.msgExpired : String(result.status)));
        return;
      }
      remember(file, result.body);
      send(file, result.body, result.body.offset, 0);
    }).catch(function () { retry(file, null, 0, 0); });
  }

  function retry(file, job, offset, attempt) {
    var delay = Math.min(MAX_DELAY, 2000 * Math.pow(2, attempt));
    say(msg.msgRetrying, "warning");
    window.setTimeout(function () {
      if (job) { send(file, job, offset, attempt + 1); } else { upload(file); }
    }, delay);
  }

  function send(file, job, offset, attempt) {
    showPercent(offset, file.size);
    job.offset = offset;
    job.name = file.name;
    remember(file, job);
    if (offset >= file.size) { finish(file, job); return; }
    var chunk = file.slice(offset, offset + job.chunk_bytes);
    fetch(job.chunk_url + "?offset=" + offset, {
      method: "PUT", body: chunk, credentials: "same-origin",
      headers: {"X-CSRFToken": token, "Content-Type": "application/octet-stream"}
    }).then(answer).then(function (result) {
      if (result.status === 200 || result.status === 409) {
        send(file, job, result.body.offset, 0);  // 409: resume where the server is
      } else if (result.status === 422 || result.status === 404) {
        forget(file);
        fail(result.body.error || String(result.status));
      } else if (result.status === 400) {
        fail(msg.msgExpired);
      } else {
        retry(file, job, offset, attempt);
      }
    }).catch(function () { retry(file, job, offset, attempt); });
  }

  function finish(file, job) {
    say(msg.msgChecking);
    var data = new FormData();
    data.append("csrf_token", token);
    fetch(job.finish_url, {method: "POST", body: data, credentials: "same-origin"})
      .then(answer).then(function (result) {
        if (result.status === 200) {
          forget(file);
          say(msg.msgAccepted + " " + (result.body.notice || ""), "success");
          window.setTimeout(function () { window.location.reload(); }, 1500);
        } else if (result.status === 422 || result.status === 404) {
          forget(file);
          fail(result.body.error || String(result.status));
        } else {
          retry(file, job, file.size, 0);
        }
      }).catch(function () { retry(file, job, file.size, 0); });
  }

  // A reload or a closed tab left an upload unfinished: say which file resumes it.
  function interrupted() {
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key.indexOf(msg.storageKey + ":") === 0) {
          var job = JSON.parse(window.localStorage.getItem(key));
          say(msg.msgInterrupted.replace("{name}", job.name || "")
            .replace("{percent}", Math.floor((job.offset || 0) * 100 / job.total) + "%"), "warning");
          return;
        }
      }
    } catch (e) { /* no storage: the server still resumes the same file */ }
  }
  interrupted();

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (input.files.length) { upload(input.files[0]); }
  });

  // Processing: poll the state until it is ready or failed, then show the page again.
  function poll() {
    window.setTimeout(function () {
      fetch(stateBox.dataset.statusUrl, {headers: {"Accept": "application/json"},
                                         credentials: "same-origin"})
        .then(function (response) { return response.json(); })
        .then(function (state) {
          var processing = document.getElementById("video-processing-bar");
          if (state.status !== "processing") { window.location.reload(); return; }
          if (processing) {
            processing.style.width = state.progress + "%";
            processing.textContent = state.progress + "%";
            processing.parentNode.setAttribute("aria-valuenow", state.progress);
          }
          poll();
        })
        .catch(poll);
    }, 2000);
  }
  if (stateBox.dataset.status === "processing") { poll(); }
}());
