// Autosave of a criterion's ticks and text (the form still saves everything without JavaScript).
// One save at a time: a change made while a save is on its way is sent after it, with the version
// that save returned, so quick ticks never look like an edit from another window.
(function () {
  "use strict";
  const form = document.getElementById("criterion-form");
  if (!form || !form.dataset.autosave) return;
  const state = form.querySelector(".save-state");
  const version = form.querySelector("input[name=version]");
  let timer = null;
  let inFlight = false;
  let again = false;

  function body() {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    data.append("version", version.value || "");
    form.querySelectorAll("input[name=items]:checked").forEach(function (box) { data.append("items", box.value); });
    data.append("text", form.querySelector("textarea[name=text]").value);
    return data;
  }

  function save() {
    if (inFlight) { again = true; return; }
    inFlight = true;
    fetch(form.dataset.autosave, { method: "POST", body: body(), credentials: "same-origin",
                                   headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (answer.saved) version.value = answer.version;
        state.textContent = answer.message;
      })
      .catch(function () { state.textContent = form.dataset.saveFailed; })
      .finally(function () {
        inFlight = false;
        if (again) { again = false; save(); }
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(save, 600);
  }
  form.querySelectorAll("input[name=items]").forEach(function (box) { box.addEventListener("change", save); });
  form.querySelector("textarea[name=text]").addEventListener("input", later);
})();
