// The analysis builder's rows: "添加" clones a section's <template> row with the next
// number, "删除" removes a row, the column list follows the tables and the names typed
// so far, the field an error names is marked, and undo / redo restore an earlier state
// of the form (kept after every successful run) and run it again. Without this script
// the form still posts and the page shows the posted rows.
(function () {
  "use strict";
  var form = document.getElementById("builder-form");
  if (!form) { return; }
  var list = document.getElementById("analysis-columns");
  var tableColumns = Array.prototype.map.call(list.options, function (option) {
    return { value: option.value, label: option.textContent, table: option.getAttribute("data-table") };
  });
  var history = [], position = -1, restoring = false;
  var undo = document.getElementById("builder-undo");
  var redo = document.getElementById("builder-redo");

  function addRow(section, focus) {
    var rows = section.querySelector(".builder-rows");
    var next = parseInt(rows.getAttribute("data-next"), 10) || 0;
    var row = section.querySelector("template").content.firstElementChild.cloneNode(true);
    row.querySelectorAll("[name], [id], [for]").forEach(function (element) {
      ["name", "id", "for"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value) { element.setAttribute(attribute, value.replace(/__N__/g, String(next))); }
      });
    });
    rows.setAttribute("data-next", String(next + 1));
    rows.appendChild(row);
    if (focus) {
      var first = row.querySelector("input, select");
      if (first) { first.focus(); }
    }
    return row;
  }

  function showArguments(select) {
    var row = select.closest(".builder-row");
    var bands = select.value === "bucket";
    row.querySelector(".derive-args").disabled = bands;
    row.querySelector(".derive-args").hidden = bands;
    row.querySelector(".derive-bands").disabled = !bands;
    row.querySelector(".derive-bands").hidden = !bands;
  }

  function refreshColumns() {
    var chosen = [form.elements.table.value, form.elements["join-table"].value];
    var seen = {};
    list.innerHTML = "";
    function add(value, label) {
      if (!value || seen[value]) { return; }
      seen[value] = true;
      var option = document.createElement("option");
      option.value = value;
      option.textContent = label || value;
      list.appendChild(option);
    }
    tableColumns.forEach(function (column) {
      if (chosen.indexOf(column.table) >= 0) { add(column.value, column.label); }
    });
    form.querySelectorAll("input[data-new-column]").forEach(function (input) {
      add(input.value.trim(), "");
    });
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    if (button.classList.contains("builder-add")) {
      addRow(button.closest(".builder-step"), true);
    } else if (button.classList.contains("builder-remove")) {
      var step = button.closest(".builder-step");
      button.closest(".builder-row").remove();
      step.querySelector(".builder-add").focus();
      refreshColumns();
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.classList.contains("derive-func")) { showArguments(event.target); }
    refreshColumns();
  });
  form.addEventListener("input", function (event) {
    if (event.target.hasAttribute("data-new-column")) { refreshColumns(); }
  });

  function unmark() {
    form.querySelectorAll(".is-invalid").forEach(function (field) {
      field.classList.remove("is-invalid");
      field.removeAttribute("aria-invalid");
      field.removeAttribute("aria-describedby");
    });
  }

  function mark(name) {
    var field = name && form.querySelector("[name='" + name.replace(/'/g, "") + "']");
    if (!field) { return; }
    var hidden = field.closest("details");
    if (hidden) { hidden.open = true; }
    field.classList.add("is-invalid");
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", "query-error");
  }

  // --- undo and redo: the form's states after each successful run ---------------------
  function state() {
    var pairs = [];
    new FormData(form).forEach(function (value, key) {
      if (key !== "csrf_token") { pairs.push([key, value]); }
    });
    return pairs;
  }

  function restore(pairs) {
    form.querySelectorAll(".builder-step[data-kind]").forEach(function (step) {
      var kind = step.getAttribute("data-kind");
      var rows = step.querySelector(".builder-rows");
      rows.innerHTML = "";
      var numbers = {};
      var pattern = new RegExp("^" + kind + "-(\\d+)(-|$)");
      pairs.forEach(function (pair) {
        var match = pattern.exec(pair[0]);
        if (match) { numbers[match[1]] = true; }
      });
      if (kind === "distinct" || kind === "columns") {
        rows.setAttribute("data-next", "0");
        pairs.forEach(function (pair) {
          if (pair[0] === kind) { addRow(step, false).querySelector("input").value = pair[1]; }
        });
        addRow(step, false);
        return;
      }
      Object.keys(numbers).map(Number).sort(function (a, b) { return a - b; }).forEach(function (n) {
        rows.setAttribute("data-next", String(n));
        addRow(step, false);
      });
      addRow(step, false);
    });
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = false; });
    pairs.forEach(function (pair) {
      if (pair[0] === "distinct" || pair[0] === "columns") { return; }
      // A derived column's values share names between its two argument groups: set both.
      form.querySelectorAll("[name='" + pair[0].replace(/'/g, "") + "']").forEach(function (field) {
        if (field.type === "checkbox") { field.checked = true; } else { field.value = pair[1]; }
      });
    });
    form.querySelectorAll("select.derive-func").forEach(showArguments);
    refreshColumns();
  }

  function showHistory() {
    undo.hidden = redo.hidden = false;
    undo.disabled = position <= 0;
    redo.disabled = position >= history.length - 1;
  }

  function step(by) {
    var target = position + by;
    if (target < 0 || target >= history.length) { return; }
    position = target;
    restoring = true;
    restore(history[position]);
    showHistory();
    form.requestSubmit();
  }

  form.addEventListener("tool-result", function (event) {
    unmark();
    if (!event.detail.ok) {
      mark(event.detail.field);
      restoring = false;
      return;
    }
    if (!restoring) {
      history = history.slice(0, position + 1);
      history.push(state());
      position = history.length - 1;
    }
    restoring = false;
    showHistory();
  });
  undo.addEventListener("click", function () { step(-1); });
  redo.addEventListener("click", function () { step(1); });
  document.addEventListener("keydown", function (event) {
    var typing = event.target.matches("input:not([type=checkbox]), textarea, select");
    if (typing || !(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== "z") { return; }
    if (!form.offsetParent) { return; }  // the builder's tab is not the one shown
    event.preventDefault();
    step(event.shiftKey ? 1 : -1);
  });

  refreshColumns();

  // A proposed join key fills the table, the join and both key columns.
  document.querySelectorAll("button.join-suggestion").forEach(function (button) {
    button.addEventListener("click", function () {
      var main = document.getElementById("b-table");
      if (main) { main.value = button.getAttribute("data-table"); }
      document.getElementById("b-join-table").value = button.getAttribute("data-other");
      document.getElementById("b-join-left").value = button.getAttribute("data-column");
      document.getElementById("b-join-right").value = button.getAttribute("data-column");
      document.getElementById("b-join-left").focus();
    });
  });
})();
