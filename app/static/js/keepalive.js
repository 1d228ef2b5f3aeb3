// Keeps the session of an open quiz or exercise alive: a request every few minutes renews
// the idle stamp (app/web/sessions.py), so reading a long question never signs anyone out.
(function () {
  "use strict";
  var node = document.querySelector("[data-keepalive-url]");
  if (!node) { return; }
  var url = node.getAttribute("data-keepalive-url");
  var seconds = parseInt(node.getAttribute("data-keepalive-seconds"), 10) || 300;
  setInterval(function () {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .catch(function () { /* offline for a moment: the next beat tries again */ });
  }, seconds * 1000);
})();
