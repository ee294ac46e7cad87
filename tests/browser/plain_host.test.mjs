// browser.plain_host: served like a plain static host (no COOP/COEP) with no models shipped yet: the app says
// both, runs single-threaded, and still opens photos.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { input, openApp } from './harness.mjs';

let app;
before(async () => { app = await openApp({ models: 'empty-models', isolation: false }); });
after(async () => {
  if (app) {
    app.assertOnlyLocalRequests();
    await app.close();
  }
});

test('no isolation: single-threaded and says so; no models: says so; still usable', { timeout: 60000 }, async () => {
  const s = await app.status();
  assert.equal(s.runtime.cross_origin_isolated, false);
  assert.equal(s.runtime.threads, 1);
  assert.match(s.runtime.note, /not cross-origin isolated/);
  assert.match(s.manifest.error, /No models shipped yet/);
  await app.screenshot('40-no-models');
  await app.upload('photo', input('photo.png'));
  const opened = await app.waitFor('s.stylize.photo !== null', 20000);
  assert.equal(opened.stylize.photo.width, 320);
  assert.match(await app.action('stylize'), /No style chosen/);
  await app.set('tab', 2);
  await app.screenshot('41-engine-single-threaded');
});
