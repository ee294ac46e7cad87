// styleforge's service worker, for two jobs a plain static host cannot do:
//  1. Offline: every same-origin GET that succeeds (the page, the app, ONNX Runtime, the models) is copied into
//     Cache Storage; when the network fails, the copy answers. Network first, so a new deploy is seen at once.
//  2. Cross-origin isolation: it adds COOP/COEP (and CORP) to every response it hands the page, so that on a host
//     that cannot send those headers (GitHub Pages) the page is still cross-origin isolated and WASM runs threads.
// Registered by web/js/service_worker.mjs, which reloads the page once when the worker first takes control.
const CACHE = 'styleforge-v1';  // change it when the way copies are kept changes; activate drops the others

self.addEventListener('install', () => self.skipWaiting());
// Taking over open pages at once lets service_worker.mjs reload into isolation; caches of older versions go.
self.addEventListener('activate', (event) => event.waitUntil((async () => {
  for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
  await self.clients.claim();
})()));

// A copy of `response` with the isolation headers. Opaque responses (other origins) cannot be changed and are
// passed on as they are; this app makes none.
function isolated(response) {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// True when the copy already kept has the response's validator: writing the 14 MB wasm into Cache Storage again on
// every visit would cost disk time for nothing.
async function sameAsCopy(cache, request, response) {
  const tag = response.headers.get('ETag');
  if (!tag) return false;
  const copy = await cache.match(request);
  return copy !== undefined && copy.headers.get('ETag') === tag;
}

async function networkThenCache(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic' && !(await sameAsCopy(cache, request, response)))
      await cache.put(request, response.clone());
    return isolated(response);
  } catch (offline) {
    // Navigations may carry test or benchmark parameters (?threads=2); any copy of the page will do.
    const copy = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
    if (copy) return isolated(copy);
    throw offline;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(networkThenCache(request));
});
