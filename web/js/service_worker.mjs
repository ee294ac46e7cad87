// Registers the site's service worker (site/sw.js: offline copies, cross-origin isolation on plain static hosts).
// On the first visit to a host without COOP/COEP the page is not isolated yet: once the worker controls the page,
// one reload makes every response come through it, with the isolation headers. A sessionStorage mark keeps that to
// one reload even where the worker cannot help (then the app runs single-threaded and the Engine tab says so).
// `?sw=0` skips the worker (benchmarks that measure a plain first load).
const RELOADED = 'styleforge-reloaded-for-isolation';

export async function startServiceWorker({ enabled }) {
  if (!enabled || !('serviceWorker' in navigator)) return 'no service worker';
  try {
    // The site root (one folder above app/), also when the site lives under a path (user.github.io/styleforge/).
    const root = new URL('../', import.meta.url);
    const registration = await navigator.serviceWorker.register(new URL('sw.js', root), { scope: root.href });
    if (globalThis.crossOriginIsolated) return 'registered';
    if (sessionStorage.getItem(RELOADED)) return 'registered; isolation not possible here';
    if (!navigator.serviceWorker.controller) {
      const controlled = await new Promise((resolve) => {
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true), { once: true });
        // Its claim may have come before we listened.
        if (registration.active && navigator.serviceWorker.controller) resolve(true);
        setTimeout(() => resolve(false), 10000);  // a worker that never activates must not hold the app back
      });
      if (!controlled) return 'registered; it did not take control';
    }
    sessionStorage.setItem(RELOADED, '1');
    location.reload();
    return new Promise(() => {});  // the page is going away; start nothing
  } catch (error) {
    // Blocked (private mode, a test browser) or unsupported: the app works without it, online and as the host allows.
    return 'not registered: ' + (error && error.message ? error.message : String(error));
  }
}
