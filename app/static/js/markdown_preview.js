// Live preview of lesson Markdown: as the trainer types, the server renders the text with
// the learners' renderer and sanitiser, and the pane shows that HTML. Without this script
// the form's "Preview" button does the same with a page reload.
(function () {
  "use strict";
  var DELAY_MS = 400;
  var source = document.querySelector("textarea[data-markdown-preview]");
  if (!source || !window.fetch || !window.FormData) {
    return;
  }
  var pane = document.getElementById(source.getAttribute("data-markdown-preview"));
  var status = document.getElementById("markdown-preview-status");
  var url = source.getAttribute("data-preview-url");
  var token = source.form ? source.form.querySelector("input[name='csrf_token']") : null;
  var timer = null;
  var latest = 0;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function refresh() {
    var request = ++latest;
    var data = new FormData();
    data.append("body", source.value);
    if (token) {
      data.append("csrf_token", token.value);
    }
    fetch(url, {method: "POST", body: data, credentials: "same-origin",
                headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (payload) {
        // An older request answering late must not replace a newer preview.
        if (request === latest) {
          pane.innerHTML = payload.html;  // sanitised on the server (app/domain/markdown.py)
          say("");
        }
      })
      .catch(function () {
        if (request === latest) {
          say(source.getAttribute("data-preview-failed") || "!");
        }
      });
  }

  source.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, DELAY_MS);
  });
})();
