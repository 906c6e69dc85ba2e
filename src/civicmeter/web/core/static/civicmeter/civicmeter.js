// Civicmeter's only script: small behaviours the CSP-safe templates cannot express in HTML.
(function () {
  "use strict";

  // After an answer is saved the server sends the questions that are now relevant
  // (skip logic evaluated on the server); show those, hide the rest.
  document.body && document.body.addEventListener("civicmeter:relevance", function (event) {
    var visible = new Set(event.detail.visible || []);
    document.querySelectorAll("[data-question]").forEach(function (node) {
      var show = visible.has(node.getAttribute("data-question"));
      node.hidden = !show;
      node.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = !show;
      });
    });
  });

  // survey (views/survey.py): a choice the server refused (a third term under "choose up to
  // two") is unticked again, so the screen shows what is stored; the save state says why.
  document.body && document.body.addEventListener("civicmeter:restore", function (event) {
    var stored = new Set((event.detail.value || "").split(" ").filter(Boolean));
    var question = document.querySelector('[data-question="' + CSS.escape(event.detail.question) + '"]');
    if (!question) {
      return;
    }
    question.querySelectorAll("input[type=checkbox], input[type=radio]").forEach(function (input) {
      input.checked = stored.has(input.value);
    });
  });

  // survey (views/survey.py): when an autosave fails (server error, no network), say so in the
  // question's save state; the message comes translated from the section form.
  function showSaveFailed(event) {
    var form = document.getElementById("section-form");
    var target = event.detail.target;
    if (!form || !target || !target.classList.contains("save-state")) {
      return;
    }
    var message = document.createElement("span");
    message.className = "error";
    message.textContent = form.getAttribute("data-save-failed");
    target.replaceChildren(message);
  }
  document.addEventListener("htmx:responseError", showSaveFailed);
  document.addEventListener("htmx:sendError", showSaveFailed);

  // A wide table scrolls sideways inside .table-scroll (on a phone, most do): when it overflows,
  // make the region reachable with the keyboard and name it after its table's caption.
  function labelScrollRegions() {
    document.querySelectorAll(".table-scroll").forEach(function (region) {
      if (region.hasAttribute("tabindex") || region.scrollWidth <= region.clientWidth) {
        return;
      }
      var caption = region.querySelector("caption");
      region.setAttribute("tabindex", "0");
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", caption ? caption.textContent.trim() : document.title);
    });
  }
  labelScrollRegions();
  window.addEventListener("resize", labelScrollRegions);
  document.addEventListener("htmx:afterSettle", labelScrollRegions);

  // Confirm destructive or final actions (submit, return) without inline handlers.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
