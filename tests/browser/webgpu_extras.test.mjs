// browser.webgpu_extras: issue 10 item 5 on SwiftShader (software WebGPU, so at tiny sizes; correctness, not speed).
// A WebGPU session warms up once after creation and the status reports that time apart from inference; webcam
// frames on WebGPU go through a graph-captured session and are the model's output for their frame (checked against
// onnxruntime-node, as the WASM path is); a capture session that cannot be created leaves the webcam on the normal
// session with the reason in the status.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { FIXTURES, OUT, input, manifest, openApp } from './harness.mjs';
import { decodePng } from './png.mjs';
import { fakeCameraArgs, writeStillY4m } from './fake_camera.mjs';
import { compareImages, stylizeReference } from './reference.mjs';

const entry = (id) => manifest().models.find((m) => m.id === id);
const modelFile = (id) => path.join(FIXTURES, 'models', entry(id).file);
const CAMERA_FILE = path.join(OUT, 'webgpu-extras-camera.y4m');

async function stylizeOnce(app, photo) {
  await app.upload('photo', input(photo));
  await app.waitFor(`s.stylize.photo !== null && s.stylize.photo_name === '${photo}'`, 20000);
  assert.equal(await app.action('stylize'), '');
  const s = await app.waitFor('!s.stylize.running && (s.stylize.result !== null || s.error !== "")', 120000);
  assert.equal(s.error, '');
  assert.equal(s.last_run.engine, 'webgpu');
  return s.last_run;
}

test('a WebGPU session warms up once; the status reports it apart from inference', { timeout: 200000 }, async () => {
  for (const query of ['', '?warmup=off']) {
    const app = await openApp({ query });
    try {
      await app.set('engine', 'webgpu');
      await app.set('model', 'tiny-style');
      const first = await stylizeOnce(app, 'tiny.png');
      const second = await stylizeOnce(app, 'tiny.png');
      console.log(`${query || 'warm-up on'}: session ${first.session_ms.toFixed(0)} ms, warm-up ` +
                  `${first.warmup_ms.toFixed(0)} ms, first run ${first.inference_ms.toFixed(0)} ms, ` +
                  `second run ${second.inference_ms.toFixed(0)} ms (tiny.png 64x48, SwiftShader)`);
      if (query === '') {
        assert.ok(first.warmup_ms > 0, 'the warm-up ran and was timed');
        assert.equal(second.warmup_ms, first.warmup_ms, 'once per session, not per run');
        await app.set('tab', 2);
        await app.screenshot('webgpu-extras-01-engine-warmup');
      } else {
        assert.equal(first.warmup_ms, 0, 'warmup=off runs none');
      }
      // The picture is the model's whatever the warm-up did.
      const { image } = await app.download(`webgpu-extras-warmup${query ? '-off' : ''}.png`);
      const reference = await stylizeReference(modelFile('tiny-style'), entry('tiny-style'),
                                               decodePng(fs.readFileSync(input('tiny.png'))));
      assert.ok(compareImages(image, reference).meanAbs < 2);
    } finally {
      await app.close();
    }
  }
});

// Webcam on WebGPU at 64x48 frames: waits until the status predicate holds, then checks a paused frame against
// onnxruntime-node on the frame the model saw.
async function webcamOnWebGpu(query, ready, name) {
  const photo = decodePng(fs.readFileSync(input('tiny.png')));  // 64x48: the camera plays it 10x
  const scale = 10, width = photo.width * scale, height = photo.height * scale;
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 4; c++)
        rgba[(y * width + x) * 4 + c] = photo.rgba[((Math.floor(y / scale)) * photo.width + Math.floor(x / scale)) * 4 + c];
  fs.mkdirSync(OUT, { recursive: true });
  writeStillY4m(CAMERA_FILE, { width, height, rgba }, { frames: 10, fps: 30, noise: 2.5, seed: 3 });
  const app = await openApp({ query, args: fakeCameraArgs(CAMERA_FILE) });
  try {
    await app.set('engine', 'webgpu');
    await app.set('model', 'tiny-style');
    await app.set('strength', 1);
    await app.set('preserve_colour', 0);
    await app.set('webcam_side', 64);
    await app.set('mode', 'webcam');
    const s = await app.waitFor(`(${ready}) || s.webcam.camera === 'failed' || s.error !== ''`, 150000);
    assert.equal(s.error, '', 'the webcam never shows an error');
    assert.equal(s.webcam.engine, 'webgpu');
    assert.deepEqual([s.webcam.output.width, s.webcam.output.height], [64, 48]);
    // Frames keep coming after whatever capture did.
    const more = await app.waitFor(`s.webcam.frames >= ${s.webcam.frames + 2} || s.error !== ''`, 60000);
    assert.equal(more.error, '');
    await app.set('webcam_paused', 1);
    const paused = await app.waitFor('!s.webcam.in_flight', 30000);
    const shot = await app.download(`webgpu-extras-${name}.png`, 'webcam_snapshot');
    const frame = await app.download(`webgpu-extras-${name}-input.png`, 'webcam_save_input');
    const reference = await stylizeReference(modelFile('tiny-style'), entry('tiny-style'), frame.image);
    const vsModel = compareImages(shot.image, reference);
    const vsFrame = compareImages(shot.image, frame.image);
    console.log(`${name}: graph capture '${paused.webcam.graph_capture}', ${paused.webcam.captured_frames} of ` +
                `${paused.webcam.frames} frames captured, ${paused.webcam.readout}; snapshot vs onnxruntime-node ` +
                `mean abs ${vsModel.meanAbs.toFixed(3)} max ${vsModel.maxAbs}; vs its frame ${vsFrame.meanAbs.toFixed(1)}`);
    assert.ok(vsModel.meanAbs < 2, `the frame is the model's output for its input (mean abs ${vsModel.meanAbs})`);
    assert.ok(vsFrame.meanAbs > 10, 'the frame is stylized');
    await app.set('tab', 2);
    await app.screenshot(`webgpu-extras-${name}-engine`);
    return paused;
  } finally {
    await app.close();
  }
}

test('webcam frames on WebGPU run through graph capture and are the model\'s output', { timeout: 300000 }, async () => {
  const s = await webcamOnWebGpu('', 's.webcam.captured_frames >= 3 || s.webcam.graph_capture.startsWith("failed")',
                                 'capture');
  assert.equal(s.webcam.graph_capture, 'on');
  assert.ok(s.webcam.captured_frames >= 3);
  assert.equal(s.last_run.graph_capture, 'on', 'the Engine tab shows it');
});

test('a capture session that cannot be made leaves the webcam on the normal session, saying why', { timeout: 300000 }, async () => {
  const s = await webcamOnWebGpu('?graph_capture=fail', 's.webcam.graph_capture.startsWith("failed") && s.webcam.frames >= 2',
                                 'capture-failed');
  assert.match(s.webcam.graph_capture, /^failed: creating the session failed: .*gpu-buffer/);
  assert.equal(s.webcam.captured_frames, 0);
});
