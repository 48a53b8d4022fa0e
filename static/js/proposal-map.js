/* Proposal map with marker clustering. Progressive enhancement: the list below the
   map carries the same proposals and works without JavaScript. Markers are
   keyboard-focusable; their popups link to the proposal. Data comes from this
   site's GeoJSON endpoint; tiles only when MAP_TILE_URL is configured. */
(function () {
  "use strict";
  function init(el) {
    if (typeof L === "undefined" || !window.MitmachenMap || typeof L.markerClusterGroup === "undefined") return;
    var german = MitmachenMap.german();
    el.hidden = false;
    var map = MitmachenMap.create(el, el.dataset);
    var accent = MitmachenMap.accent(el);
    var districts = JSON.parse(document.getElementById(el.dataset.districts).textContent);
    var outline = L.geoJSON(districts, {
      style: function () { return { color: accent, weight: 1, fillOpacity: 0.05 }; },
      interactive: false
    }).addTo(map);
    if (districts.features.length) map.fitBounds(outline.getBounds(), { padding: [8, 8] });
    else map.setView([52.14, 12.55], 11);
    var clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
    function text(value) { var span = document.createElement("span"); span.textContent = value; return span.innerHTML; }
    fetch(el.dataset.url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        data.features.forEach(function (feature) {
          var c = feature.geometry.coordinates, p = feature.properties;
          var marker = L.marker([c[1], c[0]], { title: p.title, alt: p.title, keyboard: true });
          marker.bindPopup(
            '<a href="' + encodeURI(p.url) + '">' + text(p.title) + "</a><br>" + text(p.status) +
            " · " + p.supports + (german ? " Unterstützungen" : " supports") +
            (p.hidden ? "<br><strong>" + (german ? "ausgeblendet" : "hidden") + "</strong>" : "")
          );
          clusters.addLayer(marker);
        });
        map.addLayer(clusters);
        if (data.features.length) map.fitBounds(clusters.getBounds(), { padding: [24, 24], maxZoom: 16 });
      });
  }
  function start() { document.querySelectorAll("[data-proposal-map]").forEach(init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
