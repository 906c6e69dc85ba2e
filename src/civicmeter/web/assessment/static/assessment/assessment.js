// Autosave of a criterion's ticks and text (the form still saves everything without JavaScript).
(function () {
  "use strict";
  const form = document.getElementById("criterion-form");
  if (!form || !form.dataset.autosave) return;
  const state = form.querySelector(".save-state");
  const version = form.querySelector("input[name=version]");
  let timer = null;

  function save() {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    data.append("version", version.value || "");
    form.querySelectorAll("input[name=items]:checked").forEach(function (box) { data.append("items", box.value); });
    data.append("text", form.querySelector("textarea[name=text]").value);
    fetch(form.dataset.autosave, { method: "POST", body: data, credentials: "same-origin",
                                   headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        if (body.saved) version.value = body.version;
        state.textContent = body.message;
      })
      .catch(function () { state.textContent = form.dataset.saveFailed; });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(save, 600);
  }
  form.querySelectorAll("input[name=items]").forEach(function (box) { box.addEventListener("change", save); });
  form.querySelector("textarea[name=text]").addEventListener("input", later);
})();
