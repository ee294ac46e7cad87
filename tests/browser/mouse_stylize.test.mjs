// browser.mouse_stylize: a person's first stylization, driven by real mouse events only (the page's own file chooser,
// clicks at the widgets' places; window.styleforge is only read, never used to act). Checks that no message moves
// any widget, that Auto runs on WASM when the only WebGPU adapter is a software one (SwiftShader here) and the
// Engine tab says why, that the WebGPU-capable ONNX Runtime build is never downloaded, and that the downloaded PNG
// is the stylized photo (onnxruntime-node reference).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FIXTURES, OUT, input, manifest, openApp } from './harness.mjs';
import { decodePng } from './png.mjs';
import { compareImages, stylizeReference } from './reference.mjs';

let app;
before(async () => { app = await openApp({ viewport: { width: 1366, height: 768 } }); });
after(async () => {
  if (app) {
    app.assertOnlyLocalRequests();
    await app.close();
  }
});

const centre = (r) => ({ x: r.x + r.w / 2, y: r.y + r.h / 2 });
// As a hand does it: move onto the widget, then press. (ImGui's tabs ignore a press on an item that another item
// was hovered over in the frame before, so a pointer that jumps and clicks at once would miss them.)
const click = async (name) => {
  const r = (await app.layout()).widgets[name];
  assert.ok(r, `${name} is on screen`);
  const { x, y } = centre(r);
  await app.page.mouse.move(x, y, { steps: 4 });
  await app.page.waitForTimeout(50);
  await app.page.mouse.down();
  await app.page.mouse.up();
};
// Every widget drawn in both layouts has the same rectangle.
const assertSamePlaces = (a, b, when) => {
  let compared = 0;
  for (const [name, r] of Object.entries(a.widgets)) {
    if (!(name in b.widgets)) continue;
    assert.deepEqual(b.widgets[name], r, `${name} moved ${when}`);
    compared++;
  }
  assert.ok(compared >= 10, `compared ${compared} widgets ${when}`);
};

test('open, stylize and download by mouse; messages never move the layout', { timeout: 120000 }, async () => {
  const start = await app.layout();
  const quiet = await app.status();
  assert.equal(quiet.info + quiet.error, '', 'no message yet');
  assert.equal(quiet.engine, 'auto');

  const [chooser] = await Promise.all([app.page.waitForEvent('filechooser', { timeout: 10000 }), click('open_photo')]);
  await chooser.setFiles(input('photo.png'));
  const opened = await app.waitFor('s.stylize.photo !== null', 20000);
  assert.match(opened.info, /Opened 'photo.png'/);
  assertSamePlaces(start, await app.layout(), 'when the "Opened" message appeared');

  await click('stylize');
  await app.waitFor('s.stylize.running || s.stylize.result !== null', 10000);
  const running = await app.layout();
  const done = await app.waitFor('!s.stylize.running && (s.stylize.result !== null || s.error !== "")', 90000);
  assert.equal(done.error, '');
  assert.match(done.info, /^Done: 320x240 on wasm/);
  assertSamePlaces(start, running, 'while the stylization ran');
  assertSamePlaces(start, await app.layout(), 'when the "Done" message appeared');
  await app.screenshot('50-mouse-stylized');

  // Auto did not take the software adapter, and said so; the 28 MB WebGPU build of ONNX Runtime never loaded.
  assert.match(done.runtime.webgpu, /software adapter only/);
  assert.equal(done.last_run.engine, 'wasm');
  assert.match(done.last_run.fallback_reason, /software/);
  assert.equal(done.runtime.webgpu_runtime_loaded, false);
  assert.deepEqual(app.requests.filter((u) => u.includes('jsep')), [], 'no request for the JSEP (WebGPU) build');
  assert.ok(app.requests.some((u) => u.endsWith('/ort/ort-wasm-simd-threaded.wasm')), 'the WASM-only build ran');

  const [download] = await Promise.all([app.page.waitForEvent('download', { timeout: 30000 }), click('download')]);
  const saved = path.join(OUT, 'mouse-stylized.png');
  await download.saveAs(saved);
  const image = decodePng(fs.readFileSync(saved));
  const photo = decodePng(fs.readFileSync(input('photo.png')));
  const entry = manifest().models.find((m) => m.id === done.stylize.model);
  const reference = await stylizeReference(path.join(FIXTURES, 'models', `${entry.id}.onnx`), entry, photo);
  assert.ok(compareImages(image, reference).meanAbs < 2, 'the download is the stylized photo');

  await click('tab.engine');
  const engineTab = await app.waitFor('s.tab === 2', 5000);
  assert.equal(engineTab.tab, 2);
  await app.screenshot('51-mouse-engine-tab-says-why');
});
