// Exercise workspace: run the SQL console and the builder without leaving the page, and
// send a task's or the builder's query to the console (js/analysis.js runs the builder's
// rows, undo and redo). Without this script every form still works by posting the whole page.
(function () {
  "use strict";
  var result = document.getElementById("result");
  if (!result) { return; }

  function run(form) {
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    result.setAttribute("aria-busy", "true");
    return fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (body) {
      result.innerHTML = body.html;  // rendered and escaped by the server
      result.querySelectorAll("button.open-in-console").forEach(function (b) { b.hidden = false; });
      form.dispatchEvent(new CustomEvent("tool-result", { detail: body }));
    }).catch(function () {
      form.submit();  // fall back to the page post, which shows any problem in full
    }).finally(function () {
      button.disabled = false;
      result.removeAttribute("aria-busy");
    });
  }

  document.querySelectorAll("form.tool-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run(form);
    });
  });
  result.querySelectorAll("button.open-in-console").forEach(function (b) { b.hidden = false; });

  var sql = document.getElementById("sql");
  if (sql) {
    sql.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        run(document.getElementById("sql-form"));
      }
    });
  }

  // "Open in the SQL console": the builder's SQL, to read and change by hand.
  result.addEventListener("click", function (event) {
    var button = event.target.closest("button.open-in-console");
    if (!button) { return; }
    var source = result.querySelector("#result-sql");
    sql.value = source ? source.textContent : "";
    var tab = document.getElementById("tab-sql");
    if (window.bootstrap && tab) { window.bootstrap.Tab.getOrCreateInstance(tab).show(); }
    sql.focus();
  });

  // "Run it in the console": copy a task's query into the console and run it.
  document.querySelectorAll("button.try-sql").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-source"));
      sql.value = source.value;
      var tab = document.getElementById("tab-sql");
      if (window.bootstrap && tab) { window.bootstrap.Tab.getOrCreateInstance(tab).show(); }
      run(document.getElementById("sql-form")).then(function () {
        document.getElementById("analysis").scrollIntoView({ behavior: "smooth" });
      });
    });
  });

  // "Answer with the builder's result": an SQL task takes the SQL the builder (or the
  // console) produced for the result on screen; graded like a typed query, on both datasets.
  document.querySelectorAll("button.use-result-sql").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = result.querySelector("#result-sql");
      var target = document.getElementById(button.getAttribute("data-target"));
      var note = document.getElementById(button.getAttribute("data-note"));
      if (!source) {
        note.textContent = button.getAttribute("data-empty-text");
        return;
      }
      target.value = source.textContent;
      target.dispatchEvent(new Event("input", { bubbles: true }));  // autosaved as typed
      note.textContent = button.getAttribute("data-done-text");
    });
  });
})();
