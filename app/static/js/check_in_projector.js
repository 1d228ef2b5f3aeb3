// The check-in projector (issue 20): asks the server for its state every few seconds and
// as each 30 s window ends, then swaps in the new QR code (an SVG the server drew), the
// countdown, the counts and the refused scans. Without this script the page reloads itself
// (a meta refresh in <noscript>).
(function () {
  "use strict";
  var root = document.querySelector("[data-check-in-state]");
  if (!root) { return; }
  var stateUrl = root.getAttribute("data-check-in-state");
  var pollMs = (parseInt(root.getAttribute("data-poll-seconds"), 10) || 3) * 1000;
  var deadline = Date.now() + (parseInt(root.getAttribute("data-seconds-left"), 10) || 30) * 1000;
  var window_ = null;
  var qr = root.querySelector("[data-qr]");
  var qrUrl = root.querySelector("[data-qr-url]");
  var secondsLeft = root.querySelector("[data-seconds-left]");
  var refusals = root.querySelector("[data-refusals]");
  var offline = root.querySelector("[data-offline]");
  var fullscreen = root.querySelector("[data-fullscreen]");

  function tick() {
    secondsLeft.textContent = String(Math.max(0, Math.ceil((deadline - Date.now()) / 1000)));
  }

  function showRefusals(lines) {
    refusals.textContent = "";
    if (!lines.length) {
      var empty = document.createElement("li");
      empty.textContent = refusals.getAttribute("data-empty");
      refusals.appendChild(empty);
    }
    lines.forEach(function (line) {
      var item = document.createElement("li");
      var time = document.createElement("span");
      time.className = "text-body-secondary";
      time.textContent = line.time;
      item.appendChild(time);
      item.appendChild(document.createTextNode(" " + line.name + " · " + line.reason));
      refusals.appendChild(item);
    });
  }

  function show(state) {
    if (state.window !== window_) {
      qr.innerHTML = state.svg;  // our server's own drawing of the check-in address
      qrUrl.textContent = state.url;
      qrUrl.setAttribute("href", state.url);
      window_ = state.window;
    }
    deadline = Date.now() + state.seconds_left * 1000;
    Object.keys(state.counts).forEach(function (key) {
      var node = root.querySelector('[data-count="' + key + '"]');
      if (node) { node.textContent = String(state.counts[key]); }
    });
    showRefusals(state.refusals);
    tick();
  }

  function schedule() {
    var untilWindowEnds = deadline - Date.now() + 300;
    setTimeout(poll, Math.max(300, Math.min(pollMs, untilWindowEnds)));
  }

  function poll() {
    fetch(stateUrl, { credentials: "same-origin", redirect: "manual",
                      headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (state) { show(state); offline.classList.add("d-none"); })
      .catch(function () { offline.classList.remove("d-none"); })
      .then(schedule);
  }

  if (fullscreen && root.requestFullscreen) {
    fullscreen.classList.remove("d-none");
    fullscreen.addEventListener("click", function () {
      if (document.fullscreenElement) { document.exitFullscreen(); } else { root.requestFullscreen(); }
    });
  }
  setInterval(tick, 250);
  schedule();
})();
