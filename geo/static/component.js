/* conflict-map: the app's live map, a Streamlit component page (geo/appmap.py builds its folder).
 *
 * Loaded once per browser session with Leaflet, conflictmap.js and the land outlines; the
 * store's events come as a file named by their hash, fetched when the store changes; each
 * rerun of the app (Streamlit's "render" message) sends only which events its filters keep
 * and the time bar's range, so a filter change keeps the reader's zoom, place, day and window
 * and draws nothing anew. The
 * reader's choices go back to the app (setComponentValue): the app keeps them in its URL and
 * selects the clicked event's row.
 *
 * The protocol is Streamlit's component messages (postMessage), written out here so the page
 * needs no build step. Part of conflict-map (MIT).
 */
(function () {
  "use strict";

  var land = {}, shownKey = null, shown = {}, state = null, sent = "", map = null, api = null, queue = Promise.resolve();
  // the land outlines: fetched once per page (and kept by the browser's cache)
  var landReady = fetch("land.json").then(function (r) { return r.json(); })
    .then(function (d) { land = d; }, function () { land = {}; });

  // the store's events: a file named by their hash, fetched as soon as a render names it
  // (while the land outlines still load), again only when the store changes
  var blobName = null, blobData = null;
  function blob(name) {
    if (name !== blobName) {
      blobName = name;
      blobData = fetch(name).then(function (r) { return r.json(); });
      blobData.then(null, function () { if (blobName === name) { blobName = null; } });
    }
    return blobData;
  }

  function send(type, extra) {
    var msg = {isStreamlitMessage: true, type: type};
    for (var k in extra) { msg[k] = extra[k]; }
    window.parent.postMessage(msg, "*");
  }

  function onState(s) {
    state = s;
    var text = JSON.stringify(s);
    if (text !== sent) { sent = text; send("streamlit:setComponentValue", {value: s, dataType: "json"}); }
  }

  /* The app's filters as a bit per event of the blob (base64), or null for all of them. */
  function mask(bits) {
    if (!bits) { return null; }
    var raw = atob(bits), out = new Uint8Array(raw.length * 8);
    for (var k = 0; k < out.length; k++) { out[k] = (raw.charCodeAt(k >> 3) >> (k & 7)) & 1; }
    return out;
  }

  function build(args, data) {
    var view = state ? {lat: state.lat, lon: state.lon, zoom: state.zoom} : args.view;
    var day = state ? Math.round(Date.parse(state.day) / 86400000) : args.day;
    var win = state ? state.window : args.window;
    if (map) { map.remove(); }
    window.conflictmap.maps = [];  // the page's one map is the newest
    var holder = document.getElementById("map"), el = document.createElement("div");
    el.className = "cm-map";
    holder.replaceChildren(el);
    map = L.map(el, {minZoom: 1, maxZoom: 18, worldCopyJump: true}).setView([25, 45], 3);
    if (args.tiles) {
      L.tileLayer(args.tiles, {attribution: "© OpenStreetMap contributors", maxZoom: 19}).addTo(map);
    }
    map.attributionControl.setPrefix("Leaflet");
    L.control.scale().addTo(map);  // as on an exported map
    api = window.conflictmap.show(map, data, {basemap: land.basemap, view: view,
      day: typeof day === "number" && !isNaN(day) ? day : undefined, window: win,
      first: args.first, last: args.last, only: mask(args.only), selected: args.selected, onState: onState});
    shown = args;
  }

  function render(args) {
    document.getElementById("map").style.height = args.height + "px";
    var key = args.data + "|" + args.tiles;
    if (key !== shownKey) {
      shownKey = key;
      return blob(args.data).then(function (data) {
        build(args, data);
        send("streamlit:setFrameHeight", {height: args.height});
      });
    }
    if (!api) { return; }
    if (args.only !== shown.only) { api.setOnly(mask(args.only)); }
    if (args.first !== shown.first || args.last !== shown.last) { api.setRange(args.first, args.last); }
    shown = args;
    if (args.selected && args.selected !== api.selected()) {
      api.select(args.selected);  // a row chosen in the table: there, highlighted
    }
  }

  window.addEventListener("message", function (event) {
    var msg = event.data;
    if (!msg || msg.type !== "streamlit:render") { return; }
    blob(msg.args.data);
    queue = queue.then(function () { return landReady; }).then(function () { return render(msg.args); })
      .then(null, function () { shownKey = null; });  // a view that did not load: tried again next time
  });
  send("streamlit:componentReady", {apiVersion: 1});
}());
