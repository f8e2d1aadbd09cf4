// Offline app shell (service worker): the built files are precached at install, so a signed-in device can open
// the page and unlock from IndexedDB while the server is down. The API (/api) is never cached.
// The asset list and version below are filled in at build time by vite.config.ts.
const ASSETS = __ASSETS__;
const CACHE = `cryptex-shell-${__VERSION__}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(ASSETS);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (req.mode === "navigate") {
    // The page itself: the network first (new versions), the cached shell when the server is unreachable.
    event.respondWith(
      fetch(req).catch(async () => {
        const hit = await caches.match("/", { cacheName: CACHE });
        if (hit) return hit;
        throw new Error("offline and no cached app");
      }),
    );
    return;
  }
  // Hashed build files never change: the cache first.
  event.respondWith(caches.match(req, { cacheName: CACHE }).then((hit) => hit ?? fetch(req)));
});
