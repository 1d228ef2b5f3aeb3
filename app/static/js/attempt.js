// Attempt page: autosave each answer as it changes, and a quiet server-anchored timer.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  if (!form) { return; }
  var baseUrl = form.getAttribute("data-autosave-url");
  var token = form.querySelector("input[name=csrf_token]").value;
  var timers = {};
  var submitting = false;

  function setState(fieldset, text, isError) {
    var node = fieldset.querySelector(".save-state");
    node.textContent = text;
    node.className = "small mt-2 save-state " + (isError ? "text-danger" : "text-body-secondary");
  }

  function save(fieldset) {
    var position = fieldset.getAttribute("data-position");
    var data = new FormData();
    fieldset.querySelectorAll("input, select, textarea").forEach(function (field) {
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) { return; }
      data.append(field.name, field.value);
    });
    // A later save always carries a larger counter, so a slow earlier request cannot win.
    data.append("seq", String(Date.now()));
    data.append("csrf_token", token);
    setState(fieldset, form.getAttribute("data-saving-text"), false);
    return fetch(baseUrl + position, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.ok) {
          setState(fieldset, form.getAttribute("data-saved-text"), false);
        } else {
          setState(fieldset, body.error || form.getAttribute("data-failed-text"), true);
        }
      });
    }).catch(function () {
      setState(fieldset, form.getAttribute("data-failed-text"), true);
    });
  }

  // The answer sheet: a question counts as answered once any of its fields holds a value.
  function markSheet(fieldset) {
    var cell = document.querySelector('.sheet-cell[data-position="' +
                                      fieldset.getAttribute("data-position") + '"]');
    if (!cell) { return; }
    var answered = Array.prototype.some.call(
      fieldset.querySelectorAll("input, select, textarea"), function (field) {
        if (field.type === "hidden") { return false; }
        if (field.type === "radio" || field.type === "checkbox") { return field.checked; }
        return field.value.trim() !== "";
      });
    cell.classList.toggle("btn-primary", answered);
    cell.classList.toggle("btn-outline-secondary", !answered);
  }
  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.question");
    if (fieldset) { markSheet(fieldset); }
  });
  form.addEventListener("change", schedule);
  form.addEventListener("input", schedule);
  function schedule(event) {
    var fieldset = event.target.closest("fieldset.question");
    if (!fieldset) { return; }
    var key = fieldset.getAttribute("data-position");
    clearTimeout(timers[key]);
    timers[key] = setTimeout(function () { save(fieldset); }, event.type === "input" ? 800 : 150);
  }

  var submit = document.getElementById("submit-button");
  submit.addEventListener("click", function (event) {
    if (!submitting && !window.confirm(submit.getAttribute("data-confirm-text"))) {
      event.preventDefault();
    }
  });

  var timer = document.getElementById("timer");
  if (!timer) { return; }
  var announcer = document.getElementById("timer-announcer");
  var deadline = Date.now() + parseInt(timer.getAttribute("data-seconds-left"), 10) * 1000;
  var announceAt = [10, 5, 1];
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var minutes = Math.floor(left / 60), seconds = left % 60;
    timer.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
    if (announceAt.length && left <= announceAt[0] * 60) {
      var mark = announceAt.shift();
      announcer.textContent = form.getAttribute("data-time-text").replace("__N__", mark);
    }
    if (left === 0) {
      submitting = true;
      form.action = submit.getAttribute("formaction");
      form.submit();
      return;
    }
    setTimeout(tick, 1000);
  }
  tick();
})();
