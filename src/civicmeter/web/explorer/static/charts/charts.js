/* Interactive charts under the strict Content-Security-Policy (no 'unsafe-eval', no inline script).
 *
 * Each chart's Vega-Lite spec sits in a <script type="application/json"> data block (read, never
 * executed). vega-embed draws it over the server's SVG with Vega's expression interpreter instead
 * of compiling expressions to functions, and with its own <style> injection switched off (our
 * stylesheet styles the tooltip). If anything fails the server's SVG simply stays.
 */
(function () {
  "use strict";

  var OPTIONS = {
    renderer: "svg",
    actions: false,
    ast: true,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true },
  };

  function draw(holder) {
    var block = document.getElementById(holder.getAttribute("data-chart-spec"));
    if (!block || typeof vegaEmbed !== "function" || typeof vegaInterpreter === "undefined") {
      return;
    }
    var spec;
    try {
      spec = JSON.parse(block.textContent);
    } catch (error) {
      return;
    }
    var options = Object.assign({ expr: vegaInterpreter.expressionInterpreter }, OPTIONS);
    var target = document.createElement("div");
    target.className = "chart-interactive";
    vegaEmbed(target, spec, options).then(function (result) {
      var svg = target.querySelector("svg");
      if (svg) {
        /* one image named by the chart's description; Vega's per-mark roles inside it are noise */
        svg.querySelectorAll("[role], [aria-roledescription], [aria-label]").forEach(function (el) {
          el.removeAttribute("role");
          el.removeAttribute("aria-roledescription");
          el.removeAttribute("aria-label");
        });
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", holder.getAttribute("data-description") || "");
      }
      holder.replaceChildren(target);
      holder.classList.add("is-interactive");
      return result;
    }).catch(function () { /* the server's SVG stays */ });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart-spec]").forEach(draw);
  }

  window.civicmeterCharts = { drawAll: drawAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  } else {
    drawAll();
  }
})();
