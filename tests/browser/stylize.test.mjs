// browser.stylize: the main path end to end on WASM, the bad inputs, and the request log.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES, input, manifest, openApp } from './harness.mjs';
import { decodePng } from './png.mjs';
import { compareImages, stylizeReference } from './reference.mjs';

let app;
before(async () => { app = await openApp(); });
after(async () => {
  if (app) {
    app.assertOnlyLocalRequests();
    await app.close();
  }
});

const tinyStyle = () => manifest().models.find((m) => m.id === 'tiny-style');

test('bad uploads show a message and the next valid upload works', { timeout: 60000 }, async () => {
  await app.screenshot('01-stylize-start');
  const bad = {
    'not-an-image.png': /Could not open 'not-an-image.png'/,
    'truncated.png': /Could not open 'truncated.png'/,
    'huge-header.png': /Could not open 'huge-header.png'/,
  };
  for (const [file, message] of Object.entries(bad)) {
    await app.action('clear_message');
    await app.upload('photo', input(file));
    const s = await app.waitFor('s.error !== ""', 20000);
    assert.match(s.error, message);
    assert.equal(s.stylize.photo, null, `${file} must not become the photo`);
  }
  await app.screenshot('02-stylize-bad-input');
  await app.upload('photo', input('photo.png'));
  const s = await app.waitFor('s.stylize.photo !== null', 20000);
  assert.equal(s.error, '');
  assert.equal(s.stylize.photo.width, 320);
  assert.equal(s.stylize.photo.height, 240);
});

test('WASM stylization matches onnxruntime-node within 2/255', { timeout: 120000 }, async () => {
  await app.set('engine', 'wasm');
  await app.set('model', 'tiny-style');
  await app.set('strength', 1);
  assert.equal(await app.action('stylize'), '');
  const s = await app.waitFor('!s.stylize.running && (s.stylize.result !== null || s.error !== "")', 90000);
  assert.equal(s.error, '');
  assert.equal(s.last_run.engine, 'wasm');
  assert.ok(s.last_run.session_ms > 0, 'session creation time is reported');
  assert.ok(s.last_run.inference_ms > 0, 'inference time is reported');
  assert.equal(s.last_run.tiles, 1);

  const { name, image } = await app.download('stylize-wasm.png');
  assert.match(name, /\.png$/);
  const photo = decodePng(fs.readFileSync(input('photo.png')));
  const reference = await stylizeReference(path.join(FIXTURES, 'models', 'tiny-style.onnx'), tinyStyle(), photo);
  const diff = compareImages(image, reference);
  console.log(`wasm vs onnxruntime-node: mean abs ${diff.meanAbs.toFixed(3)}, max abs ${diff.maxAbs} (0..255)`);
  assert.ok(diff.meanAbs < 2, `mean abs difference ${diff.meanAbs} >= 2/255`);
  // The check can fail: the photo itself is far from the stylised output.
  assert.ok(compareImages(photo, reference).meanAbs > 10);
  await app.screenshot('03-stylize-result');
});

test('a model that fails to load shows why, and the next run works', { timeout: 90000 }, async () => {
  await app.set('model', 'broken');
  await app.action('stylize');
  const failed = await app.waitFor('!s.stylize.running && s.error !== ""', 60000);
  assert.match(failed.error, /could not load the model/);
  await app.screenshot('04-stylize-broken-model');
  await app.set('model', 'tiny-style');
  assert.equal(await app.action('stylize'), '');
  const s = await app.waitFor('!s.stylize.running', 60000);
  assert.equal(s.error, '');
  assert.notEqual(s.stylize.result, null);
});

test('blend, colour preservation and strength change the result', { timeout: 90000 }, async () => {
  const single = (await app.status()).stylize.result.hash;
  await app.set('blend_two', 1);
  await app.set('second_model', 'tiny-style-b');
  await app.set('mix', 0.5);
  await app.set('preserve_colour', 1);
  await app.set('strength', 0.7);
  assert.equal(await app.action('stylize'), '');
  const s = await app.waitFor('!s.stylize.running', 60000);
  assert.equal(s.error, '');
  assert.notEqual(s.stylize.result.hash, single);
  assert.match(s.last_run.engine, /wasm/);
  await app.screenshot('05-stylize-blend');
  await app.set('tab', 2);
  await app.screenshot('06-engine-tab');
});
