// Our own small script. Bootstrap's bundle handles dropdowns, collapse and alerts.
(function () {
  "use strict";
  // Forms marked data-confirm ask before submitting (e.g. destructive actions).
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // A lesson page tells the server where to resume only when that changed, in the
  // background, so reading a lesson is a plain GET that writes nothing.
  var opened = document.querySelector("[data-opened-url]");
  if (opened && navigator.sendBeacon) {
    var body = new FormData();
    body.append("csrf_token", opened.getAttribute("data-csrf-token"));
    navigator.sendBeacon(opened.getAttribute("data-opened-url"), body);
  }
})();
