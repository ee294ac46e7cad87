// browser.slow_webgpu: Auto's watch on the first WebGPU run. SwiftShader stands in for a slow GPU: the page is
// told to let Auto try a software adapter (?webgpu=software-ok) and given a deadline (?slow_ms). A run that beats
// the deadline stays on WebGPU; one that does not is answered by WASM (same picture as onnxruntime-node), and Auto
// then runs every model on WASM, saying why.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { FIXTURES, input, manifest, openApp } from './harness.mjs';
import { decodePng } from './png.mjs';
import { compareImages, stylizeReference } from './reference.mjs';

const stylize = async (app, model, photo) => {
  await app.set('model', model);
  await app.upload('photo', input(photo));
  await app.waitFor(`s.stylize.photo !== null && s.stylize.photo_name === '${photo}'`, 20000);
  assert.equal(await app.action('stylize'), '');
  const s = await app.waitFor('!s.stylize.running && (s.stylize.result !== null || s.error !== "")', 120000);
  assert.equal(s.error, '');
  return s;
};

test('a first WebGPU run within the deadline stays on WebGPU', { timeout: 120000 }, async () => {
  const app = await openApp({ query: '?webgpu=software-ok&slow_ms=60000' });
  try {
    const s = await stylize(app, 'tiny-style', 'tiny.png');
    assert.equal(s.engine, 'auto');
    assert.equal(s.last_run.engine, 'webgpu');
    assert.equal(s.last_run.fallback_reason, '');
  } finally {
    await app.close();
  }
});

test('a first WebGPU run past the deadline is answered by WASM, and Auto stays on WASM', { timeout: 180000 }, async () => {
  const app = await openApp({ query: '?webgpu=software-ok&slow_ms=1500' });
  try {
    const s = await stylize(app, 'tiny-style', 'photo.png');
    assert.equal(s.last_run.engine, 'wasm');
    assert.match(s.last_run.fallback_reason, /first WebGPU run took more than 1\.5 s/);
    assert.equal(s.runtime.webgpu_runtime_loaded, true, 'WebGPU was really tried');
    const { image } = await app.download('slow-webgpu-fallback.png');
    const photo = decodePng(fs.readFileSync(input('photo.png')));
    const entry = manifest().models.find((m) => m.id === 'tiny-style');
    const reference = await stylizeReference(path.join(FIXTURES, 'models', 'tiny-style.onnx'), entry, photo);
    assert.ok(compareImages(image, reference).meanAbs < 2, 'the WASM answer is the stylized photo');

    // Another model under Auto goes straight to WASM with the same reason.
    const next = await stylize(app, 'tiny-style-b', 'tiny.png');
    assert.equal(next.last_run.engine, 'wasm');
    assert.match(next.last_run.fallback_reason, /first WebGPU run took more than/);
    await app.set('tab', 2);
    await app.screenshot('70-engine-slow-webgpu-fallback');
  } finally {
    await app.close();
  }
});
