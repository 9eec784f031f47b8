// Sitrep's event map: a Streamlit component (components/mapview.py declares this folder).
//
// It speaks Streamlit's component protocol itself (a few postMessage calls, no library):
// Streamlit sends "render" messages with the arguments of mapview.show (the view's metadata as
// JSON, its events as bytes, the selected event); the map sends back one value per click on an
// event ({event, at}) and, once per frame, that it has drawn its events ({drawn, at}).
//
// Every event is reachable: all markers sit in one cluster group, so reports at one point always
// form a cluster with their count, which a click spreads out (spiderfy) at any zoom. Event types
// are toggled by adding and removing their markers from that one group.
(function () {
  "use strict";

  function post(type, extra) {
    var message = {isStreamlitMessage: true, type: type};
    for (var k in extra) { message[k] = extra[k]; }
    window.parent.postMessage(message, "*");
  }
  function sendValue(value) {
    post("streamlit:setComponentValue", {value: value, dataType: "json"});
  }

  var map = null;
  var current = {dataId: null, height: null, selected: null, args: null};
  var cluster = null, grid = null, areas = null, operations = null, typeLayers = [], markers = [], byId = {};
  var ring = null, ringRenderer = null, drawnSent = false, P = null, D = null;

  // --- the basemap: land, divisions, rivers, and names by zoom ---------------------------------
  var basemaps = {}, labels = null, labelLayer = null;
  var STYLES = {
    country: {color: "#8a8a8a", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1},
    // first-level divisions: thin, light and dashed, so that they never read as country borders
    // nor hide an event's dot
    division: {color: "#a99f94", weight: 0.8, opacity: 0.9, dashArray: "4 3", fill: false},
    river: {color: "#7fa8c9", weight: 1.2, fill: false},
    lake: {color: "#7fa8c9", weight: 0.8, fillColor: "#d8e6ef", fillOpacity: 1}
  };
  // The world (1:110m) is drawn up to REGION_FROM_ZOOM; past it, when the events lie in the
  // region, its detailed file (1:10m) instead: both at once would show the coarse coasts in
  // the sea along the detailed ones.
  var REGION_FROM_ZOOM = 6;

  function loadBasemap(url, name) {
    if (basemaps[name] && basemaps[name].url === url) { return; }
    if (basemaps[name] && basemaps[name].layer) { map.removeLayer(basemaps[name].layer); }
    var entry = basemaps[name] = {url: url, layer: null};
    if (!url) { showBasemap(); return; }
    fetch(url).then(function (r) { return r.json(); }).then(function (g) {
      if (basemaps[name] !== entry) { return; }
      var land = L.canvas({pane: "land"}), group = L.layerGroup();
      ["country", "division", "lake", "river"].forEach(function (kind) {
        var features = g.features.filter(function (f) { return f.properties.kind === kind; });
        if (!features.length) { return; }
        var style = L.extend({}, STYLES[kind]);
        if (kind === "country") { style.fillOpacity = current.args.land_opacity; }
        L.geoJSON({type: "FeatureCollection", features: features},
          {interactive: false, renderer: land, style: style}).addTo(group);
      });
      entry.layer = group;
      showBasemap();
    }).catch(function (e) { console.warn("basemap", e); });
  }

  function showBasemap() {
    var detailed = basemaps.region && basemaps.region.layer && map.getZoom() >= REGION_FROM_ZOOM;
    [["world", !detailed], ["region", detailed], ["divisions", detailed]].forEach(function (pair) {
      var layer = basemaps[pair[0]] && basemaps[pair[0]].layer;
      if (!layer) { return; }
      if (pair[1] && !map.hasLayer(layer)) { layer.addTo(map); }
      if (!pair[1] && map.hasLayer(layer)) { map.removeLayer(layer); }
    });
  }

  function loadLabels(url) {
    if (labels || !url) { return; }
    labels = [];
    fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      labels = data.labels || [];
      drawLabels();
      map.on("moveend", drawLabels);
    }).catch(function (e) { console.warn("labels", e); });
  }

  // Names in view whose zoom has come (each label's min zoom was chosen by the build script so
  // that names do not overlap): plain DOM elements in a pane under the events.
  function drawLabels() {
    if (!labels || !labels.length || !map.hasLayer(labelLayer)) { return; }
    var pane = map.getPane("labels");
    var zoom = map.getZoom(), bounds = map.getBounds().pad(0.1);
    var html = [];
    for (var i = 0; i < labels.length; i++) {
      var l = labels[i];  // [name, lat, lon, first zoom, kind(, last zoom)]
      if (l[3] > zoom || (l[5] && l[5] < zoom) || !bounds.contains([l[1], l[2]])) { continue; }
      var p = map.latLngToLayerPoint([l[1], l[2]]);
      html.push('<div class="sitrep-label ' + l[4] + '" style="left:' + p.x + "px;top:" + p.y
        + 'px">' + escapeText(l[0]) + "</div>");
      if (html.length > 400) { break; }
    }
    pane.innerHTML = html.join("");
  }

  function escapeText(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  // --- the map ---------------------------------------------------------------------------------
  function createMap(args) {
    map = L.map("map", {preferCanvas: true, minZoom: 2, maxZoom: args.max_zoom,
      zoomControl: !args.compact, worldCopyJump: false, maxBounds: [[-85, -200], [85, 200]]});
    window.map = map;
    map.createPane("land").style.zIndex = 200;
    map.createPane("areas").style.zIndex = 350;
    map.createPane("labels").style.zIndex = 380;
    map.createPane("selection").style.zIndex = 650;
    map.getPane("selection").style.pointerEvents = "none";
    if (!args.compact) { L.control.scale().addTo(map); }
    map.attributionControl.setPrefix("");
    map.attributionControl.addAttribution(args.attribution);
    if (args.tiles) {
      L.tileLayer(args.tiles, {maxZoom: 18, attribution: args.tiles_attribution}).addTo(map);
    }
    // Labels follow the map in the layer control; their pane is redrawn on move.
    labelLayer = L.layerGroup();
    labelLayer.onAdd = function () { drawLabels(); return this; };
    labelLayer.onRemove = function () { map.getPane("labels").innerHTML = ""; return this; };
    labelLayer.addTo(map);
    ringRenderer = L.svg({pane: "selection"});
    map.on("zoomend", styleAreas);
    map.on("zoomend", drawGrid);
    // A marker's tooltip is bound when it is first shown (most sit in clusters).
    map.on("layeradd", function (e) {
      var m = e.layer;
      if (m.sitrepRow && !m.getTooltip()) { m.bindTooltip(tooltipHtml(m.sitrepRow)); }
    });
    map.on("zoomend", showBasemap);
    map.on("zoomend", placeRing);
    map.setView([35.5, 41.0], 6);
  }

  // An operation's name on the map with a swatch of its colour ([id, name, lat, lon, km, colour]).
  function operationLabel(o) {
    var colour = /^#[0-9a-fA-F]{3,8}$/.test(o[5] || "") ? o[5] : "#6a3d9a";
    return '<span class="sitrep-swatch" style="background:' + colour + '"></span>' + escapeText(o[1]);
  }

  // --- the progression map: places reported taken by the cut-off, by the side that took them ---
  // (kept apart from the events: Play changes both, but the rings have their own layer)
  var taken = null, takenKey = null;

  // Rings in a pane between the event dots (overlay pane, 400) and the stacks (marker pane,
  // 600); only their stroke takes the mouse (hover: what was taken, by whom, when), so a
  // click inside a ring still reaches the dot or stack it surrounds.
  function takenLayer() {
    if (!taken) {
      map.createPane("taken").style.zIndex = 450;
      map.getPane("taken").style.pointerEvents = "none";
      taken = L.layerGroup().addTo(map);
      taken.sitrepRenderer = L.svg({pane: "taken"});
    }
    return taken;
  }

  function drawTaken(spec) {
    var key = JSON.stringify(spec || null);
    if (key === takenKey) { return; }
    takenKey = key;
    var layer = takenLayer();
    layer.clearLayers();
    if (!spec) { return; }
    spec.places.forEach(function (t) {  // [lat, lon, side, tooltip html (escaped)]
      var colour = spec.sides[t[2]][1];
      L.circleMarker([t[0], t[1]], {radius: 19, color: "#fff", weight: 8, opacity: 0.9, fill: false,
        interactive: false, renderer: layer.sitrepRenderer}).addTo(layer);
      var ring = L.circleMarker([t[0], t[1]], {radius: 19, color: colour, weight: 4, opacity: 1,
        fill: false, renderer: layer.sitrepRenderer, bubblingMouseEvents: false});
      ring.sitrepTaken = {lat: t[0], lon: t[1], side: spec.sides[t[2]][0], colour: colour};
      ring.bindTooltip(t[3], {direction: "top", offset: [0, -18]});
      ring.addTo(layer);
    });
  }

  function clusterIcon(c) {
    var children = c.getAllChildMarkers(), counts = {}, best = 0, bestType = 0, multi = false;
    for (var i = 0; i < children.length; i++) {
      var r = children[i].sitrepRow, t = r[3];
      counts[t] = (counts[t] || 0) + 1;
      if (counts[t] > best) { best = counts[t]; bestType = t; }
      if (r[11] > 1) { multi = true; }
    }
    var n = c.getChildCount(), size = n < 10 ? 26 : n < 100 ? 32 : 40;
    return L.divIcon({className: "sitrep-cluster" + (multi ? " sitrep-multi" : ""),
      iconSize: [size, size],
      html: '<div style="background:' + D.colours[bestType] + '">' + n + "</div>"});
  }

  function clearEvents() {
    if (cluster) { map.removeLayer(cluster); }
    if (grid) { map.removeLayer(grid); }
    if (areas) { map.removeLayer(areas); }
    if (operations) { map.removeLayer(operations); }
    if (current.control) { map.removeControl(current.control); }
    if (ring) { map.removeLayer(ring); ring = null; }
    typeLayers.forEach(function (g) { map.removeLayer(g); });
    cluster = grid = areas = operations = null; typeLayers = []; markers = []; byId = {};
  }

  function tooltipHtml(r) {
    var S = P.strings, many = r[11] > 1 ? " · " + r[11] + " sources" : "";
    return "<b>" + S[r[6]] + "</b> · " + S[r[7]] + many + "<br>" + D.types[r[3]] + " — " + S[r[9]];
  }

  function popupHtml(layer) {
    var r = layer.sitrepRow, S = P.strings;
    this.options.maxWidth = r[14] ? 520 : 360;
    var told = !P.excerpts ? "<br>" : r[14]
      ? "<br><b>" + r[11] + " sources</b>" + r[14]
      : "<blockquote>" + r[12] + "</blockquote>" + r[13]
        + (r[15] > 1 ? " · told " + r[15] + " times" : "") + " · ";
    return '<div class="sitrep-popup"><b>' + S[r[6]] + "</b><br>" + S[r[7]] + "<br>"
      + D.types[r[3]] + " — " + S[r[9]] + "<br>" + S[r[8]] + "<br>" + S[r[10]]
      + told + '<a href="' + current.args.sources + encodeURIComponent(r[0])
      + '" target="_blank" rel="noopener">Open in Sources</a></div>';
  }

  // A click on an event selects it at once (the details panel follows); the popup opens after.
  function onEventClick(e) {
    var m = e.layer || e.sourceTarget;
    if (!m || !m.sitrepId) { return; }
    sendValue({event: m.sitrepId, at: Date.now()});
    markSelected(m.sitrepId);
  }

  // A stack within one town (SPREAD_WITHIN_M) is spread out where it is; a wider group is
  // zoomed into (zooming to two points of one town would jump to the closest zoom).
  var SPREAD_WITHIN_M = 10000;
  function spreadOrZoom(e) {
    var c = e.layer, box = c.getBounds();
    if (map.distance(box.getSouthWest(), box.getNorthEast()) <= SPREAD_WITHIN_M
        || map.getZoom() >= map.getMaxZoom()) {
      c.spiderfy();
    } else {
      c.zoomToBounds({padding: [30, 30]});
    }
  }

  // Uncertainty areas never hide a dot: under the markers, and past a size only an outline.
  function styleAreas() {
    if (!areas) { return; }
    var zoom = map.getZoom(), centre = map.getCenter();
    var metresPerPixel = 40075016.686 * Math.abs(Math.cos(centre.lat * Math.PI / 180))
      / Math.pow(2, zoom + 8);
    areas.eachLayer(function (c) {
      var pixels = c.getRadius() / metresPerPixel;
      c.setStyle(pixels > 40 ? {fillOpacity: 0, opacity: 0.6} : {fillOpacity: 0.12, opacity: 0.8});
    });
  }

  function drawEvents(args) {
    clearEvents();
    D = args.meta;
    P = JSON.parse(new TextDecoder("utf-8").decode(args.payload));
    var overlays = {};
    if (P.grid) {
      grid = L.layerGroup().addTo(map);
      drawGrid();
      overlays["events per area"] = grid;
    } else {
      areas = L.featureGroup();
      var areaRenderer = L.canvas({pane: "areas"});
      P.areas.forEach(function (a) {
        L.circle([a[0], a[1]], {radius: a[2], interactive: false, renderer: areaRenderer,
          color: "#666", weight: 1, dashArray: "4 4", fillColor: "#888", fillOpacity: 0.12})
          .addTo(areas);
      });
      areas.addTo(map);
      styleAreas();
      // Only markers that overlap are grouped while there are few; past CLUSTER_ABOVE nearby ones too.
      cluster = L.markerClusterGroup({
        chunkedLoading: true, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
        zoomToBoundsOnClick: false, maxClusterRadius: D.cluster ? 40 : 12,
        spiderfyDistanceMultiplier: 1.5, iconCreateFunction: clusterIcon
      });
      cluster.on("clusterclick", spreadOrZoom);
      cluster.on("click", onEventClick);
      if (!D.compact) { cluster.bindPopup(popupHtml, {maxWidth: 360}); }
      cluster.on("spiderfied unspiderfied animationend", placeRing);
      var perType = D.types.map(function () { return []; });
      P.rows.forEach(function (r) {
        var colour = D.colours[r[3]];
        var m = L.circleMarker([r[1], r[2]], r[5]
          ? {radius: r[4], color: "#222", weight: 1, fillColor: colour, fillOpacity: 0.85}
          : {radius: r[4], color: colour, weight: 1.5, dashArray: "3 3", fillColor: colour,
             fillOpacity: 0.4});
        // A click on a spread-out marker must not reach the map, which would fold the stack.
        m.options.bubblingMouseEvents = false;
        if (r[11] > 1) { m.setStyle({weight: 3, color: "#222"}); }
        m.sitrepRow = r; m.sitrepId = r[0]; m.sitrepStyle = L.extend({}, m.options);
        perType[r[3]].push(m); markers.push(m); byId[r[0]] = m;
      });
      typeLayers = D.types.map(function (name, t) {
        var g = L.layerGroup();
        g.sitrepMarkers = perType[t];
        g.onAdd = function () { cluster.addLayers(this.sitrepMarkers); return this; };
        g.onRemove = function () { cluster.removeLayers(this.sitrepMarkers); return this; };
        overlays['<span style="color:' + D.colours[t] + '">&#9679;</span> ' + D.types[t]
          + " (" + D.counts[t] + ")"] = g;
        return g;
      });
      cluster.addTo(map);
      typeLayers.forEach(function (g) { g.addTo(map); });
      overlays["place uncertainty"] = areas;
    }
    overlays["place names"] = labelLayer;
    if (D.operations && D.operations.length) {
      // The named operations the events belong to: a dashed outline of each one's area, under
      // the markers, named on hover (data/reference/operations.csv: a centre and a radius).
      // (not interactive: a click inside an area reaches the markers in it; the name stands at
      // the area's northern edge)
      operations = L.layerGroup();
      var outline = L.svg({pane: "areas"});
      D.operations.forEach(function (o) {
        var c = L.circle([o[2], o[3]], {radius: o[4] * 1000, color: o[5] || "#6a3d9a", weight: 2,
          dashArray: "6 5", fill: false, interactive: false, renderer: outline});
        c.sitrepOperation = o[0];
        operations.addLayer(c);
        operations.addLayer(L.tooltip([o[2] + o[4] / 111.2, o[3]], {permanent: true, direction: "top",
          className: "sitrep-operation-label", interactive: false, content: operationLabel(o)}));
      });
      operations.addTo(map);
      overlays["operations"] = operations;
    }
    if (current.args.taken) { overlays["places taken"] = takenLayer(); }
    current.control = L.control.layers(null, overlays, {collapsed: true}).addTo(map);
    fitTo(D.bounds);
    document.body.setAttribute("data-sitrep-events", P.grid ? P.total : P.rows.length);
    if (P.grid) { document.body.setAttribute("data-sitrep-cells", grid.getLayers().length); }
  }

  // A new view is fitted when it does not lie within what is shown (Play keeps the frame).
  function fitTo(bounds) {
    if (!bounds) { return; }
    var box = L.latLngBounds([bounds[0][0] - 0.3, bounds[0][1] - 0.3],
                             [bounds[1][0] + 0.3, bounds[1][1] + 0.3]);
    if (current.fitted && map.getBounds().contains(box)) { return; }
    current.fitted = true;
    map.fitBounds(box, {maxZoom: 10, animate: false});
  }

  function drawGrid() {
    if (!P || !P.grid || !grid) { return; }
    var zoom = map.getZoom(), level = P.grid[P.grid.length - 1];
    for (var i = 0; i < P.grid.length; i++) { if (zoom <= P.grid[i].zoom) { level = P.grid[i]; break; } }
    if (grid.sitrepLevel === level) { return; }
    grid.sitrepLevel = level;
    grid.clearLayers();
    var most = 1;
    level.cells.forEach(function (c) { most = Math.max(most, c[2]); });
    level.cells.forEach(function (c) {
      var parts = [];
      for (var t = 0; t < D.types.length; t++) {
        if (c[5 + t]) { parts.push(D.types[t] + ": " + c[5 + t].toLocaleString()); }
      }
      var m = L.circleMarker([c[0], c[1]], {radius: 4 + 22 * Math.sqrt(c[2] / most),
        color: "#222", weight: 1, fillColor: D.colours[c[3]], fillOpacity: 0.7});
      m.bindTooltip("<b>" + c[2].toLocaleString() + " events</b>"
        + (c[4] ? " · " + c[4].toLocaleString() + " killed" : "") + "<br>" + parts.join("<br>")
        + "<br><i>click to zoom in</i>");
      m.on("click", function () { map.setView([c[0], c[1]], Math.min(zoom + 2, map.getMaxZoom())); });
      grid.addLayer(m);
    });
  }

  // --- the selection ---------------------------------------------------------------------------
  function markSelected(id) {
    current.selected = id;
    placeRing();
  }

  // A ring where the selected event's marker is now (spread out of its stack, or in it).
  function placeRing() {
    if (ring) { map.removeLayer(ring); ring = null; }
    var m = current.selected && byId[current.selected];
    if (!m) { return; }
    // (getVisibleParent looks for an icon, which a circle marker has not)
    var shown = map.hasLayer(m) ? m : cluster && cluster.getVisibleParent(m);
    var at = shown ? shown.getLatLng() : m.getLatLng();
    ring = L.circleMarker(at, {radius: Math.max(m.options.radius + 6, 14), color: "#111",
      weight: 3, fill: false, interactive: false, pane: "selection",
      renderer: ringRenderer}).addTo(map);
  }

  // --- Streamlit -------------------------------------------------------------------------------
  function render(args) {
    current.args = args;
    if (args.height !== current.height) {
      current.height = args.height;
      document.getElementById("map").style.height = args.height + "px";
      post("streamlit:setFrameHeight", {height: args.height});
      if (map) { map.invalidateSize(); }
    }
    if (!map) { createMap(args); }
    loadBasemap(args.basemap_world, "world");
    loadBasemap(args.basemap_region, "region");
    if (drawnSent) { loadBasemap(args.basemap_divisions, "divisions"); }
    if (args.meta.data_id !== current.dataId) {
      current.dataId = args.meta.data_id;
      try { drawEvents(args); } catch (e) { console.error("sitrep events", e); }
      if (!drawnSent) {
        // Once the events are painted, say so (once per frame): what waits for the map (the
        // timeline beside it, components/deferred.py) is drawn then.
        drawnSent = true;
        requestAnimationFrame(function () { setTimeout(function () {
          sendValue({drawn: current.dataId, at: Date.now()});
          loadLabels(args.labels);
          // the divisions' borders after the first paint too, like the names: never in its way
          loadBasemap(args.basemap_divisions, "divisions");
        }, 0); });
      }
    }
    drawTaken(args.taken);
    if ((args.selected || null) !== current.selected) { markSelected(args.selected || null); }
  }

  // For the browser tests and the benchmark: the events the map holds, and a way to show one.
  window.sitrep = {
    ids: function () { return markers.map(function (m) { return m.sitrepId; }); },
    marker: function (id) { return byId[id] || null; },
    cluster: function () { return cluster; },
    // The ids of the operations whose areas are drawn.
    operations: function () {
      return operations ? operations.getLayers().filter(function (c) { return c.sitrepOperation; })
        .map(function (c) { return c.sitrepOperation; }) : [];
    },
    // The progression map's rings: {lat, lon, side, colour} of each place taken by the cut-off.
    taken: function () {
      var out = [];
      if (taken) { taken.eachLayer(function (l) { if (l.sitrepTaken) { out.push(l.sitrepTaken); } }); }
      return out;
    },
    // The colour each shown event is drawn in (its type's or its operation's).
    colourOf: function (id) { var m = byId[id]; return m ? m.options.fillColor : null; },
    colourBy: function () { return D ? D.colour_by : null; },
    // Where an event is shown: its marker, or the stack that holds it (null when hidden).
    shownAs: function (id) {
      var m = byId[id];
      return !m ? null : map.hasLayer(m) ? m : cluster && cluster.getVisibleParent(m);
    }
  };

  window.addEventListener("message", function (e) {
    if (e.data && e.data.type === "streamlit:render") { render(e.data.args); }
  });
  post("streamlit:componentReady", {apiVersion: 1});
})();
