/* Ortsteil maps. Progressive enhancement: without JavaScript the page shows the
   list of Ortsteile next to the (hidden) map container. Tiles are loaded only
   when the operator configured MAP_TILE_URL; otherwise the map shows the
   boundaries on a plain background and makes no request to another host. */
(function () {
  "use strict";
  function init(el) {
    if (typeof L === "undefined" || !window.MitmachenMap) return;
    var source = document.getElementById(el.dataset.geojson);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var pointSource = el.dataset.point && document.getElementById(el.dataset.point);
    var point = pointSource ? JSON.parse(pointSource.textContent) : null;
    if ((!data.features || data.features.length === 0) && !point) return;
    el.hidden = false;
    var map = MitmachenMap.create(el, el.dataset);
    var accent = MitmachenMap.accent(el);
    var layer = L.geoJSON(data, {
      style: function () { return { color: accent, weight: 2, fillOpacity: 0.12 }; },
      onEachFeature: function (feature, lyr) {
        var name = feature.properties && feature.properties.name;
        if (name) lyr.bindTooltip(name, { sticky: true });
        if (feature.properties && feature.properties.url && data.features.length > 1) {
          lyr.on("click", function () { window.location.href = feature.properties.url; });
        }
      }
    }).addTo(map);
    function fit() {
      // Measure again: fonts and images may have changed the layout since init.
      map.invalidateSize();
      if (data.features && data.features.length) map.fitBounds(layer.getBounds(), { padding: [12, 12] });
      else map.setView([point[1], point[0]], 15);
    }
    fit();
    if (point) {
      // Added once the map has a view. A circle marker needs no image files.
      L.circleMarker([point[1], point[0]], { radius: 9, color: "#fff", weight: 3, fillColor: accent, fillOpacity: 1 }).addTo(map);
    }
    window.addEventListener("load", fit);
  }
  function start() { document.querySelectorAll("[data-map]").forEach(init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
