// The lesson video's reports: what was played, every few seconds and on pause, end,
// seek and leaving the page; the server decides what counts (app.domain.watch_time).
// This script keeps the honest viewer's experience right: it resumes where they left,
// keeps a first viewing from skipping ahead, pauses when the page goes to the back, shows
// the presence check, and stops when another tab or device takes over.
(function () {
  "use strict";
  var player = document.getElementById("lesson-player");
  if (!player || !player.dataset.reportUrl) { return; }
  var data = player.dataset;
  var tab = randomTab();
  var status = document.getElementById("watch-status");
  var check = document.getElementById("presence-check");
  var missed = document.getElementById("presence-missed");
  var elsewhere = document.getElementById("watch-elsewhere");
  var furthest = parseFloat(data.furthest) || 0;
  var firstViewing = data.firstViewing === "true";
  var duration = parseFloat(data.duration) || 0;
  var claimed = false;
  var segmentStart = null;  // media time where the unreported stretch began
  var lastTime = 0;         // the latest media time seen while playing
  var answerTimer = null;
  var reportTimer = null;

  function randomTab() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function post(url, body) {
    body.tab = tab;
    // keepalive: the report sent while the page is closing still arrives
    return fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: true,
      headers: {"Content-Type": "application/json", "X-CSRFToken": data.csrfToken},
      body: JSON.stringify(body)
    }).then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; });
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  function show(state) {
    if (!state) { return; }
    furthest = Math.max(furthest, state.furthest);
    if (state.complete) { firstViewing = false; }
    var text = format(data.labelWatched, {
      watched: (state.watched_seconds / 60).toFixed(1), total: (duration / 60).toFixed(1),
      percent: state.percent
    });
    if (state.pending_seconds > 0) {
      text += " " + format(data.labelPending, {minutes: (state.pending_seconds / 60).toFixed(1)});
    }
    if (state.complete) { text += " " + data.labelComplete; }
    status.textContent = text;
    if (state.superseded) {
      claimed = false;
      elsewhere.classList.remove("d-none");
      player.pause();
    }
    if (state.presence === "ask" || state.presence === "waiting") { askPresence(); }
    if (state.presence === "missed") { missPresence(); }
    if (state.course_completed) { window.location.reload(); }
  }

  function claim() {
    elsewhere.classList.add("d-none");
    missed.classList.add("d-none");
    claimed = true;
    segmentStart = player.currentTime;
    return post(data.claimUrl, {}).then(show);
  }

  function report(final) {
    if (!claimed || segmentStart === null) { return; }
    var end = player.paused || player.seeking ? lastTime : player.currentTime;
    var body = {start: segmentStart, end: end, final: !!final,
                visible: document.visibilityState === "visible"};
    segmentStart = player.paused ? null : player.currentTime;
    if (end > body.start) {
      post(data.reportUrl, body).then(show);
    }
  }

  function askPresence() {
    if (answerTimer !== null) { return; }
    check.classList.remove("d-none");
    document.getElementById("presence-answer").focus();
    answerTimer = window.setTimeout(missPresence, (parseInt(data.answerSeconds, 10) || 60) * 1000);
  }

  function missPresence() {
    window.clearTimeout(answerTimer);
    answerTimer = null;
    check.classList.add("d-none");
    missed.classList.remove("d-none");
    player.pause();
    claimed = false;  // play again claims afresh
  }

  document.getElementById("presence-answer").addEventListener("click", function () {
    window.clearTimeout(answerTimer);
    answerTimer = null;
    check.classList.add("d-none");
    post(data.presenceUrl, {}).then(show);
  });

  player.addEventListener("loadedmetadata", function () {
    var position = parseFloat(data.position) || 0;
    if (position > 5 && position < player.duration - 5) { player.currentTime = position; }
    lastTime = player.currentTime;
  });
  player.addEventListener("play", function () {
    if (!claimed) { claim(); } else { segmentStart = player.currentTime; }
    window.clearInterval(reportTimer);
    reportTimer = window.setInterval(function () { report(false); },
      (parseInt(data.reportSeconds, 10) || 15) * 1000);
  });
  player.addEventListener("ratechange", function () {
    // faster than the server credits would lose time on a first viewing: not offered
    var fastest = parseFloat(data.maxRate) || 1.25;
    if (player.playbackRate > fastest) { player.playbackRate = fastest; }
  });
  player.addEventListener("timeupdate", function () {
    if (!player.seeking) { lastTime = player.currentTime; }
  });
  player.addEventListener("seeking", function () {
    // a first viewing may go back, never beyond what has been watched
    if (firstViewing && player.currentTime > Math.max(furthest, lastTime) + 1) {
      player.currentTime = Math.max(furthest, lastTime);
      return;
    }
    if (!player.paused) { report(false); }
    segmentStart = player.paused ? null : player.currentTime;
  });
  player.addEventListener("seeked", function () {
    lastTime = player.currentTime;
    if (!player.paused) { segmentStart = player.currentTime; }
  });
  player.addEventListener("pause", function () {
    window.clearInterval(reportTimer);
    report(true);
  });
  player.addEventListener("ended", function () {
    lastTime = player.currentTime;
    report(true);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !player.paused) {
      lastTime = player.currentTime;
      player.pause();  // time behind another window does not count; resume on return
    }
  });
  window.addEventListener("pagehide", function () {
    if (!player.paused) { lastTime = player.currentTime; report(true); }
  });
})();
