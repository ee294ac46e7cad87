// browser.offline: the site served as a plain static host serves it (no COOP/COEP headers), under a path as a
// GitHub Pages project site is (/styleforge/). The service worker
// (site/sw.js) makes the page cross-origin isolated, so WASM runs on 2 threads; after one visit, with the network
// off and the server gone, a reload still stylizes a photo from the worker's copies.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { input, openApp } from './harness.mjs';

let app;
before(async () => {
  app = await openApp({ isolation: false, serviceWorkers: 'allow', query: '?threads=2', basePath: '/styleforge/' });
});
after(async () => { if (app) await app.close(); });

const stylize = async () => {
  await app.upload('photo', input('photo.png'));
  await app.waitFor('s.stylize.photo !== null', 20000);
  assert.equal(await app.action('stylize'), '');
  const s = await app.waitFor('!s.stylize.running && (s.stylize.result !== null || s.error !== "")', 90000);
  assert.equal(s.error, '');
  assert.equal(s.stylize.result.width, 320);
  return s;
};

test('no COOP/COEP from the host: the service worker isolates the page, WASM runs 2 threads', { timeout: 120000 }, async () => {
  assert.equal(await app.page.evaluate(() => window.styleforge.serviceWorker), 'registered');
  assert.equal(await app.page.evaluate(() => navigator.serviceWorker.controller.scriptURL), `${app.origin}/styleforge/sw.js`);
  assert.equal(await app.page.evaluate(() => globalThis.crossOriginIsolated), true);
  const s = await stylize();
  assert.equal(s.runtime.cross_origin_isolated, true);
  assert.equal(s.runtime.threads, 2);
  assert.equal(s.last_run.engine, 'wasm');
  await app.set('tab', 2);
  await app.screenshot('60-plain-host-isolated-by-service-worker');
  await app.set('tab', 0);
});

test('offline after one visit: a reload still stylizes', { timeout: 120000 }, async () => {
  await app.page.context().setOffline(true);
  await app.stopServer();
  await app.page.reload();
  await app.page.waitForFunction(() => window.styleforge !== undefined, null, { timeout: 60000 });
  await app.page.evaluate(() => window.styleforge.ready);
  await app.waitFor('s.manifest.loaded', 30000);
  const s = await stylize();
  assert.equal(s.runtime.cross_origin_isolated, true, 'the cached copies carry the isolation headers too');
  await app.screenshot('61-offline-stylized');
});
