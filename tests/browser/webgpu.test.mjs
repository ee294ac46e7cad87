// browser.webgpu: the same model on WebGPU (SwiftShader here, so at a tiny size) matches onnxruntime-node.
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

test('WebGPU stylization matches onnxruntime-node within 2/255', { timeout: 120000 }, async () => {
  const s0 = await app.status();
  // SwiftShader here: a software adapter, which Auto skips but "WebGPU only" uses.
  assert.match(s0.runtime.webgpu, /available|software adapter only/, `this test needs a WebGPU adapter: ${s0.runtime.webgpu}`);
  assert.equal(s0.runtime.webgpu_runtime_loaded, false, 'the WebGPU build of ONNX Runtime loads only when needed');
  await app.set('engine', 'webgpu');
  await app.set('model', 'tiny-style');
  await app.upload('photo', input('tiny.png'));
  await app.waitFor('s.stylize.photo !== null', 20000);
  assert.equal(await app.action('stylize'), '');
  const s = await app.waitFor('!s.stylize.running', 100000);
  assert.equal(s.error, '');
  assert.equal(s.last_run.engine, 'webgpu');
  assert.equal(s.last_run.fallback_reason, '');
  assert.equal(s.runtime.webgpu_runtime_loaded, true);
  const { image } = await app.download('stylize-webgpu.png');
  const photo = decodePng(fs.readFileSync(input('tiny.png')));
  const entry = manifest().models.find((m) => m.id === 'tiny-style');
  const reference = await stylizeReference(path.join(FIXTURES, 'models', 'tiny-style.onnx'), entry, photo);
  const diff = compareImages(image, reference);
  console.log(`webgpu vs onnxruntime-node: mean abs ${diff.meanAbs.toFixed(3)}, max abs ${diff.maxAbs}`);
  assert.ok(diff.meanAbs < 2, `mean abs difference ${diff.meanAbs} >= 2/255`);
  await app.set('tab', 2);
  await app.screenshot('30-engine-webgpu');
});
