// browser.fast_variant: a style's fast network (issue 10 item 3). The fixtures ship tiny-style-fast, a half-width
// net with "variant_of": "tiny-style". The Style list offers tiny-style once; the Network control (clicked with the
// mouse) switches to Fast, whose photo output equals onnxruntime-node running tiny-style-fast.onnx and differs from
// the quality network's; the status line names the network; the choice survives a switch to a style without a fast
// network and back; blending, tiling, strength and colour run the fast network; the Webcam mode (Chromium's fake
// camera) paints with it; and a manifest whose variant_of names no style shows the manifest's error.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES, OUT, input, manifest, openApp } from './harness.mjs';
import { decodePng } from './png.mjs';
import { fakeCameraArgs, writeStillY4m } from './fake_camera.mjs';
import { compareImages, stylizeReference } from './reference.mjs';

const CAMERA_FILE = path.join(OUT, 'fast-variant-still.y4m');
const entry = (id) => manifest().models.find((m) => m.id === id);
const modelFile = (id) => path.join(FIXTURES, 'models', entry(id).file);

let app, photo;
before(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  photo = decodePng(fs.readFileSync(input('photo.png')));
  writeStillY4m(CAMERA_FILE, photo, { frames: 10, fps: 30, noise: 1, seed: 3 });  // 320x240, shown as it is
  app = await openApp({ args: fakeCameraArgs(CAMERA_FILE) });
  await app.set('engine', 'wasm');
});
after(async () => {
  if (app) {
    app.assertOnlyLocalRequests();
    await app.close();
  }
});

// As mouse_stylize does it: move onto the point, then press.
async function clickAt(x, y) {
  await app.page.mouse.move(x, y, { steps: 4 });
  await app.page.waitForTimeout(50);
  await app.page.mouse.down();
  await app.page.mouse.up();
}

async function stylize() {
  assert.equal(await app.action('stylize'), '');
  const s = await app.waitFor('!s.stylize.running && (s.stylize.result !== null || s.error !== "")', 60000);
  assert.equal(s.error, '');
  return s;
}

let qualityImage;

test('the Style list shows the style once; Fast (clicked) runs the fast network, as onnxruntime-node does', { timeout: 90000 }, async () => {
  let s = await app.status();
  assert.equal(s.manifest.error, '');
  assert.ok(s.manifest.models.some((m) => m.id === 'tiny-style-fast' && m.variant_of === 'tiny-style'));
  assert.ok(s.stylize.styles.includes('tiny-style'));
  assert.ok(!s.stylize.styles.includes('tiny-style-fast'), `the Style list: ${s.stylize.styles}`);
  assert.equal(new Set(s.stylize.styles).size, s.stylize.styles.length, 'each style once');
  assert.equal(s.stylize.model, 'tiny-style', 'the first style is chosen at start');
  assert.equal(s.stylize.network, 'quality', 'Quality is the default');
  assert.equal(s.stylize.fast_available, true);

  await app.upload('photo', input('photo.png'));
  await app.waitFor('s.stylize.photo !== null', 20000);
  s = await stylize();
  assert.equal(s.last_run.network, 'quality');
  assert.deepEqual(s.last_run.models, ['tiny-style']);
  assert.match(s.info, /^Done: 320x240 on wasm with the quality network in /);
  qualityImage = (await app.download('fast-variant-quality.png')).image;
  const vsQuality = compareImages(qualityImage, await stylizeReference(modelFile('tiny-style'), entry('tiny-style'), photo));
  assert.ok(vsQuality.meanAbs < 2, `quality: browser vs node ${vsQuality.meanAbs}`);

  // The control beside the style choice: its right half is Fast.
  const r = (await app.layout()).widgets.network;
  assert.ok(r && r.w > 100, 'the Network control is drawn');
  await app.screenshot('fast-01-network-control');
  await clickAt(r.x + r.w * 0.75, r.y + r.h / 2);
  s = await app.waitFor('s.stylize.network === "fast"', 5000);
  assert.equal(s.stylize.network_model, 'tiny-style-fast');

  s = await stylize();
  assert.equal(s.last_run.network, 'fast');
  assert.deepEqual(s.last_run.models, ['tiny-style-fast']);
  assert.equal(s.last_run.engine, 'wasm');
  assert.match(s.info, /^Done: 320x240 on wasm with the fast network in /);
  const { image } = await app.download('fast-variant-fast.png');
  const vsNode = compareImages(image, await stylizeReference(modelFile('tiny-style-fast'), entry('tiny-style-fast'), photo));
  const vsQualityNet = compareImages(image, qualityImage);
  console.log(`fast network: vs onnxruntime-node mean abs ${vsNode.meanAbs.toFixed(3)} (max ${vsNode.maxAbs}); ` +
              `vs the quality network's picture ${vsQualityNet.meanAbs.toFixed(1)} (0..255)`);
  assert.ok(vsNode.meanAbs < 2, `fast: browser vs node ${vsNode.meanAbs}`);
  assert.ok(vsQualityNet.meanAbs > 10, 'the fast network paints differently from the quality one');
  await app.screenshot('fast-02-fast-result');
});

test('the choice survives a style switch; blend, tiles, strength and colour run the fast network', { timeout: 90000 }, async () => {
  await app.set('style', 'tiny-style-b');  // as the Style list does: the network choice stays
  let s = await app.status();
  assert.equal(s.stylize.network, 'fast');
  assert.equal(s.stylize.fast_available, false);
  assert.equal(s.stylize.network_model, 'tiny-style-b', 'a style without a fast network runs its quality one');
  s = await stylize();
  assert.deepEqual(s.last_run.models, ['tiny-style-b']);
  assert.equal(s.last_run.network, 'quality');
  await app.screenshot('fast-03-no-fast-network');
  await app.set('style', 'tiny-style');
  s = await app.status();
  assert.equal(s.stylize.network, 'fast', 'Fast is still chosen after switching back');
  assert.equal(s.stylize.network_model, 'tiny-style-fast');

  // The automation API's model ids: a fast network's id chooses its style and Fast; a style's id, Quality.
  await app.set('model', 'tiny-style');
  s = await app.status();
  assert.deepEqual([s.stylize.model, s.stylize.network], ['tiny-style', 'quality']);
  await app.set('model', 'tiny-style-fast');
  s = await app.status();
  assert.deepEqual([s.stylize.model, s.stylize.network], ['tiny-style', 'fast']);
  assert.notEqual(await app.page.evaluate(() => window.styleforge.set('network', 'turbo')), '');

  await app.set('blend_two', 1);
  await app.set('second_model', 'tiny-style-b');
  await app.set('mix', 0.5);
  await app.set('max_tile', 128);
  await app.set('strength', 0.7);
  await app.set('preserve_colour', 1);
  s = await stylize();
  assert.deepEqual(s.last_run.models, ['tiny-style-fast', 'tiny-style-b']);
  assert.equal(s.last_run.network, 'fast + quality');
  assert.ok(s.last_run.tiles > 2, `tiled: ${s.last_run.tiles} tiles`);
  assert.match(s.info, /with the fast \+ quality network/);
  for (const [key, value] of [['blend_two', 0], ['max_tile', 0], ['strength', 1], ['preserve_colour', 0]])
    await app.set(key, value);
});

test('the Webcam mode paints with the fast network', { timeout: 90000 }, async () => {
  await app.set('webcam_side', 320);
  await app.set('webcam_steady', 0);
  await app.set('mode', 'webcam');
  const s = await app.waitFor(`(s.webcam.model === 'tiny-style-fast' && s.webcam.frames >= 2) || ` +
                              `s.webcam.camera === 'failed' || s.error !== ''`, 60000);
  assert.equal(s.error, '');
  assert.equal(s.webcam.network, 'fast');
  assert.match(s.webcam.readout, /fast model \d+ ms · wasm · 320x240$/);
  assert.deepEqual([s.last_run.what, s.last_run.network], ['webcam', 'fast']);
  await app.set('webcam_paused', 1);
  await app.waitFor('!s.webcam.in_flight', 30000);
  const shot = await app.download('fast-webcam.png', 'webcam_snapshot');
  const frame = await app.download('fast-webcam-input.png', 'webcam_save_input');
  assert.match(shot.name, /^webcam-tiny-style-fast-\d+\.png$/);
  const vsNode = compareImages(shot.image, await stylizeReference(modelFile('tiny-style-fast'), entry('tiny-style-fast'), frame.image));
  console.log(`webcam, fast network: snapshot vs onnxruntime-node on its frame ${vsNode.meanAbs.toFixed(3)}`);
  assert.ok(vsNode.meanAbs < 2, `the snapshot is the fast network's output (mean abs ${vsNode.meanAbs})`);
  await app.screenshot('fast-04-webcam');
  await app.set('mode', 'photo');
});

test('a manifest whose variant_of names no style shows the manifest error', { timeout: 60000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'styleforge-bad-variant-'));
  const bad = manifest();
  bad.models.find((m) => m.id === 'tiny-style-fast').variant_of = 'tiny-stlye';
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(bad));
  const broken = await openApp({ modelsDir: dir });
  try {
    const s = await broken.status();
    const index = bad.models.findIndex((m) => m.id === 'tiny-style-fast');
    assert.equal(s.manifest.error,
                 `The model list is broken: models/manifest.json: models[${index}].variant_of: "tiny-style-fast" is a ` +
                 'fast network of "tiny-stlye", but no model has that id: list its quality style in the same ' +
                 'manifest. Rebuild the site to restore it.');
    assert.deepEqual(s.manifest.models, []);
    await broken.screenshot('fast-05-bad-variant-of');
  } finally {
    await broken.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
