/* conflict-map: draws one map page's events from its JSON blob (geo/maps.py writes both).
 *
 * Why our own script and not one Leaflet marker per event: 100,000 events must still open in
 * seconds, so events are drawn on one canvas, grouped on a pixel grid where they crowd, and
 * filtered by date in a plain loop over typed arrays.
 *
 * Article text reaches the page only as data and goes on screen through textContent and DOM
 * nodes, never innerHTML, so a sentence holding "<script>" stays text; the legend's search text
 * is only compared with it.
 *
 * The reader's extras start off: a density layer and a choropleth of provinces (both drawn from
 * the events the filters leave), and a PNG of the view made from the map's own canvases.
 *
 * Part of conflict-map (MIT). Expects Leaflet (L) to be loaded first.
 */
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var CELL = 48;            // grid cell of the clustering, in screen pixels
  var MAX_LINKS = 300;      // arrows and contact lines drawn at once (the latest ones): more is noise
  var LINKS_AT_ZOOM_2 = 8;  // ... and at most this many in view at zoom 2, twice as many each zoom in
  // An event located only to an area: a light shading of the area, under a smaller, fainter marker.
  var AREA_STYLE = {color: "#8a826f", weight: 0.6, opacity: 0.5, fillColor: "#8a826f", fillOpacity: 0.12};
  var AREA_MARKER = 0.7;    // an area event's marker radius, as a share of a point event's
  var MAX_LIST = 30;        // events listed in the popup of a cluster at one spot
  var SPEEDS = [1, 7, 30, 90, 365];  // playback speeds offered, in days per second
  var TICK_MS = 250;        // playback moves (and redraws) this often
  var PLAY_SECONDS = 30;    // the default speed plays the whole span in at most this long, if it can
  var LABEL_CHAR = [7.2, 6, 5.6];  // about how wide a character of each kind of label is, in pixels
  var NARROW = 600;         // a map narrower than this (pixels) starts with the legend folded
  var HEAT_CELL = 4;        // the density layer's grid cell, in screen pixels
  var HEAT_RADIUS = 6;      // ... and its kernel's radius, in cells
  // The density layer's colours, from sparse to dense (its alpha grows with density too).
  var HEAT_RAMP = [[0, "#2c7bb6"], [0.35, "#00a6ca"], [0.6, "#90eb9d"], [0.8, "#f9d057"], [1, "#d7191c"]];
  // Provinces shaded by their events (or deaths) in the time window, light to dark.
  var PROVINCE_RAMP = [[0, "#ffffcc"], [0.25, "#a1dab4"], [0.5, "#41b6c4"], [0.75, "#2c7fb8"], [1, "#253494"]];
  var PROVINCE_STYLE = {color: "#253494", weight: 0.8, opacity: 0.6, fillOpacity: 0.55};
  var PROVINCE_MEASURES = [["events", "events"], ["fatalities", "killed"]];
  var LAND = "#f2eee3";     // the offline basemap's land (and the halo of its labels)
  var WINDOWS = [["day", "that day"], ["week", "the week to"], ["all", "everything up to"]];
  var PRECISION_TEXT = {
    admin1: "Located only to a province or territory: the marker stands for the whole area " +
      "(shaded), not the spot where it happened.",
    country: "Located only to the country: the marker stands for the whole country " +
      "(shaded), not the spot where it happened.",
    region: "Located only to a region or sea: the marker stands for the whole area " +
      "(shaded), not the spot where it happened.",
    point: "Located to the place itself."
  };

  function count(k) { return k.toLocaleString("en-US"); }

  function isoDay(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }

  function node(tag, cls, text, parent) {
    var el = document.createElement(tag);
    if (cls) { el.className = cls; }
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    if (parent) { parent.appendChild(el); }
    return el;
  }

  function escapeText(text) { var d = document.createElement("div"); d.textContent = text; return d.innerHTML; }

  /* Symbols: a path around (x, y) of radius r; the arrowhead points along angle. */
  function trace(ctx, shape, x, y, r, angle) {
    var i, a;
    function polygon(points, rotation, inner) {
      var count = inner ? points * 2 : points;
      for (i = 0; i < count; i++) {
        a = rotation + i * 2 * Math.PI / count;
        var rr = inner && i % 2 ? r * inner : r;
        if (i === 0) { ctx.moveTo(x + rr * Math.cos(a), y + rr * Math.sin(a)); } else { ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a)); }
      }
      ctx.closePath();
    }
    switch (shape) {
      case "square": ctx.rect(x - r * 0.82, y - r * 0.82, r * 1.64, r * 1.64); break;
      case "diamond": polygon(4, -Math.PI / 2); break;
      case "triangle": polygon(3, -Math.PI / 2); break;
      case "pentagon": polygon(5, -Math.PI / 2); break;
      case "hexagon": polygon(6, 0); break;
      case "star": polygon(5, -Math.PI / 2, 0.45); break;
      case "arrowhead": polygon(3, angle || 0); break;
      case "cross":
        var w = r * 0.36;
        ctx.moveTo(x - w, y - r); ctx.lineTo(x + w, y - r); ctx.lineTo(x + w, y - w); ctx.lineTo(x + r, y - w);
        ctx.lineTo(x + r, y + w); ctx.lineTo(x + w, y + w); ctx.lineTo(x + w, y + r); ctx.lineTo(x - w, y + r);
        ctx.lineTo(x - w, y + w); ctx.lineTo(x - r, y + w); ctx.lineTo(x - r, y - w); ctx.lineTo(x - w, y - w);
        ctx.closePath(); break;
      case "ring":
        ctx.arc(x, y, r, 0, Math.PI * 2, false); ctx.moveTo(x + r * 0.5, y);
        ctx.arc(x, y, r * 0.5, 0, Math.PI * 2, true); break;
      default: ctx.arc(x, y, r, 0, Math.PI * 2, false);
    }
  }

  function defineMarker() {
    if (L.ConflictMarker) { return; }
    /* A canvas circle marker drawn as another symbol, with an optional count label. */
    L.ConflictMarker = L.CircleMarker.extend({
      _updatePath: function () {
        var renderer = this._renderer;
        if (!renderer._drawing || this._empty()) { return; }
        var ctx = renderer._ctx, o = this.options, x = this._point.x, y = this._point.y, angle = 0;
        if (o.from) {  // an arrowhead: point away from where the line starts, back off the target
          var q = this._map.latLngToLayerPoint(o.from);
          angle = Math.atan2(y - q.y, x - q.x);
          x -= Math.cos(angle) * o.back; y -= Math.sin(angle) * o.back;
        }
        ctx.beginPath();
        trace(ctx, o.shape, x, y, this._radius, angle);
        renderer._fillStroke(ctx, this);
        if (o.label) {
          ctx.globalAlpha = 1; ctx.fillStyle = "#fff"; ctx.font = "bold 11px sans-serif";
          ctx.textAlign = "center"; ctx.textBaseline = "middle"; ctx.fillText(o.label, x, y);
        }
      }
    });
  }

  /* 256 colours [r, g, b] of a ramp of [position 0-1, colour] stops. */
  function palette(stops) {
    var c = node("canvas"), ctx = c.getContext("2d"), g = ctx.createLinearGradient(0, 0, 256, 0);
    c.width = 256; c.height = 1;
    stops.forEach(function (s) { g.addColorStop(s[0], s[1]); });
    ctx.fillStyle = g; ctx.fillRect(0, 0, 256, 1);
    var d = ctx.getImageData(0, 0, 256, 1).data, out = [];
    for (var k = 0; k < 256; k++) { out.push([d[4 * k], d[4 * k + 1], d[4 * k + 2]]); }
    return out;
  }

  /* The density kernel (quartic) as [dx, dy, weight] on the grid, weight 1 at its centre. */
  function kernel(r) {
    var out = [];
    for (var dy = -r; dy <= r; dy++) {
      for (var dx = -r; dx <= r; dx++) {
        var d2 = (dx * dx + dy * dy) / (r * r);
        if (d2 < 1) { out.push([dx, dy, (1 - d2) * (1 - d2)]); }
      }
    }
    return out;
  }

  /* A canvas the size of the map showing where the points given by `each(add)` crowd: each
   * point (add(x, y), world pixels) adds a kernel to a coarse grid, the grid is coloured by
   * its share of the densest cell. Cost: a kernel per point, plus one pass over the grid. */
  function defineDensity() {
    if (L.ConflictDensity) { return; }
    var colours, spot = kernel(HEAT_RADIUS);
    L.ConflictDensity = L.Layer.extend({
      initialize: function (each, options) { this._each = each; L.setOptions(this, options); },
      onAdd: function (map) {
        this._canvas = node("canvas", "cm-density leaflet-zoom-hide", null, map.getPane(this.options.pane));
        this.redraw();
      },
      onRemove: function () { L.DomUtil.remove(this._canvas); },
      getEvents: function () { return {moveend: this.redraw}; },
      redraw: function () {
        var map = this._map;
        if (!map) { return; }
        var size = map.getSize(), origin = map.getPixelBounds().min, c = this._canvas;
        var w = Math.ceil(size.x / HEAT_CELL), h = Math.ceil(size.y / HEAT_CELL), grid = new Float32Array(w * h);
        this._each(function (px, py) {
          var cx = Math.round((px - origin.x) / HEAT_CELL), cy = Math.round((py - origin.y) / HEAT_CELL);
          if (cx < -HEAT_RADIUS || cy < -HEAT_RADIUS || cx > w + HEAT_RADIUS || cy > h + HEAT_RADIUS) { return; }
          for (var k = 0; k < spot.length; k++) {
            var x = cx + spot[k][0], y = cy + spot[k][1];
            if (x >= 0 && y >= 0 && x < w && y < h) { grid[y * w + x] += spot[k][2]; }
          }
        });
        var max = 0, k;
        for (k = 0; k < grid.length; k++) { if (grid[k] > max) { max = grid[k]; } }
        colours = colours || palette(HEAT_RAMP);
        var small = node("canvas"), sctx = small.getContext("2d");
        small.width = w; small.height = h;
        var image = sctx.createImageData(w, h), px = image.data;
        for (k = 0; max && k < grid.length; k++) {
          if (!grid[k]) { continue; }
          var t = Math.sqrt(grid[k] / max), rgb = colours[Math.min(255, Math.floor(t * 256))];
          px[4 * k] = rgb[0]; px[4 * k + 1] = rgb[1]; px[4 * k + 2] = rgb[2];
          px[4 * k + 3] = Math.round(255 * this.options.opacity * t);
        }
        sctx.putImageData(image, 0, 0);
        c.width = size.x; c.height = size.y;
        L.DomUtil.setPosition(c, map.containerPointToLayerPoint([0, 0]));
        c.getContext("2d").drawImage(small, 0, 0, w * HEAT_CELL, h * HEAT_CELL);
      }
    });
  }

  /* A basemap label (a span of the cmLabels pane) written on a canvas where it shows: x, y its box. */
  function drawLabel(ctx, span, x, y, box) {
    var st = getComputedStyle(span), mid = y + box.height / 2;
    ctx.font = st.fontStyle + " " + st.fontWeight + " " + st.fontSize + " " + st.fontFamily;
    ctx.letterSpacing = st.letterSpacing === "normal" ? "0px" : st.letterSpacing;
    ctx.textAlign = "right"; ctx.textBaseline = "middle";  // a capital's dot comes before its name
    var text = st.textTransform === "uppercase" ? span.textContent.toUpperCase() : span.textContent;
    ctx.lineWidth = 3; ctx.strokeStyle = LAND; ctx.strokeText(text, x + box.width, mid);
    ctx.fillStyle = st.color; ctx.fillText(text, x + box.width, mid);
    if (span.parentNode.classList.contains("cm-label-capital")) {
      ctx.fillStyle = "#777"; ctx.beginPath(); ctx.arc(x + 2, mid, 2, 0, 2 * Math.PI); ctx.fill();
    }
  }

  /* The map's view as one canvas the size of the map: the panes' canvases, street tiles (when
   * `tiles`) and basemap labels, bottom pane first. Controls and popups are left out. */
  function snapshot(map, tiles) {
    var container = map.getContainer(), size = map.getSize(), at = container.getBoundingClientRect();
    var out = node("canvas"), ctx = out.getContext("2d");
    out.width = size.x; out.height = size.y;
    ctx.fillStyle = getComputedStyle(container).backgroundColor; ctx.fillRect(0, 0, size.x, size.y);
    function z(pane) { return parseInt(getComputedStyle(pane).zIndex, 10) || 0; }
    var panes = Array.prototype.slice.call(map.getPane("mapPane").querySelectorAll(".leaflet-pane"));
    panes.sort(function (a, b) { return z(a) - z(b); }).forEach(function (pane) {
      pane.querySelectorAll(tiles ? "canvas, img.leaflet-tile-loaded, .cm-label span" : "canvas, .cm-label span").forEach(function (el) {
        var box = el.getBoundingClientRect(), x = box.left - at.left, y = box.top - at.top;
        if (!box.width || !box.height) { return; }
        if (el.tagName === "SPAN") { drawLabel(ctx, el, x, y, box); } else { ctx.drawImage(el, x, y, box.width, box.height); }
      });
    });
    return out;
  }

  /* Download the view as a PNG named after the map's day; tiles from another site make the canvas
   * unreadable ("tainted"), so then the PNG goes without them and `told` says so. */
  function downloadPng(map, day, told) {
    var canvas = snapshot(map, true);
    try { canvas.getContext("2d").getImageData(0, 0, 1, 1); } catch (e) {
      canvas = snapshot(map, false);
      told("Saved without the street tiles: their server does not allow copying them");
    }
    canvas.toBlob(function (blob) {
      var a = node("a", null, null, document.body);
      a.href = URL.createObjectURL(blob); a.download = "conflict-map-" + day + ".png";
      a.click(); L.DomUtil.remove(a);
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);  // once the download has it
    }, "image/png");
  }

  /* Outlines arrive as whole numbers: a ring's first point, then steps (geo/maps.py). */
  function decodeGeometry(g) {
    return {type: "MultiPolygon", coordinates: g.polygons.map(function (rings) {
      return rings.map(function (r) {
        var out = [], x = 0, y = 0;
        for (var k = 0; k < r.length; k += 2) { x += r[k]; y += r[k + 1]; out.push([x / g.scale, y / g.scale]); }
        return out;
      });
    })};
  }

  function radiusFor(fatalities) {
    return fatalities < 0 ? 6 : Math.min(24, 6 + 2.2 * Math.sqrt(fatalities));
  }

  function symbolCanvas(shape, colour, radius, dashed) {
    var size = Math.ceil(radius * 2 + 4), c = node("canvas", "cm-symbol");
    c.width = size; c.height = size;
    var ctx = c.getContext("2d");
    ctx.beginPath(); trace(ctx, shape, size / 2, size / 2, radius, 0);
    ctx.fillStyle = colour; ctx.globalAlpha = 0.85; ctx.fill("evenodd");
    ctx.globalAlpha = 1; ctx.strokeStyle = "#333"; ctx.lineWidth = 1;
    if (dashed) { ctx.setLineDash([2, 2]); }
    ctx.stroke();
    return c;
  }

  function lineSample(colour, dashed, arrow) {
    var c = node("canvas", "cm-symbol"); c.width = 30; c.height = 14;
    var ctx = c.getContext("2d");
    ctx.strokeStyle = colour; ctx.lineWidth = 2; if (dashed) { ctx.setLineDash([5, 4]); }
    ctx.beginPath(); ctx.moveTo(2, 7); ctx.lineTo(arrow ? 22 : 28, 7); ctx.stroke();
    if (arrow) { ctx.beginPath(); trace(ctx, "arrowhead", 23, 7, 6, 0); ctx.fillStyle = colour; ctx.fill(); }
    return c;
  }

  /* Draw a page's events on `map`. `source`: the id of the <script> holding the JSON blob, or
   * the blob itself. `options` (the app's live map): basemap (land, when the blob has none),
   * view {lat, lon, zoom}, day (a day number), window, selected (an event id), and
   * onState(state), told of every view, window and selection the reader chooses. */
  function show(map, source, options) {
    defineMarker(); defineDensity();
    options = options || {};
    var data = typeof source === "string" ? JSON.parse(document.getElementById(source).textContent) : source;
    var ev = data.events, S = data.strings, n = ev.type.length;
    var container = map.getContainer();
    var cat = new Int8Array(n), mx = new Float64Array(n), my = new Float64Array(n);
    var visible = new Uint8Array(n), nVisible = 0, minDay = Infinity, maxDay = -Infinity, i;
    for (i = 0; i < n; i++) {
      cat[i] = data.typeCategory[ev.type[i]];
      var phi = Math.max(-85.05, Math.min(85.05, ev.lat[i])) * Math.PI / 180;
      mx[i] = (ev.lon[i] + 180) / 360;
      my[i] = (1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2;
      if (ev.start[i] < minDay) { minDay = ev.start[i]; }
      if (ev.end[i] > maxDay) { maxDay = ev.end[i]; }
    }
    if (!n) { minDay = maxDay = Math.floor(Date.now() / DAY_MS); }
    if (typeof options.first === "number") { minDay = options.first; }  // the app's date range
    if (typeof options.last === "number") { maxDay = Math.max(minDay, options.last); }
    var catOn = data.categories.map(function () { return true; });
    var only = options.only || null;  // the app's filters: which events may show (null: any)
    var current = maxDay, windowKind = "all", drawn = {singles: 0, clusters: 0, events: 0};
    if (typeof options.day === "number") { current = Math.max(minDay, Math.min(maxDay, options.day)); }
    if (options.window) { windowKind = options.window; }

    function pane(name, z) { var p = map.createPane(name); p.style.zIndex = z; return p; }
    pane("cmBasemap", 150); pane("cmProvinces", 250); pane("cmAreas", 350); pane("cmDensity", 400).style.pointerEvents = "none";
    pane("cmLinks", 420); pane("cmEvents", 450);
    var eventCanvas = L.canvas({pane: "cmEvents", padding: 0.2, tolerance: 3});
    var linkCanvas = L.canvas({pane: "cmLinks", padding: 0.2});
    var areaCanvas = L.canvas({pane: "cmAreas", padding: 0.2});
    var markers = L.layerGroup().addTo(map), links = L.layerGroup().addTo(map);

    if (!data.basemap && options.basemap) { data.basemap = options.basemap; }
    // Land from the gazetteer's outlines over a sea-coloured page: shown when the map has no
    // street tiles, and when they fail to load (see tilesFailed).
    var basemap = data.basemap && L.geoJSON(data.basemap.map(decodeGeometry), {renderer: L.canvas({pane: "cmBasemap", padding: 0.3}),
      interactive: false, style: {color: "#a99f8a", weight: 0.6, fillColor: LAND, fillOpacity: 1}});
    function showBasemap() {
      if (basemap) { L.DomUtil.addClass(container, "cm-offline"); basemap.addTo(map); }
      map.attributionControl.setPrefix("Leaflet");
    }
    var tiles = [];
    map.eachLayer(function (layer) { if (layer instanceof L.TileLayer) { tiles.push(layer); layer.once("tileerror", tilesFailed); } });
    if (!tiles.length) { showBasemap(); }
    map.attributionControl.addAttribution(escapeText(data.attribution));

    var areaLayers = data.areas.map(function () { return null; });
    function areaLayer(k) {
      if (!areaLayers[k] && data.areas[k].geometry) {
        areaLayers[k] = L.geoJSON(decodeGeometry(data.areas[k].geometry), {renderer: areaCanvas, interactive: false,
          style: AREA_STYLE});
      }
      return areaLayers[k];
    }

    /* ---- choropleth: the provinces (admin-1 areas) the visible events are in, shaded by their
     * number of events or deaths; off (measure null) until switched on in the legend ---- */
    var provinceCanvas = L.canvas({pane: "cmProvinces", padding: 0.2});
    var provinceLayers = data.admin1.map(function () { return null; }), provinceColours = palette(PROVINCE_RAMP);
    var measure = null, shaded = {}, rampMax = null;
    function provinceLayer(k) {
      if (!provinceLayers[k] && data.admin1[k].geometry) {
        provinceLayers[k] = L.geoJSON(decodeGeometry(data.admin1[k].geometry), {renderer: provinceCanvas,
          interactive: false, style: PROVINCE_STYLE});
      }
      return provinceLayers[k];
    }
    function shadeProvinces() {
      var value = new Float64Array(data.admin1.length), max = 0, j, k;
      for (j = 0; measure && j < n; j++) {
        if (visible[j] && ev.admin1[j] >= 0) { value[ev.admin1[j]] += measure === "events" ? 1 : Math.max(0, ev.fat[j]); }
      }
      for (k = 0; k < value.length; k++) { max = Math.max(max, value[k]); }
      shaded = {};
      for (k = 0; k < value.length; k++) {
        var layer = provinceLayer(k);
        if (!layer) { continue; }
        if (value[k] > 0) {
          var rgb = provinceColours[Math.min(255, Math.floor(value[k] / max * 256))];
          layer.setStyle({fillColor: "rgb(" + rgb.join(",") + ")"});
          if (!map.hasLayer(layer)) { layer.addTo(map); }
          shaded[data.admin1[k].name] = value[k];
        } else if (map.hasLayer(layer)) { map.removeLayer(layer); }
      }
      if (rampMax) { rampMax.textContent = count(max); }
    }

    /* ---- density: where the visible events located to a place crowd (area events would
     * pile up at their area's representative point, claiming a spot nobody reported) ---- */
    var density = new L.ConflictDensity(function (add) {
      var scale = 256 * Math.pow(2, map.getZoom());
      for (var j = 0; j < n; j++) { if (visible[j] && !(ev.gprec[j] > 0)) { add(mx[j] * scale, my[j] * scale); } }
    }, {pane: "cmDensity", opacity: 0.8});

    /* ---- basemap labels: place names under the events, the first to claim room keep it ---- */
    var LABEL_KINDS = ["country", "capital", "admin1"];
    var labels = data.labels, labelLayer = L.layerGroup().addTo(map);
    pane("cmLabels", 300).style.pointerEvents = "none";

    function placeLabels() {
      labelLayer.clearLayers();
      if (!labels || !map.hasLayer(basemap)) { return; }
      var z = map.getZoom(), size = map.getSize(), taken = [], k;
      function free(b) {
        for (var t = 0; t < taken.length; t++) {
          var o = taken[t];
          if (b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]) { return false; }
        }
        return true;
      }
      for (k = 0; k < labels.text.length; k++) {
        if (z < labels.zoom[k]) { continue; }
        var kind = labels.kind[k], p = map.latLngToContainerPoint([labels.lat[k], labels.lon[k]]);
        var w = labels.text[k].length * LABEL_CHAR[kind] + 6, h = 14;
        // a capital's name starts at its dot; a country's or province's is centred on its point
        var box = kind === 1 ? [p.x - 4, p.y - h / 2, p.x + w, p.y + h / 2] : [p.x - w / 2, p.y - h / 2, p.x + w / 2, p.y + h / 2];
        if (box[2] < 0 || box[0] > size.x || box[3] < 0 || box[1] > size.y || !free(box)) { continue; }
        taken.push(box);
        var text = node("span", null, labels.text[k]);
        labelLayer.addLayer(L.marker([labels.lat[k], labels.lon[k]], {pane: "cmLabels", interactive: false, keyboard: false,
          icon: L.divIcon({className: "cm-label cm-label-" + LABEL_KINDS[kind], html: text, iconSize: null})}));
      }
    }

    /* ---- popups: built from DOM nodes, text only ---- */
    function names(list) { return list.length ? list.map(function (k) { return S[k]; }).join(", ") : ""; }

    function whenText(j) {
      var prec = data.datePrecisions[ev.dprec[j]], start = isoDay(ev.start[j]), end = isoDay(ev.end[j]);
      if (ev.enddate[j]) { return start + " to " + end + " (dates precise to the " + prec + ")"; }
      if (prec === "day") { return start; }
      return start + ", precise to the " + prec + " (shown " + start + " to " + end + ")";
    }

    function eventPopup(j) {
      var style = data.typeStyle[ev.type[j]], box = node("div", "cm-popup");
      var head = node("div", "cm-popup-head", null, box);
      head.appendChild(symbolCanvas(style[2], style[1], 7));
      node("strong", null, style[0], head);
      node("span", "cm-muted", " · " + data.categories[cat[j]], head);
      function row(label, value) { var p = node("p", "cm-row", null, box); node("b", null, label + ": ", p); node("span", null, value, p); return p; }
      row("Date", whenText(j));
      row("Who", (names(ev.actors[j]) || "unknown") + " → " + (names(ev.targets[j]) || "no target named"));
      row("Fatalities", ev.fat[j] < 0 ? "not reported" : ev.fat[j]);
      var where = ev.place[j] >= 0 ? S[ev.place[j]] : "unknown";
      var detail = [ev.kind[j] >= 0 ? S[ev.kind[j]] : null, ev.country[j] >= 0 ? S[ev.country[j]] : null].filter(Boolean);
      row("Place", where + (detail.length ? " (" + detail.join(", ") + ")" : ""));
      var gp = ev.gprec[j] >= 0 ? data.geoPrecisions[ev.gprec[j]] : "point";
      row("Precision", PRECISION_TEXT[gp] || gp).className = "cm-row cm-precision cm-precision-" + gp;
      var src = ev.sources[j];
      node("p", "cm-sources-head", "Sources (" + src.length / 2 + ")", box);
      var list = node("ol", "cm-sources", null, box);
      for (var k = 0; k < src.length; k += 2) {
        var li = node("li", "cm-source", null, list);
        node("span", "cm-article", S[src[k]], li);
        node("q", "cm-sentence", S[src[k + 1]], li);
      }
      if (ev.id[j]) { node("p", "cm-muted cm-id", "event " + ev.id[j], box); }
      return box;
    }

    function clusterPopup(members) {
      var box = node("div", "cm-popup");
      node("strong", null, members.length + " events here", box);
      var list = node("ul", "cm-cluster-list", null, box);
      members.slice(0, MAX_LIST).forEach(function (j) {
        var li = node("li", null, null, list), a = node("a", "cm-link", null, li);
        a.textContent = isoDay(ev.start[j]) + " " + data.typeStyle[ev.type[j]][0] +
          (ev.place[j] >= 0 ? ", " + S[ev.place[j]] : "");
        a.setAttribute("role", "button"); a.tabIndex = 0;
        L.DomEvent.on(a, "click", function (e) {
          L.DomEvent.stop(e);
          L.popup({maxWidth: 380}).setLatLng([ev.lat[j], ev.lon[j]]).setContent(eventPopup(j)).openOn(map);
        });
      });
      if (members.length > MAX_LIST) { node("p", "cm-muted", "and " + (members.length - MAX_LIST) + " more; narrow the time window", box); }
      return box;
    }

    /* ---- drawing: visible events, grouped on a pixel grid ---- */
    var singleAt = {};  // event index -> its marker, while drawn on its own
    var linksDrawn = [];  // the event id of each line drawn

    function redraw() {
      markers.clearLayers(); singleAt = {};
      drawn = {singles: 0, clusters: 0, events: 0};
      var z = map.getZoom(), scale = 256 * Math.pow(2, z), pb = map.getPixelBounds();
      var x0 = pb.min.x - CELL, x1 = pb.max.x + CELL, y0 = pb.min.y - CELL, y1 = pb.max.y + CELL;
      var cells = new Map(), j;
      for (j = 0; j < n; j++) {
        if (!visible[j]) { continue; }
        var px = mx[j] * scale, py = my[j] * scale;
        if (px < x0 || px > x1 || py < y0 || py > y1) { continue; }
        var key = Math.floor(px / CELL) * 4194304 + Math.floor(py / CELL), cell = cells.get(key);
        if (!cell) { cells.set(key, {sx: px, sy: py, members: [j]}); } else { cell.sx += px; cell.sy += py; cell.members.push(j); }
      }
      // Drawn in this order, each over the last: area events, point events, clusters.
      var order = [[], [], []];
      cells.forEach(function (cell) { order[cell.members.length > 1 ? 2 : ev.gprec[cell.members[0]] > 0 ? 0 : 1].push(cell); });
      order.forEach(function (group) {
        group.forEach(function (cell) {
          var m = cell.members;
          drawn.events += m.length;
          if (m.length === 1) { drawn.singles++; singleAt[m[0]] = single(m[0]); } else { drawn.clusters++; cluster(m, cell.sx / m.length, cell.sy / m.length, z); }
        });
      });
      container.setAttribute("data-drawn-events", drawn.events);
    }

    function single(j) {
      var style = data.typeStyle[ev.type[j]], area = ev.gprec[j] > 0;
      var m = new L.ConflictMarker([ev.lat[j], ev.lon[j]], area ? {
        renderer: eventCanvas, radius: radiusFor(ev.fat[j]) * AREA_MARKER, shape: style[2], color: "#555", weight: 0.8,
        opacity: 0.6, fillColor: style[1], fillOpacity: 0.45, dashArray: "2 2"} : {
        renderer: eventCanvas, radius: radiusFor(ev.fat[j]), shape: style[2], color: "#262626", weight: 1,
        opacity: 0.9, fillColor: style[1], fillOpacity: 0.85});
      m.bindPopup(function () { return eventPopup(j); }, {maxWidth: 380});
      m.on("click", function () { select(ev.id[j], true); tell({selected: ev.id[j]}); });
      m.bindTooltip(style[0] + ", " + isoDay(ev.start[j]), {direction: "top"});
      markers.addLayer(m);
      return m;
    }

    function cluster(members, px, py, z) {
      var counts = data.categories.map(function () { return 0; }), top = 0, k;
      members.forEach(function (j) { counts[cat[j]]++; });
      for (k = 1; k < counts.length; k++) { if (counts[k] > counts[top]) { top = k; } }
      var colour = data.typeStyle[data.typeCategory.indexOf(top)][1];
      var m = new L.ConflictMarker(map.unproject([px, py], z), {
        renderer: eventCanvas, radius: Math.min(22, 10 + 3 * Math.log10(members.length)), shape: "circle",
        color: "#fff", weight: 2, opacity: 1, fillColor: colour, fillOpacity: 0.8, label: String(members.length)});
      m.on("click", function () {
        var bounds = L.latLngBounds(members.map(function (j) { return [ev.lat[j], ev.lon[j]]; }));
        var same = bounds.getNorthEast().equals(bounds.getSouthWest(), 1e-6);
        if (same || map.getZoom() >= map.getMaxZoom()) {
          L.popup({maxWidth: 380}).setLatLng(bounds.getCenter()).setContent(clusterPopup(members)).openOn(map);
        } else {
          var target = Math.max(map.getZoom() + 1, map.getBoundsZoom(bounds.pad(0.2)));
          map.setView(bounds.getCenter(), Math.min(target, map.getMaxZoom()));
        }
      });
      m.bindTooltip(members.length + " events; click to " + "zoom in", {direction: "top"});
      markers.addLayer(m);
    }

    /* Lines of visible events ending in view, the latest first, fewer the further out. */
    function drawLinks() {
      links.clearLayers(); linksDrawn = [];
      var chosen = [], view = map.getBounds().pad(0.1);
      var budget = Math.min(MAX_LINKS, LINKS_AT_ZOOM_2 * Math.pow(2, Math.max(0, map.getZoom() - 2)));
      for (var k = data.links.length - 1; k >= 0 && chosen.length < budget; k--) {
        var l = data.links[k];
        if (visible[l[0]] && view.contains([l[4], l[5]])) { chosen.push(l); }
      }
      chosen.reverse().forEach(function (l) {  // the latest drawn last, on top
        linksDrawn.push(ev.id[l[0]]);
        var j = l[0], colour = data.typeStyle[ev.type[j]][1], from = [l[2], l[3]], to = [l[4], l[5]];
        if (l[1] === 0) {
          links.addLayer(L.polyline([from, to], {renderer: linkCanvas, interactive: false, color: colour, weight: 2, opacity: 0.8}));
          links.addLayer(new L.ConflictMarker(to, {renderer: linkCanvas, interactive: false, radius: 7, shape: "arrowhead",
            from: L.latLng(from), back: radiusFor(ev.fat[j]) + 4, stroke: false, fillColor: colour, fillOpacity: 0.9}));
        } else {
          links.addLayer(L.polyline([from, to], {renderer: linkCanvas, interactive: false, color: colour, weight: 2,
            opacity: 0.85, dashArray: "6 5"}));
        }
      });
    }

    /* ---- text search: events whose place, actors, targets or sentences hold the text ---- */
    var haystacks = null, found = null;  // found[j]: does event j match (null: no search)
    function haystack(j) {
      var parts = ev.actors[j].concat(ev.targets[j], ev.place[j] >= 0 ? [ev.place[j]] : []).map(function (k) { return S[k]; });
      for (var k = 1; k < ev.sources[j].length; k += 2) { parts.push(S[ev.sources[j][k]]); }
      return parts.join("\n").toLowerCase();  // one field a line: a match never spans two
    }
    function search(text) {
      var q = text.trim().toLowerCase();
      found = q ? new Uint8Array(n) : null;
      if (q) { haystacks = haystacks || ev.type.map(function (t, j) { return haystack(j); }); }
      for (var j = 0; found && j < n; j++) { found[j] = haystacks[j].indexOf(q) >= 0 ? 1 : 0; }
      refresh();
    }

    /* ---- filtering: category switches, the app's filters, the search and the time window ---- */
    function refresh() {
      var lo = windowKind === "day" ? current : windowKind === "week" ? current - 6 : -Infinity, hi = current;
      var need = new Uint8Array(data.areas.length), j, k;
      nVisible = 0;
      for (j = 0; j < n; j++) {
        var v = catOn[cat[j]] && (!only || only[j]) && (!found || found[j]) && ev.start[j] <= hi && ev.end[j] >= lo ? 1 : 0;
        visible[j] = v;
        if (v) { nVisible++; if (ev.area[j] >= 0) { need[ev.area[j]] = 1; } }
      }
      for (k = 0; k < need.length; k++) {
        var layer = areaLayer(k);
        if (!layer) { continue; }
        if (need[k] && !map.hasLayer(layer)) { layer.addTo(map); } else if (!need[k] && map.hasLayer(layer)) { map.removeLayer(layer); }
      }
      drawLinks();
      redraw();
      density.redraw();
      shadeProvinces();
      updateStatus();
      tell();
    }

    /* ---- the reader's choices, for a page that keeps them (the app: its URL, its table) ---- */
    var told = "", selected = options.selected || null, highlight = null;
    function tell(extra) {
      if (!options.onState || !slider) { return; }
      if (extra && "selected" in extra) { selected = extra.selected; }
      var c = map.getCenter(), state = {lat: +c.lat.toFixed(4), lon: +c.lng.toFixed(4), zoom: map.getZoom(),
        day: isoDay(current), window: windowKind, selected: selected};
      var text = JSON.stringify(state);
      if (text !== told && !timer) { told = text; options.onState(state); }
    }

    function select(id, stay) {
      var j = ev.id.indexOf(id);
      selected = j < 0 ? null : id;
      if (highlight) { map.removeLayer(highlight); highlight = null; }
      if (j < 0) { return; }
      highlight = L.circleMarker([ev.lat[j], ev.lon[j]], {pane: "cmEvents", radius: radiusFor(ev.fat[j]) + 7,
        color: "#111", weight: 3, fill: false, interactive: false, className: "cm-highlight"}).addTo(map);
      if (current < ev.start[j] || (windowKind === "day" ? current : windowKind === "week" ? current - 6 : -Infinity) > ev.end[j]) {
        setDate(ev.end[j]);  // bring it into the time window
      }
      if (!stay) { map.setView([ev.lat[j], ev.lon[j]], Math.max(map.getZoom(), 6), {animate: false}); }
    }

    /* ---- controls: title, time bar, legend ---- */
    var TitleControl = L.Control.extend({options: {position: "topright"}, onAdd: function () {
      var box = node("div", "cm-title leaflet-bar");
      node("h1", null, data.title, box);
      if (data.dates) { node("p", "cm-range", data.dates[0] + " to " + data.dates[1], box); }
      var note = count(n) + (n === 1 ? " event" : " events") + " on the map";
      if (data.skipped) { note += "; " + count(data.skipped) + " without a place or date not shown"; }
      node("p", "cm-note", note, box);
      L.DomEvent.disableClickPropagation(box);
      return box;
    }});

    var slider, dateLabel, countLabel, playButton, windowSelect, speedSelect, timer = null;
    var span = maxDay - minDay, playAt = current;
    var starts = Array.from(new Set(ev.start)).sort(function (a, b) { return a - b; });

    /* The first day after `day` on which an event starts (Infinity after the last). */
    function nextStart(day) {
      var lo = 0, hi = starts.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (starts[mid] <= day) { lo = mid + 1; } else { hi = mid; } }
      return lo < starts.length ? starts[lo] : Infinity;
    }

    /* Where one tick of playback goes from `at` (a day, with a fraction): `speed` days a second
     * on, but never past a day on which an event starts, so each such day is shown. */
    function advance(at, speed) {
      var to = Math.min(maxDay, at + speed * TICK_MS / 1000);
      return Math.min(to, nextStart(Math.floor(at)));
    }

    /* The slowest speed that plays the whole span in PLAY_SECONDS, counting stops. */
    function defaultSpeed() {
      for (var k = 0; k < SPEEDS.length; k++) {
        var ticks = 0;
        for (var at = minDay; at < maxDay && ticks * TICK_MS <= PLAY_SECONDS * 1000; at = advance(at, SPEEDS[k])) { ticks++; }
        if (ticks * TICK_MS <= PLAY_SECONDS * 1000) { return SPEEDS[k]; }
      }
      return SPEEDS[SPEEDS.length - 1];
    }
    var speed = defaultSpeed();

    /* One tick of playback; false once it has reached the last day. */
    function step() {
      if (current >= maxDay) { setPlaying(false); return false; }
      var to = advance(playAt, speed);
      if (Math.floor(to) !== current) { setDate(Math.floor(to)); }
      playAt = to;
      return true;
    }

    function setPlaying(on) {
      if (timer) { clearInterval(timer); timer = null; }
      if (on) {
        if (current >= maxDay) { setDate(minDay); }
        timer = setInterval(step, TICK_MS);
      }
      playButton.textContent = on ? "❚❚" : "▶";
      playButton.setAttribute("aria-label", on ? "Pause" : "Play");
      playButton.title = on ? "Pause" : "Play through time";
    }

    function setSpeed(daysPerSecond) { speed = daysPerSecond; speedSelect.value = String(speed); }

    function setDate(day) { current = playAt = Math.max(minDay, Math.min(maxDay, day)); slider.value = String(current); refresh(); }
    function setWindow(kind) { windowKind = kind; windowSelect.value = kind; refresh(); }

    function updateStatus() {
      dateLabel.textContent = isoDay(current);
      countLabel.textContent = count(nVisible) + " of " + count(n) + " events";
      container.setAttribute("data-visible-events", nVisible);
    }

    var TimeControl = L.Control.extend({options: {position: "bottomleft"}, onAdd: function () {
      var bar = node("div", "cm-timebar leaflet-bar");
      playButton = node("button", "cm-play", "▶", bar); playButton.type = "button";
      playButton.setAttribute("aria-label", "Play"); playButton.title = "Play through time";
      slider = node("input", "cm-slider", null, bar);
      slider.type = "range"; slider.min = String(minDay); slider.max = String(maxDay); slider.step = "1";
      slider.value = String(current); slider.setAttribute("aria-label", "Date");
      if (span === 0) { slider.disabled = true; }
      dateLabel = node("span", "cm-date", null, bar);
      var label = node("label", "cm-window-label", "show ", bar);
      windowSelect = node("select", "cm-window", null, label);
      WINDOWS.forEach(function (w) { var o = node("option", null, w[1], windowSelect); o.value = w[0]; });
      windowSelect.value = windowKind;
      speedSelect = node("select", "cm-speed", null, bar); speedSelect.setAttribute("aria-label", "Speed");
      SPEEDS.forEach(function (d) { var o = node("option", null, d + (d === 1 ? " day/s" : " days/s"), speedSelect); o.value = String(d); });
      speedSelect.value = String(speed);
      if (span === 0) { speedSelect.disabled = true; }
      countLabel = node("span", "cm-count", null, bar);
      L.DomEvent.disableClickPropagation(bar); L.DomEvent.disableScrollPropagation(bar);
      L.DomEvent.on(slider, "input change", function () { setPlaying(false); setDate(parseInt(slider.value, 10)); });
      L.DomEvent.on(windowSelect, "change", function () { setWindow(windowSelect.value); });
      L.DomEvent.on(speedSelect, "change", function () { setSpeed(parseInt(speedSelect.value, 10)); });
      L.DomEvent.on(playButton, "click", function () { setPlaying(!timer); });
      return bar;
    }});

    var LegendControl = L.Control.extend({options: {position: "topright"}, onAdd: function () {
      var box = node("div", "cm-legend leaflet-bar"), present = {}, catCount = data.categories.map(function () { return 0; });
      for (var j = 0; j < n; j++) { present[ev.type[j]] = true; catCount[cat[j]]++; }
      var head = node("button", "cm-legend-toggle", "Legend", box); head.type = "button";
      var body = node("div", "cm-legend-body", null, box);
      function setOpen(open) {
        if (open) { L.DomUtil.removeClass(box, "cm-collapsed"); } else { L.DomUtil.addClass(box, "cm-collapsed"); }
        head.setAttribute("aria-expanded", String(open));
      }
      setOpen(container.clientWidth >= NARROW);  // a phone's screen is the map's: the legend waits to be asked
      L.DomEvent.on(head, "click", function () { setOpen(L.DomUtil.hasClass(box, "cm-collapsed")); });
      var find = node("input", "cm-search", null, body);
      find.type = "search"; find.placeholder = "Search places, actors, text";
      find.setAttribute("aria-label", "Search events");
      L.DomEvent.on(find, "input", function () { search(find.value); });
      L.DomEvent.on(find, "keydown", L.DomEvent.stopPropagation);  // typing "+" does not zoom
      var layers = node("div", "cm-legend-group cm-layers", null, body);
      var heat = node("label", "cm-layer", null, layers), heatBox = node("input", null, null, heat);
      heatBox.type = "checkbox"; node("span", null, " Density", heat);
      heat.title = "Where the events in the time window located to a place crowd, densest in red";
      L.DomEvent.on(heatBox, "change", function () { if (heatBox.checked) { density.addTo(map); } else { map.removeLayer(density); } });
      if (data.admin1.length) {
        var row = node("div", "cm-layer", null, layers), prov = node("label", null, null, row);
        var provBox = node("input", null, null, prov);
        provBox.type = "checkbox"; node("span", null, " Provinces by ", prov);
        row.title = "Each province (admin-1 area) shaded by its events, or deaths, in the time window";
        var by = node("select", "cm-measure", null, row); by.setAttribute("aria-label", "Shade provinces by");
        PROVINCE_MEASURES.forEach(function (m) { var o = node("option", null, m[1], by); o.value = m[0]; });
        var ramp = node("div", "cm-legend-item cm-ramp-row", null, layers);
        node("span", null, "0", ramp);
        node("span", "cm-ramp", null, ramp).style.background = "linear-gradient(to right, " +
          PROVINCE_RAMP.map(function (s) { return s[1] + " " + s[0] * 100 + "%"; }).join(", ") + ")";
        rampMax = node("span", "cm-ramp-max", null, ramp);
        var setMeasure = function () {
          measure = provBox.checked ? by.value : null;
          ramp.style.display = measure ? "" : "none";
          shadeProvinces();
        };
        setMeasure();
        L.DomEvent.on(provBox, "change", setMeasure); L.DomEvent.on(by, "change", setMeasure);
      }
      data.categories.forEach(function (name, c) {
        if (!catCount[c]) { return; }
        var group = node("div", "cm-legend-group", null, body), label = node("label", "cm-category", null, group);
        var box2 = node("input", null, null, label); box2.type = "checkbox"; box2.checked = true; box2.value = name;
        node("span", null, " " + name + " (" + catCount[c] + ")", label);
        L.DomEvent.on(box2, "change", function () { catOn[c] = box2.checked; refresh(); });
        data.types.forEach(function (t, k) {
          if (!present[k] || data.typeCategory[k] !== c) { return; }
          var item = node("div", "cm-legend-item", null, group), st = data.typeStyle[k];
          item.appendChild(symbolCanvas(st[2], st[1], 6)); node("span", null, st[0], item);
        });
      });
      var sizes = node("div", "cm-legend-item cm-sizes", null, body);
      [0, 10, 50].forEach(function (f) { sizes.appendChild(symbolCanvas("circle", "#bdbdbd", radiusFor(f))); node("span", null, f + " ", sizes); });
      node("span", null, "killed", sizes);
      var extra = [[symbolCanvas("circle", "#bdbdbd", 6 * AREA_MARKER, true), "located only to an area (shaded)"],
        [lineSample("#d7191c", false, true), "cross-border strike or attack"],
        [lineSample("#2166ac", true, false), "call or meeting between states"],
        [symbolCanvas("circle", "#636363", 10), "several events (click to zoom)"]];
      extra.forEach(function (e) { var item = node("div", "cm-legend-item", null, body); item.appendChild(e[0]); node("span", null, e[1], item); });
      L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
      return box;
    }});

    var ExportControl = L.Control.extend({options: {position: "topleft"}, onAdd: function () {
      var box = node("div", "cm-export leaflet-bar"), button = node("button", "cm-export-button", "PNG", box);
      var note = node("span", "cm-export-note", null, box);
      button.type = "button"; button.title = "Download this view as a PNG image";
      button.setAttribute("aria-label", "Download the map as PNG");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.on(button, "click", function () {
        note.textContent = "";
        downloadPng(map, isoDay(current), function (text) { note.textContent = text; });
      });
      return box;
    }});

    /* Street tiles that do not load (no network) give way to the outlines, with a note saying so. */
    function tilesFailed() {
      if (!map.hasLayer(tiles[0])) { return; }
      tiles.forEach(function (layer) {
        map.removeLayer(layer);
        // Moving the attribution control (below) credited the tiles a second time: take that back too.
        map.attributionControl.removeAttribution(layer.getAttribution());
      });
      showBasemap(); placeLabels();
      var Notice = L.Control.extend({options: {position: "bottomleft"}, onAdd: function () {
        var box = node("div", "cm-notice leaflet-bar", "Street tiles could not be loaded; showing the offline outlines");
        box.setAttribute("role", "status");
        return box;
      }});
      new Notice().addTo(map);
    }

    // One column per side, so no control covers another: title and legend top right; the time
    // bar, attribution and scale bottom left (a bottom corner stacks the latest added on top).
    if (container.clientWidth < NARROW) { L.DomUtil.addClass(container, "cm-narrow"); }
    map.attributionControl.setPosition("bottomleft");
    var title = new TitleControl().addTo(map), legend = new LegendControl().addTo(map);
    var timebar = new TimeControl().addTo(map);
    new ExportControl().addTo(map);
    map.on("moveend", function () { placeLabels(); drawLinks(); redraw(); tell(); });
    refresh();
    placeLabels();
    if (options.view) {
      map.setView([options.view.lat, options.view.lon], options.view.zoom, {animate: false});
    } else if (n) {
      var bounds = L.latLngBounds([]);
      for (i = 0; i < n; i++) { bounds.extend([ev.lat[i], ev.lon[i]]); }
      // Keep the events clear of the controls: the title above, the legend right, the time bar below.
      var right = Math.min(legend.getContainer().offsetWidth, container.clientWidth / 3) + 20;
      var top = Math.min(title.getContainer().offsetHeight, container.clientHeight / 4) + 20;
      var bottom = Math.min(timebar.getContainer().parentNode.offsetHeight, container.clientHeight / 3) + 10;
      map.fitBounds(bounds, {paddingTopLeft: [50, top], paddingBottomRight: [right, bottom], maxZoom: 7, animate: false});
    }

    if (selected) { select(selected, !!options.view); }

    var api = {
      map: map, data: data,
      visibleCount: function () { return nVisible; },
      drawn: function () { return {singles: drawn.singles, clusters: drawn.clusters, events: drawn.events}; },
      visibleIds: function () { var out = []; for (var j = 0; j < n; j++) { if (visible[j]) { out.push(ev.id[j]); } } return out; },
      setDate: function (value) { setPlaying(false); setDate(typeof value === "string" ? Math.round(Date.parse(value) / DAY_MS) : value); },
      setWindow: setWindow,
      setCategory: function (name, on) { var c = data.categories.indexOf(name); catOn[c] = !!on; refresh(); },
      /* Where an event's own marker is, in page pixels (null while it is clustered or hidden). */
      markerPoint: function (id) {
        var j = ev.id.indexOf(id);
        if (j < 0 || !singleAt[j]) { return null; }
        var p = map.latLngToContainerPoint([ev.lat[j], ev.lon[j]]), r = container.getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y};
      },
      playing: function () { return !!timer; },
      select: select,
      selected: function () { return selected; },
      /* The app's filters and date range, without drawing the map anew: `mask[j]` says whether
       * event j may show; the time bar runs from `first` to `last` (day numbers). */
      setOnly: function (mask) { only = mask; refresh(); },
      setRange: function (first, last) {
        minDay = first; maxDay = last; span = maxDay - minDay;
        slider.min = String(minDay); slider.max = String(maxDay); slider.disabled = span === 0;
        setDate(current);
      },
      /* How an event's own marker is drawn (null while clustered or hidden): its radius, its fill's
       * opacity and that of its area's shading (null for a point event). */
      markerStyle: function (id) {
        var j = ev.id.indexOf(id), m = singleAt[j];
        if (j < 0 || !m) { return null; }
        var area = ev.area[j] >= 0 ? areaLayer(ev.area[j]) : null, shaded = area && map.hasLayer(area);
        return {radius: m.options.radius, fillOpacity: m.options.fillOpacity,
          areaFillOpacity: shaded ? area.getLayers()[0].options.fillOpacity : null};
      },
      /* The provinces shaded: {name: events or deaths in the time window}. */
      provinces: function () { return Object.assign({}, shaded); },
      /* The event id of each arrow and contact line drawn. */
      drawnLinks: function () { return linksDrawn.slice(); },
      /* Playback speed in days per second (as the speed select offers: SPEEDS). */
      setSpeed: setSpeed,
      speed: function () { return speed; },
      /* One tick of playback, as the Play button's timer runs it; false at the last day. */
      step: step
    };
    container.conflictmap = api;
    window.conflictmap.maps.push(api);
    return api;
  }

  window.conflictmap = {show: show, maps: []};
}());
