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
})();
