// Sitrep: start fetching the map's data before Leaflet loads (components/offline.py prefetch_js).
// The URLs come in this script's own query (?u=...&u=...); the map script (components/mapview.py)
// takes the parsed responses from window.sitrepPrefetched[url], or fetches them itself.
(function () {
  var me = document.currentScript;
  if (!me || !window.fetch || !window.URL) { return; }
  var wanted = new URL(me.src).searchParams.getAll("u");
  var got = window.sitrepPrefetched = window.sitrepPrefetched || {};
  wanted.forEach(function (url) {
    if (got[url]) { return; }
    got[url] = fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
    got[url].catch(function () {});  // the map script reports failures
  });
})();
