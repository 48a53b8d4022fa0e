/* The Mitmachmobil tour on a map. Progressive enhancement: the timetable above the map
   lists the same stops with time and place and works without JavaScript. The stops come
   from the page itself (json_script), so the map makes no request of its own; tiles only
   when the operator configured MAP_TILE_URL. Markers are keyboard-focusable, their
   popups link to the stop. */
(function () {
  "use strict";
  function text(value) { var span = document.createElement("span"); span.textContent = value; return span.innerHTML; }
  function init(el) {
    if (typeof L === "undefined" || !window.MitmachenMap) return;
    var source = document.getElementById(el.dataset.points);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (!data.features || !data.features.length) return;
    var german = MitmachenMap.german();
    el.hidden = false;
    var map = MitmachenMap.create(el, el.dataset);
    var accent = MitmachenMap.accent(el);
    var points = [];
    // Leaflet labels the popup's close button in English.
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", german ? "Schließen" : "Close");
    });
    data.features.forEach(function (feature, index) {
      var c = feature.geometry.coordinates, p = feature.properties;
      var label = (index + 1) + ". " + p.title + ", " + p.when;
      var marker = L.marker([c[1], c[0]], { title: label, alt: label, keyboard: true });
      marker.bindPopup(
        '<a href="' + encodeURI(p.url) + '">' + text(p.title) + "</a><br>" + text(p.place) +
        "<br>" + text(p.when) + (german ? " Uhr" : "") +
        (p.cancelled ? "<br><strong>" + (german ? "abgesagt" : "cancelled") + "</strong>" : "")
      );
      marker.addTo(map);
      points.push([c[1], c[0]]);
    });
    // The route in timetable order, as a thin line between the stops.
    if (points.length > 1) L.polyline(points, { color: accent, weight: 2, dashArray: "4 6", interactive: false }).addTo(map);
    function fit() {
      map.invalidateSize();
      if (points.length === 1) map.setView(points[0], 14);
      else map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: 15 });
    }
    fit();
    window.addEventListener("load", fit);
  }
  function start() { document.querySelectorAll("[data-tour-map]").forEach(init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
