// Offline app shell: same-origin GETs of the app (never /api) are fetched from the network first and kept in a
// cache, so a signed-in device can open the page and unlock from IndexedDB while the server is down.
const CACHE = "cryptex-shell-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        const res = await fetch(req);
        if (res.ok && res.type === "basic") await cache.put(req.mode === "navigate" ? "/" : req, res.clone());
        return res;
      } catch (e) {
        const hit = await cache.match(req.mode === "navigate" ? "/" : req);
        if (hit) return hit;
        throw e;
      }
    })(),
  );
});
