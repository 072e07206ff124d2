/* The registration's location step: "Use my location" (the browser's geolocation) and a map
   to tap, both filling the latitude and longitude fields. Without JavaScript the typed
   fields work as they are; the map (Leaflet, served by the site) and its tiles load only
   when the owner asks for it, since every tile costs a phone's data. */
(function () {
  "use strict";
  function setup() {
    var box = document.querySelector("[data-location-map]");
    var configNode = document.getElementById("location-map-config");
    var lat = document.getElementById("id_latitude");
    var lon = document.getElementById("id_longitude");
    if (!box || !configNode || !lat || !lon) return;
    var config = JSON.parse(configNode.textContent);
    var strings = config.strings;
    var map = null;
    var marker = null;

    box.hidden = false;
    var tools = document.createElement("div");
    tools.className = "location-map__tools";
    var status = document.createElement("p");
    status.className = "hint location-map__status";
    status.setAttribute("role", "status");
    var canvas = document.createElement("div");
    canvas.className = "location-map__canvas";
    canvas.hidden = true;
    canvas.setAttribute("role", "region");
    canvas.setAttribute("aria-label", strings.map);

    function button(label) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button button--secondary";
      b.textContent = label;
      tools.appendChild(b);
      return b;
    }

    function current() {
      var a = parseFloat(lat.value.replace(",", "."));
      var b = parseFloat(lon.value.replace(",", "."));
      return isFinite(a) && isFinite(b) ? [a, b] : null;
    }

    function place(point, message) {
      lat.value = point[0].toFixed(6);
      lon.value = point[1].toFixed(6);
      lat.dispatchEvent(new Event("change", { bubbles: true }));
      lon.dispatchEvent(new Event("change", { bubbles: true }));
      if (message) status.textContent = message;
      if (map) mark(point);
    }

    function mark(point) {
      if (marker) marker.setLatLng(point);
      else marker = window.L.circleMarker(point, { radius: 9, color: "#fff", weight: 3, fillColor: "#0b5394", fillOpacity: 1 }).addTo(map);
      map.setView(point, Math.max(map.getZoom(), 16));
    }

    function load(done) {
      if (window.L) return done();
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = config.leaflet_css;
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = config.leaflet_js;
      script.onload = done;
      document.head.appendChild(script);
    }

    function showMap(keepStatus) {
      if (map) return;
      show.hidden = true;
      canvas.hidden = false;
      load(function () {
        var L = window.L;
        var point = current();
        map = L.map(canvas).setView(point || config.centre, point ? 16 : config.zoom);
        if (config.tile_url) {
          L.tileLayer(config.tile_url, { maxZoom: 19, attribution: config.attribution }).addTo(map);
        }
        if (point) mark(point);
        map.on("click", function (event) {
          place([event.latlng.lat, event.latlng.lng], strings.placed);
        });
        if (keepStatus !== true) status.textContent = strings.tap;
        canvas.setAttribute("data-ready", "1");
      });
    }

    var show = button(strings.show);
    show.addEventListener("click", showMap);
    if (navigator.geolocation) {
      var locate = button(strings.locate);
      locate.addEventListener("click", function () {
        status.textContent = strings.locating;
        navigator.geolocation.getCurrentPosition(
          function (position) {
            place([position.coords.latitude, position.coords.longitude], strings.found);
            showMap(true);
          },
          function () {
            status.textContent = strings.denied;
          },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
      });
    }
    function typed() {
      var point = current();
      if (map && point) mark(point);
    }
    lat.addEventListener("input", typed);
    lon.addEventListener("input", typed);
    box.appendChild(tools);
    box.appendChild(status);
    box.appendChild(canvas);
  }
  document.addEventListener("DOMContentLoaded", setup);
})();
