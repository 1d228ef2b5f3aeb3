// Quiz and exercise editors, and the preview: the number of questions each draw rule can
// take, shown as the trainer edits it; a row for another rule; only the parts of a form
// that apply; and the SQL console without leaving the page. Without this script every
// form still works: the server checks and shows everything when the page is posted.
(function () {
  "use strict";

  // --- draw rules: the live count of questions a rule can draw -------------------------
  var rules = document.getElementById("rule-table");

  function refreshCount(row) {
    var value = function (name) {
      var field = row.querySelector("[name$='-" + name + "']");
      return field ? field.value : "";
    };
    var cell = row.querySelector(".draw-available");
    // Only the latest request of a row may write its count: a slow earlier reply is dropped.
    var ticket = String(Number(row.getAttribute("data-count-ticket") || "0") + 1);
    row.setAttribute("data-count-ticket", ticket);
    var query = new URLSearchParams({bank: value("bank"), area: value("area"),
                                     difficulty: value("difficulty")});
    fetch(rules.getAttribute("data-count-url") + "?" + query.toString(),
          {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (body) {
        if (row.getAttribute("data-count-ticket") !== ticket) { return; }
        var wanted = parseInt(value("count"), 10);
        cell.textContent = rules.getAttribute("data-available-text")
          .replace("__N__", String(body.available));
        cell.classList.toggle("text-danger", wanted > body.available);
        cell.classList.toggle("fw-semibold", wanted > body.available);
      })
      .catch(function () { cell.textContent = ""; });
  }

  function watchRow(row) {
    row.querySelectorAll("select, input").forEach(function (field) {
      field.addEventListener("change", function () { refreshCount(row); });
      field.addEventListener("input", function () { refreshCount(row); });
    });
    refreshCount(row);
  }

  if (rules) {
    var body = rules.querySelector("tbody");
    body.querySelectorAll("tr.draw-rule").forEach(watchRow);
    var add = document.getElementById("add-rule");
    add.hidden = false;
    add.addEventListener("click", function () {
      var rows = body.querySelectorAll("tr.draw-rule");
      var copy = rows[rows.length - 1].cloneNode(true);
      var index = rows.length;
      copy.id = "rule-" + index;
      copy.querySelectorAll("[name]").forEach(function (field) {
        field.name = field.name.replace(/^draw-\d+-/, "draw-" + index + "-");
        field.id = field.name;
        if (field.tagName === "INPUT") { field.value = ""; }
        field.classList.remove("is-invalid");
      });
      copy.querySelectorAll(".rule-error").forEach(function (error) { error.remove(); });
      body.appendChild(copy);
      watchRow(copy);
    });
  }

  // --- show only the part of a form the chosen option uses -------------------------------
  function toggle(radios, attribute) {
    function apply() {
      var chosen = document.querySelector(radios + ":checked");
      if (!chosen) { return; }
      document.querySelectorAll("[" + attribute + "]").forEach(function (part) {
        part.hidden = part.getAttribute(attribute) !== chosen.value;
      });
    }
    document.querySelectorAll(radios).forEach(function (radio) {
      radio.addEventListener("change", apply);
    });
    apply();
  }
  toggle("input.quiz-mode", "data-mode");
  toggle("input.exercise-source", "data-source");

  var scenario = document.getElementById("scenario-choice");
  function showParams() {
    document.querySelectorAll("fieldset.scenario-params").forEach(function (set) {
      set.hidden = set.getAttribute("data-scenario") !== scenario.value;
      set.disabled = set.hidden;  // a hidden scenario's fields are not posted
    });
  }
  if (scenario) {
    scenario.addEventListener("change", showParams);
    showParams();
  }

  // --- the SQL console: run without leaving the page ---------------------------------------
  var result = document.getElementById("result");

  function run(form) {
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    result.setAttribute("aria-busy", "true");
    return fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"X-Requested-With": "fetch", "Accept": "application/json"}
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (payload) {
      result.innerHTML = payload.html;  // rendered and escaped by the server
    }).catch(function () {
      form.submit();  // the page post shows any problem in full
    }).finally(function () {
      button.disabled = false;
      result.removeAttribute("aria-busy");
    });
  }

  if (result) {
    document.querySelectorAll("form.tool-form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        run(form);
      });
    });
    var sql = document.getElementById("sql");
    if (sql) {
      sql.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          run(sql.form);
        }
      });
    }
  }
})();
