// browser.generate_classes: a class-conditional GAN (the fixture tiny-cgan: 16 z values + a one-hot of 3 classes,
// two named directions) in the Generate tab: class choice, same class + seed = same picture, the grid of 16 in one
// batch with a tile taken as the sample, sliders named by the manifest's directions, the truncation (the manifest's
// default, another value, the grid's kept when a tile is taken, out of range refused), and the PNG download.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { openApp } from './harness.mjs';

let app;
before(async () => {
  app = await openApp();
  await app.set('engine', 'wasm');
  await app.set('tab', 1);
  await app.set('gan_model', 'tiny-cgan');
});
after(async () => {
  if (app) {
    app.assertOnlyLocalRequests();
    await app.close();
  }
});

test('the class is an input: same class + seed = same picture, another class another', { timeout: 90000 }, async () => {
  await app.set('gan_seed', 5);
  await app.set('gan_class', 1);
  const dress = await app.renderGenerated('gan', 'gan_sample');
  const status = await app.status();
  assert.equal(status.generate.gan_class_name, 'dress');
  assert.equal(status.generate.gan_z_size, 16 + 3, 'the latent is z and the one-hot class');
  assert.ok(dress.stddev > 5, `the sample is not flat (stddev ${dress.stddev})`);
  await app.set('gan_class', 2);
  const bag = await app.renderGenerated('gan', 'gan_sample');
  assert.notEqual(bag.hash, dress.hash, 'the same seed in another class gives another picture');
  await app.set('gan_class', 1);
  const again = await app.renderGenerated('gan', 'gan_sample');
  assert.equal(again.hash, dress.hash, 'the same class and seed give the same picture');
  assert.deepEqual(status.generate.gan_directions, ['wider', 'brighter'], 'sliders named by the manifest');
  await app.screenshot('13-generate-class');
});

test('the grid: 16 samples in one run; a tile taken is the sample of its seed', { timeout: 90000 }, async () => {
  await app.set('gan_seed', 20);
  await app.set('gan_class', 0);
  const before = (await app.status()).generate.gan_grid_serial;
  assert.equal(await app.action('gan_grid'), '');
  const s = await app.waitFor(`s.generate.gan_grid_serial > ${before} && !s.generate.busy || s.error !== ""`, 60000);
  assert.equal(s.error, '');
  const hashes = s.generate.gan_grid.map((tile) => tile.hash);
  assert.equal(hashes.length, 16);
  assert.equal(new Set(hashes).size, 16, 'sixteen different seeds give sixteen different pictures');
  await app.screenshot('14-generate-grid');
  // Tile 3 is seed 23: taking it renders the same picture large, and sampling seed 23 directly agrees.
  const taken = await app.renderGenerated('gan', 'gan_pick:3');
  assert.equal(taken.hash, hashes[3], 'the large picture is the tile that was taken');
  assert.equal((await app.status()).generate.gan_z_size, 19);
  await app.set('gan_seed', 23);
  assert.equal((await app.renderGenerated('gan', 'gan_sample')).hash, hashes[3], 'seed 23 is tile 3');
});

test('truncation: the manifest default applies, another value another picture, refused outside (0, 1]', { timeout: 90000 }, async () => {
  await app.set('gan_seed', 5);
  await app.set('gan_class', 1);
  let status = await app.status();
  assert.equal(status.generate.gan_default_truncation, 0.75, 'the fixture manifest sets 0.75');
  assert.equal(status.generate.gan_truncation, 0.75, 'a model starts at its default');
  const typical = await app.renderGenerated('gan', 'gan_sample');
  await app.set('gan_truncation', 1);
  const drawn = await app.renderGenerated('gan', 'gan_sample');
  assert.notEqual(drawn.hash, typical.hash, 'z as drawn is another picture than z x 0.75');
  // The grid keeps the truncation it was made with: a tile taken is that picture.
  await app.set('gan_truncation', 0.3);
  const before = (await app.status()).generate.gan_grid_serial;
  assert.equal(await app.action('gan_grid'), '');
  const s = await app.waitFor(`s.generate.gan_grid_serial > ${before} && !s.generate.busy || s.error !== ""`, 60000);
  assert.equal(s.error, '');
  await app.set('gan_truncation', 1);
  assert.equal((await app.renderGenerated('gan', 'gan_pick:0')).hash, s.generate.gan_grid[0].hash,
               'the tile taken is its picture, at the grid\'s truncation');
  assert.ok(Math.abs((await app.status()).generate.gan_truncation - 0.3) < 1e-6, 'taking a tile takes its truncation');
  // Saved away from the default, the name says so (the seed alone would not make it again).
  const { name } = await app.download('gan-truncated.png', 'gan_save');
  assert.equal(name, 'tiny-cgan-dress-seed-5-truncation-0.30.png');
  // Out of range: refused with the reason, nothing drawn, the app keeps running.
  await app.set('gan_truncation', 0);
  const refused = await app.action('gan_sample');
  assert.match(refused, /truncation .* is outside \(0, 1\]/);
  assert.match((await app.status()).error, /truncation 0 is outside/, 'the refusal is shown');
  // Back at the default: the same picture as before, and the refusal's message goes once a picture is made.
  await app.set('gan_truncation', 0.75);
  const serial = (await app.status()).generate.gan.serial;
  assert.equal(await app.action('gan_sample'), '');
  status = await app.waitFor(`s.generate.gan.serial > ${serial} && !s.generate.busy`, 60000);
  assert.equal(status.error, '', 'the message of the refusal is gone');
  assert.equal(status.generate.gan.hash, typical.hash, 'back at the default: the same picture');
});

test('Save PNG downloads the sample, 8x with crisp pixels', { timeout: 60000 }, async () => {
  await app.set('gan_seed', 5);
  await app.set('gan_class', 1);
  const shown = await app.renderGenerated('gan', 'gan_sample');
  const { name, image } = await app.download('gan-sample.png', 'gan_save');
  assert.equal(name, 'tiny-cgan-dress-seed-5.png');
  assert.equal(image.width, shown.width * 8);
  assert.equal(image.height, shown.height * 8);
  // Every 8x8 block is one colour (nearest-neighbour), and the blocks' mean is the shown picture's mean.
  let sum = 0;
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++)
      for (let c = 0; c < 4; c++) {
        const v = image.rgba[(y * image.width + x) * 4 + c];
        const corner = image.rgba[((y - (y % 8)) * image.width + (x - (x % 8))) * 4 + c];
        if (v !== corner) assert.fail(`pixel ${x},${y} differs from its block's corner: not crisp`);
        sum += v;
      }
  const mean = sum / image.rgba.length;
  assert.ok(Math.abs(mean - shown.mean) < 0.01, `PNG mean ${mean} equals the picture's ${shown.mean}`);
});
