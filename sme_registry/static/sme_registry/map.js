/* Analisis → Peta: the businesses as clustered points (or counted squares) over an optional
   tile background, and the kecamatan shaded by a figure when boundaries were uploaded.
   Without tiles (a blocked or empty tile server) the points and shading still draw; without
   JavaScript the page's table gives the same counts. */
(function () {
  "use strict";
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }

  function setup() {
  var element = document.querySelector("[data-registry-map]");
  var configNode = document.getElementById("map-config");
  if (!element || !configNode || !window.L) return;
  var config = JSON.parse(configNode.textContent);
  var strings = config.strings;
  var status = document.querySelector("[data-map-status]");
  var number = new Intl.NumberFormat("id-ID");

  var map = L.map(element, { preferCanvas: false }).setView(config.centre, config.zoom);
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { maxZoom: 19, attribution: config.attribution }).addTo(map);
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  function dot(count) {
    return L.divIcon({
      className: "registry-map__dot" + (count ? " registry-map__dot--square" : ""),
      html: count ? "<span>" + number.format(count) + "</span>" : "",
      iconSize: count ? [30, 30] : [12, 12],
    });
  }

  function sumOf(cluster) {
    return cluster.getAllChildMarkers().reduce(function (sum, marker) {
      return sum + (marker.options.count || 1);
    }, 0);
  }

  function clusterIcon(cluster) {
    var sum = sumOf(cluster);
    var size = sum < 100 ? "small" : sum < 1000 ? "medium" : "large";
    return L.divIcon({
      html: "<div><span>" + number.format(sum) + "</span></div>",
      className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40),
    });
  }

  function drawPoints(data) {
    var group = L.markerClusterGroup({ iconCreateFunction: clusterIcon, chunkedLoading: true });
    var markers = [];
    if (data.points) {
      data.points.forEach(function (point) {
        var marker = L.marker([point[0], point[1]], { icon: dot(0), title: point[3], keyboard: false });
        marker.bindPopup(function () {
          var box = document.createElement("div");
          var name = document.createElement("strong");
          name.textContent = point[3];
          box.appendChild(name);
          if (data.record_url) {
            box.appendChild(document.createElement("br"));
            box.appendChild(link(data.record_url.replace("/0/", "/" + point[2] + "/"), strings.open));
          }
          return box;
        });
        markers.push(marker);
      });
    } else {
      (data.squares || []).forEach(function (square) {
        markers.push(L.marker([square[0], square[1]], { icon: dot(square[2]), count: square[2], keyboard: false }));
      });
    }
    group.addLayers(markers);
    group.addTo(map);
    if (markers.length) map.fitBounds(group.getBounds(), { maxZoom: 15, padding: [20, 20] });
    element.setAttribute("data-loaded", String(markers.length));
    if (status) {
      var shown = data.points ? data.points.length : (data.squares || []).reduce(function (s, q) { return s + q[2]; }, 0);
      status.textContent = number.format(shown) + " " + strings.businesses;
    }
  }

  var legend = null;
  function shade(layer, figures, key) {
    var values = Object.keys(figures).map(function (code) { return figures[code][key]; })
      .filter(function (v) { return typeof v === "number"; });
    var most = Math.max.apply(null, values.concat([1]));
    var colours = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
    function colour(value) {
      if (typeof value !== "number") return "#d9d9d9";
      return colours[Math.min(colours.length - 1, Math.floor((value / most) * colours.length))];
    }
    layer.setStyle(function (feature) {
      var row = figures[feature.properties.code];
      return { color: "#555", weight: 1, fillOpacity: 0.55, fillColor: colour(row ? row[key] : null) };
    });
    layer.eachLayer(function (part) {
      var row = figures[part.feature.properties.code];
      var value = row && typeof row[key] === "number" ? number.format(row[key]) : row ? strings.hidden : strings.no_data;
      part.bindTooltip(part.feature.properties.name + ": " + value, { sticky: true });
      part.unbindPopup();
      if (row && row.link) {
        part.bindPopup(function () { return link(row.link, part.feature.properties.name + " — " + strings.list); });
      }
    });
    if (legend) legend.remove();
    legend = L.control({ position: "bottomright" });
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "registry-map__legend");
      colours.forEach(function (c, i) {
        var line = L.DomUtil.create("div", "", box);
        var swatch = L.DomUtil.create("i", "", line);
        swatch.style.background = c;
        line.appendChild(document.createTextNode(
          number.format(Math.ceil((most * i) / colours.length)) + "–" + number.format(Math.floor((most * (i + 1)) / colours.length))
        ));
      });
      return box;
    };
    legend.addTo(map);
  }

  function drawBoundaries(geojson, figures) {
    var layer = L.geoJSON(geojson).addTo(map);
    layer.bringToBack();
    var select = document.querySelector("[data-map-shading]");
    shade(layer, figures, select ? select.value : "total");
    if (select) select.addEventListener("change", function () { shade(layer, figures, select.value); });
    element.setAttribute("data-shaded", String(geojson.features.length));
  }

  fetch(config.data_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
    .then(function (data) {
      drawPoints(data);
      if (!config.boundaries_url) return null;
      return fetch(config.boundaries_url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (geojson) { if (geojson) drawBoundaries(geojson, data.kecamatan); });
    })
    .catch(function () {
      element.setAttribute("data-loaded", "error");
    });
  }
})();
