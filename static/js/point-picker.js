/* Map point picker for the proposal form. Progressive enhancement: without
   JavaScript the form asks for the Ortsteil and a place description; with it, a
   click on the map sets the hidden lon/lat fields and preselects the Ortsteil
   whose boundary contains the point. The server decides again when saving. */
(function () {
  "use strict";

  function inRing(x, y, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }
  function inPolygon(x, y, rings) {
    if (!inRing(x, y, rings[0])) return false;
    for (var k = 1; k < rings.length; k++) if (inRing(x, y, rings[k])) return false;
    return true;
  }
  function districtAt(features, lon, lat) {
    for (var i = 0; i < features.length; i++) {
      var g = features[i].geometry;
      var polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
      for (var p = 0; p < polygons.length; p++) if (inPolygon(lon, lat, polygons[p])) return features[i];
    }
    return null;
  }

  function init(box) {
    if (typeof L === "undefined" || !window.MitmachenMap) return;
    var lonInput = document.getElementById(box.dataset.lon);
    var latInput = document.getElementById(box.dataset.lat);
    var data = JSON.parse(document.getElementById(box.dataset.districts).textContent);
    var select = document.getElementById("id_district");
    var status = box.querySelector("[data-point-status]");
    var german = MitmachenMap.german();
    // No Ortsteil with a boundary: every click would be refused, so keep the plain form.
    if (!data.features || !data.features.length) return;
    box.hidden = false;
    var el = box.querySelector(".point-picker__map");
    var map = MitmachenMap.create(el, box.dataset);
    var accent = MitmachenMap.accent(el);
    var layer = L.geoJSON(data, {
      style: function () { return { color: accent, weight: 1, fillOpacity: 0.08 }; },
      onEachFeature: function (feature, lyr) { lyr.bindTooltip(feature.properties.name, { sticky: true }); }
    }).addTo(map);
    function fit() {
      map.invalidateSize();
      if (data.features.length) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    }
    fit();
    window.addEventListener("load", fit);
    var marker = null;
    var markedIn = null; // name of the Ortsteil that contains the marker

    function place(lat, lon, announce) {
      var found = districtAt(data.features, lon, lat);
      if (!found) {
        status.textContent = german
          ? "Dieser Punkt liegt außerhalb des Gebiets dieser Beteiligung."
          : "This point lies outside the area of this participation process.";
        return;
      }
      markedIn = found.properties.name;
      lonInput.value = lon.toFixed(6);
      latInput.value = lat.toFixed(6);
      if (marker) marker.setLatLng([lat, lon]);
      else marker = L.circleMarker([lat, lon], { radius: 9, color: "#fff", weight: 3, fillColor: accent, fillOpacity: 1 }).addTo(map);
      // Match by id: two municipalities may have Ortsteile of the same name.
      if (select) select.value = String(found.properties.id);
      if (announce) {
        status.textContent = (german ? "Ort markiert in " : "Location marked in ") + found.properties.name + ".";
      }
    }
    if (lonInput.value && latInput.value) place(parseFloat(latInput.value), parseFloat(lonInput.value), false);
    map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng, true); });
    function clear(message) {
      lonInput.value = "";
      latInput.value = "";
      if (marker) { map.removeLayer(marker); marker = null; }
      markedIn = null;
      status.textContent = message;
    }
    box.querySelector("[data-point-clear]").addEventListener("click", function () {
      clear(german ? "Markierung entfernt." : "Marker removed.");
    });
    // The server takes the Ortsteil from the point; a different choice in the list
    // must not be overruled silently, so it removes the marker.
    if (select) select.addEventListener("change", function () {
      var chosen = select.options[select.selectedIndex];
      if (!marker || (chosen && chosen.text === markedIn)) return;
      clear(german
        ? "Markierung entfernt, weil Sie einen anderen Ortsteil gewählt haben."
        : "Marker removed because you chose another Ortsteil.");
    });
  }
  function start() { document.querySelectorAll("[data-point-picker]").forEach(init); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
