/* Shared set-up for every Leaflet map on the site: zoom buttons labelled in the
   page language (Leaflet's own are English), tiles only when the operator set
   MAP_TILE_URL (data-tile-url), no Leaflet link prefix, the municipality colour. */
(function () {
  "use strict";
  window.MitmachenMap = {
    german: function () {
      return (document.documentElement.lang || "de").slice(0, 2) === "de";
    },
    create: function (el, tiles) {
      var german = this.german();
      var map = L.map(el, {
        scrollWheelZoom: false,
        zoomControl: false,
        maxZoom: 18,
        attributionControl: !!tiles.tileAttribution
      });
      L.control.zoom({
        zoomInTitle: german ? "Karte vergrößern" : "Zoom in",
        zoomOutTitle: german ? "Karte verkleinern" : "Zoom out"
      }).addTo(map);
      if (tiles.tileUrl) {
        L.tileLayer(tiles.tileUrl, { attribution: tiles.tileAttribution, maxZoom: 18 }).addTo(map);
      }
      if (map.attributionControl) map.attributionControl.setPrefix(false);
      return map;
    },
    accent: function (el) {
      return getComputedStyle(el).getPropertyValue("--mm-accent").trim() || "#004b76";
    }
  };
})();
