// browser.generate: the GAN and VAE panels produce pictures, and the same seed gives the same picture.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { input, openApp } from './harness.mjs';

let app;
before(async () => {
  app = await openApp();
  await app.set('engine', 'wasm');
  await app.set('tab', 1);
});
after(async () => {
  if (app) {
    app.assertOnlyLocalRequests();
    await app.close();
  }
});

test('GAN: a seed gives a picture, the same seed the same picture', { timeout: 90000 }, async () => {
  await app.set('gan_seed', 7);
  const first = await app.renderGenerated('gan', 'gan_sample');
  assert.equal(first.width, 32);
  assert.ok(first.stddev > 5, `the sample is not flat (stddev ${first.stddev})`);
  await app.set('gan_seed', 8);
  const other = await app.renderGenerated('gan', 'gan_sample');
  assert.notEqual(other.hash, first.hash, 'another seed gives another picture');
  await app.set('gan_seed', 7);
  const again = await app.renderGenerated('gan', 'gan_sample');
  assert.equal(again.hash, first.hash, 'the same seed gives the same picture');
  await app.screenshot('10-generate-gan');
});

test('GAN: the interpolation animates', { timeout: 60000 }, async () => {
  const start = (await app.status()).generate.gan.serial;
  await app.set('animate', 1);
  const s = await app.waitFor(`s.generate.gan.serial >= ${start + 5}`, 30000);
  assert.ok(s.generate.anim_t > 0);
  await app.screenshot('11-generate-animating');
  await app.set('animate', 0);
  await app.waitFor('!s.generate.busy', 10000);
});

test('VAE: sample, encode two uploads, interpolate', { timeout: 90000 }, async () => {
  await app.set('vae_seed', 3);
  const sample = await app.renderGenerated('vae', 'vae_sample');
  assert.ok(sample.stddev > 5);
  const again = await app.renderGenerated('vae', 'vae_sample');
  assert.equal(again.hash, sample.hash, 'the same seed gives the same picture');

  await app.upload('vae-a', input('photo.png'));
  const a = await app.waitFor('s.generate.vae_recon_a.serial > 0 && !s.generate.busy || s.error !== ""', 60000);
  assert.equal(a.error, '');
  // The upload as the model sees it: shrunk to the encoder's 32x32 (the photo is 320x240), shown beside it.
  assert.equal(a.generate.vae_seen_a.width, 32);
  assert.equal(a.generate.vae_seen_a.height, 32);
  await app.upload('vae-b', input('vae-b.png'));
  const b = await app.waitFor('s.generate.vae_recon_b.serial > 0 && !s.generate.busy || s.error !== ""', 60000);
  assert.equal(b.error, '');
  assert.notEqual(b.generate.vae_recon_a.hash, b.generate.vae_recon_b.hash);

  await app.set('vae_t', 0.5);
  const mid = await app.renderGenerated('vae', 'vae_interpolate');
  assert.notEqual(mid.hash, b.generate.vae_recon_a.hash);
  assert.notEqual(mid.hash, b.generate.vae_recon_b.hash);
  await app.screenshot('12-generate-vae');
});
