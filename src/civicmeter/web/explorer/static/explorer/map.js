/* The public map: Leaflet over Natural Earth country borders served by us (no tiles, no CDN).
 *
 * The page's rows sit in a JSON data block (#map-data), each with its colour and value for every
 * colouring. Changing a filter or the colouring redraws markers, legend and table here, with the
 * same rules as the server (mapdata.matches); changing the wave reloads, since its cities differ.
 * Without script the form and the server-filtered table do the same job.
 */
(function () {
  "use strict";

  var FILTERS = ["continent", "band", "area", "role", "activity", "team"];

  function matches(row, chosen) {
    var q = (chosen.q || "").trim().toLocaleLowerCase();
    if (q && row.name.toLocaleLowerCase().indexOf(q) === -1) return false;
    if (chosen.continent && row.continent !== chosen.continent) return false;
    if (chosen.band && row.band !== chosen.band) return false;
    if (chosen.area && row.areas.indexOf(chosen.area) === -1) return false;
    if (chosen.role && row.roles.indexOf(chosen.role) === -1) return false;
    if (chosen.activity && row.activities.indexOf(chosen.activity) === -1) return false;
    if (chosen.team && row.team !== chosen.team) return false;
    return true;
  }

  function chosenOf(form) {
    var chosen = { q: form.elements.q.value };
    FILTERS.forEach(function (name) { chosen[name] = form.elements[name].value; });
    return chosen;
  }

  function svgSwatch(colour) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "14");
    svg.setAttribute("height", "14");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var circle = document.createElementNS(ns, "circle");
    circle.setAttribute("cx", "7");
    circle.setAttribute("cy", "7");
    circle.setAttribute("r", "6");
    circle.setAttribute("fill", colour);
    circle.setAttribute("stroke", "#1d2329");
    circle.setAttribute("stroke-width", "1");
    svg.appendChild(circle);
    return svg;
  }

  function drawLegend(colouring) {
    var legend = document.getElementById("map-legend");
    legend.querySelector("figcaption").textContent = colouring ? colouring.label : "";
    var list = legend.querySelector("ul");
    list.replaceChildren();
    (colouring ? colouring.legend : []).forEach(function (entry) {
      var item = document.createElement("li");
      item.appendChild(svgSwatch(entry[0]));
      item.appendChild(document.createTextNode(" " + entry[1]));
      list.appendChild(item);
    });
  }

  function init() {
    var block = document.getElementById("map-data");
    var holder = document.getElementById("map");
    var form = document.getElementById("map-filters");
    if (!block || !holder || !form || typeof L === "undefined") return;
    var data = JSON.parse(block.textContent);
    var colourings = {};
    data.colourings.forEach(function (c) { colourings[c.key] = c; });

    holder.replaceChildren();
    holder.classList.add("is-live");
    holder.setAttribute("role", "region");
    holder.setAttribute("aria-label", holder.getAttribute("data-label"));
    var map = L.map(holder, { worldCopyJump: true, minZoom: 1, maxZoom: 9, zoomSnap: 0.5 });
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution(holder.getAttribute("data-attribution"));
    map.setView([30, 5], 1.5);
    fetch(holder.getAttribute("data-world"))
      .then(function (response) { return response.json(); })
      .then(function (world) {
        L.geoJSON(topojson.feature(world, world.objects.countries), {
          interactive: false,
          style: { color: "#ffffff", weight: 0.7, fillColor: "#dfe4e8", fillOpacity: 1 },
        }).addTo(map).bringToBack();
      })
      .catch(function () { /* the cities still show without borders */ });

    var markers = L.layerGroup().addTo(map);
    var tableRows = {};
    document.querySelectorAll("#map-table tbody tr[data-slug]").forEach(function (tr) {
      tableRows[tr.getAttribute("data-slug")] = tr;
    });
    var count = document.getElementById("map-count");
    var total = data.rows.length;

    function redraw(fit) {
      var chosen = chosenOf(form);
      var key = form.elements.colour.value || data.colour;
      var colouring = colourings[key];
      markers.clearLayers();
      var shown = [];
      data.rows.forEach(function (row) {
        var visible = matches(row, chosen);
        var tr = tableRows[row.slug];
        if (tr) {
          tr.hidden = !visible;
          tr.querySelector(".colour-value").textContent = row.text[key] || "\u2013";
        }
        if (!visible || row.lat === null || row.lon === null) return;
        var marker = L.circleMarker([row.lat, row.lon], {
          radius: 6, weight: 1, color: "#1d2329", fillColor: row.colour[key] || "#b8c0c8", fillOpacity: 0.95,
        });
        var tip = document.createElement("span");
        tip.textContent = row.name + (row.text[key] ? ": " + row.text[key] : "");
        marker.bindTooltip(tip);
        marker.on("click", function () { window.location.assign(row.url); });
        marker.addTo(markers);
        shown.push([row.lat, row.lon]);
      });
      var visibleRows = data.rows.filter(function (row) { return matches(row, chosen); }).length;
      count.textContent = count.getAttribute("data-template")
        .replace("{n}", String(visibleRows)).replace("{total}", String(total));
      document.getElementById("map-colour-column").textContent = colouring ? colouring.label : "";
      drawLegend(colouring);
      if (fit && shown.length) map.fitBounds(shown, { maxZoom: 5, padding: [20, 20] });
    }

    function remember() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) { if (value) params.append(name, value); });
      window.history.replaceState(null, "", "?" + params.toString());
    }

    form.addEventListener("change", function (event) {
      if (event.target.name === "q") return;  /* typed names filter on input, without moving the map */
      if (event.target.name === "wave") { form.submit(); return; }
      redraw(event.target.name !== "colour");
      remember();
    });
    form.elements.q.addEventListener("input", function () { redraw(false); remember(); });
    form.addEventListener("submit", function (event) {
      if (form.elements.wave.value === form.getAttribute("data-wave")) {
        event.preventDefault();  /* same cities: filter here; another wave is loaded from the server */
        redraw(true);
        remember();
      }
    });
    redraw(window.location.search.length > 1);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
