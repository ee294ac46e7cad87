// browser.user_model: a style model a person trained with our trainer and exported goes into the page through the
// real file input ("Add my own model") and through a drop on the canvas, is read from its ONNX metadata (the manifest
// entry `export` writes), joins the styles for this visit and stylizes a photo like a gallery style, matching
// onnxruntime-node on the same input; wrong files (not ONNX, a generator, ONNX without styleforge metadata, a
// model exported before the entry was stored) get their own messages and the app stays usable.
//
// The model is trained here: `styleforge-trainer style` for 4 steps at width 8 (~40 s on the 2-core machine), then
// `export`. The trainer comes from the native build (SF_TRAINER); without it, or without ../shared/data (the style
// painting and content photos), the test prints "styleforge-skip:" and ctest counts it as skipped.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES, OUT, input, openApp } from './harness.mjs';
import { decodePng } from './png.mjs';
import { compareImages, stylizeReference } from './reference.mjs';

const TRAINER = path.resolve(process.env.SF_TRAINER || 'build/native/bin/styleforge-trainer');
const SHARED_DATA = path.resolve(process.env.SF_SHARED_DATA || '../shared/data');
const PAINTING = path.join(SHARED_DATA, 'paintings', 'opencv_starry_night.jpg');
const PHOTOS = path.join(SHARED_DATA, 'photos');
const WORK = path.join(OUT, 'user-model');
const MODEL = path.join(WORK, 'my-style.onnx');
const MANIFEST = path.join(WORK, 'my-style-manifest.json');

const missing = [TRAINER, PAINTING, PHOTOS].filter((p) => !fs.existsSync(p));
if (missing.length > 0) console.log(`styleforge-skip: ${missing.join(', ')} not found (build the native preset; ../shared/data)`);
const skip = missing.length > 0 ? 'the trainer or the training data is missing' : false;

// A tiny style run and its export, as a person would make one (only smaller).
function trainAndExport() {
  fs.rmSync(WORK, { recursive: true, force: true });
  const content = path.join(WORK, 'content');
  fs.mkdirSync(content, { recursive: true });
  for (const f of fs.readdirSync(PHOTOS).filter((n) => n.endsWith('.jpg')).sort().slice(0, 2))
    fs.copyFileSync(path.join(PHOTOS, f), path.join(content, f));
  const run = path.join(WORK, 'run');
  // lr 0.05: 4 steps move the (photo + change) network well away from the photo, so "it stylized" can be checked.
  execFileSync(TRAINER, ['style', '--style', PAINTING, '--content', content, '--out', run, '--image-size', '64',
                         '--batch-size', '2', '--steps', '4', '--lr', '0.05', '--width', '8', '--threads', '1',
                         '--preview-every', '0'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 240000 });
  execFileSync(TRAINER, ['export', '--run', run, '--out', MODEL, '--id', 'my-style', '--name', 'My tiny style',
                         '--credits', 'Test run on The Starry Night (public domain)', '--manifest', MANIFEST],
               { stdio: ['ignore', 'ignore', 'pipe'] });
  return JSON.parse(fs.readFileSync(MANIFEST, 'utf8')).models[0];
}

let app;
let entry;
before(async () => {
  if (skip) return;
  entry = trainAndExport();
  app = await openApp();
});
after(async () => {
  if (app) {
    app.assertOnlyLocalRequests();
    await app.close();
  }
});

const yours = (s) => s.manifest.models.filter((m) => m.yours);

// Drops `file` on the canvas as a browser does for a file dragged from the desktop (a DragEvent with a DataTransfer
// holding a File): the page's own drop handler decides where it goes.
async function dropOnCanvas(file) {
  const base64 = fs.readFileSync(file).toString('base64');
  await app.page.evaluate(([data, name]) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name));
    const canvas = document.getElementById('canvas');
    canvas.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, [base64, path.basename(file)]);
}

test('wrong files get a clear message and the app stays usable', { skip, timeout: 120000 }, async () => {
  const gallery = (await app.status()).manifest.models.length;
  const cases = [
    [input('not-an-image.png'), /^'not-an-image.png' is not an ONNX model: .*Choose a \.onnx style model exported by styleforge-trainer/],
    [path.resolve('models/fashion-dcgan.onnx'), /^'fashion-dcgan.onnx' is a GAN generator, not a style model/],
    [path.join(FIXTURES, 'models', 'tiny-style.onnx'),
     /^'tiny-style.onnx' is an ONNX model, but it has no styleforge metadata.*export it with styleforge-trainer export from a style run/],
  ];
  for (const [file, message] of cases) {
    await app.action('clear_message');
    await app.upload('model', file);
    const s = await app.waitFor('s.error !== ""', 20000);
    assert.match(s.error, message);
    assert.equal(s.manifest.models.length, gallery, `${path.basename(file)} must not join the styles`);
  }
  await app.screenshot('user-model-01-generator-refused');
  // A generator dropped on the Stylize tab goes to the model check, not to the photo decoder.
  await app.action('clear_message');
  await dropOnCanvas(path.resolve('models/fashion-dcgan.onnx'));
  const dropped = await app.waitFor('s.error !== ""', 20000);
  assert.match(dropped.error, /^'fashion-dcgan.onnx' is a GAN generator, not a style model/);
  assert.equal(dropped.stylize.photo, null);
  // Still usable: a photo opens and a gallery style runs.
  await app.set('engine', 'wasm');
  await app.upload('photo', input('photo.png'));
  await app.waitFor('s.stylize.photo !== null', 20000);
  await app.set('model', 'tiny-style');
  assert.equal(await app.action('stylize'), '');
  const s = await app.waitFor('!s.stylize.running && (s.stylize.result !== null || s.error !== "")', 60000);
  assert.equal(s.error, '');
  assert.notEqual(s.stylize.result, null);
});

test('a trainer-exported style model added through the file input stylizes like a gallery style', { skip, timeout: 180000 }, async () => {
  await app.set('engine', 'wasm');
  await app.action('clear_message');
  await app.upload('photo', input('photo.png'));
  await app.waitFor('s.info.startsWith("Opened \'photo.png\'")', 20000);
  await app.action('clear_message');
  await app.upload('model', MODEL);
  let s = await app.waitFor('s.manifest.models.some((m) => m.yours) || s.error !== ""', 30000);
  assert.equal(s.error, '');
  // A model of one's own is never a fast network of a gallery style (variant_of cleared) and its cost is unknown (0).
  assert.deepEqual(yours(s), [{ id: 'my-style', name: 'My tiny style (your model)', kind: 'style', yours: true,
                                variant_of: '', macs_per_pixel: 0 }]);
  assert.equal(s.stylize.model, 'my-style', 'the added model is the chosen style');
  assert.match(s.info, /^Added your model 'My tiny style \(your model\)' from 'my-style.onnx' for this visit/);
  await app.screenshot('user-model-02-added');

  await app.set('strength', 1);
  assert.equal(await app.action('stylize'), '');
  s = await app.waitFor('!s.stylize.running && (s.stylize.result !== null || s.error !== "")', 90000);
  assert.equal(s.error, '');
  assert.equal(s.last_run.engine, 'wasm');
  const first = s.stylize.result.hash;
  const { image } = await app.download('user-model-stylized.png');
  const photo = decodePng(fs.readFileSync(input('photo.png')));
  const reference = await stylizeReference(MODEL, entry, photo);
  const diff = compareImages(image, reference);
  console.log(`your model, wasm vs onnxruntime-node: mean abs ${diff.meanAbs.toFixed(3)}, max abs ${diff.maxAbs}`);
  assert.ok(diff.meanAbs <= 2, `mean abs difference ${diff.meanAbs} > 2/255`);
  const change = compareImages(photo, image).meanAbs;
  console.log(`your model changed the photo by ${change.toFixed(2)} grey levels on average`);
  assert.ok(change > 5, `the result is too close to the photo (${change})`);
  await app.screenshot('user-model-03-stylized');

  // The same file dropped on the canvas: a second copy of it, under its own id, gives the same picture.
  await app.action('clear_message');
  await dropOnCanvas(MODEL);
  s = await app.waitFor('s.manifest.models.filter((m) => m.yours).length === 2 || s.error !== ""', 30000);
  assert.equal(s.error, '');
  assert.deepEqual(yours(s)[1], { id: 'my-style-2', name: 'My tiny style (your model 2)', kind: 'style', yours: true,
                                   variant_of: '', macs_per_pixel: 0 });
  assert.equal(s.stylize.model, 'my-style-2');
  assert.equal(await app.action('stylize'), '');
  s = await app.waitFor('!s.stylize.running && (s.stylize.result !== null || s.error !== "")', 90000);
  assert.equal(s.error, '');
  assert.equal(s.stylize.result.hash, first);
  // The gallery is untouched by either.
  await app.set('model', 'tiny-style');
  assert.equal(await app.action('stylize'), '');
  s = await app.waitFor('!s.stylize.running', 60000);
  assert.equal(s.error, '');
  assert.notEqual(s.stylize.result.hash, first);
});
