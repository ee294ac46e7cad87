#!/usr/bin/env node
// Benchmark (prints figures; not a test): the Stylize tab's Webcam mode on Chromium's fake camera, playing a still
// scene (a real photo) with fresh sensor-like noise in every frame, on WASM with a shipped style:
//   - frames per second, ms from grabbing a frame to showing it, and session.run's share, as the app's read-out
//     shows them, for each page configuration (threads, ORT's proxy worker);
//   - flicker: the mean absolute change between consecutive camera frames and between consecutive stylized frames
//     (0..255, R, G, B), with the app's Steady option off and on.
// The test browser.webcam checks the same path with the test fixtures.
//
//   node web/bench/webcam.mjs [--model ID[,ID...]] [--side 320] [--pairs 12] [--noise 2.5] [--camera 640x480]
//                             [--photo tests/shared/data/mountain.jpg] [--configs ",threads=1"] [--json FILE]
// --configs: page URL parameters per run, comma-separated ('' = the page as a person gets it); several models are
// measured one after the other in each page, switched live. The photo is cropped to the camera's aspect ratio.
// Models come from models/ (the shipped ones); needs the assembled site/ (cmake --build --preset web).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { fakeCameraArgs, writeStillY4m } from '../../tests/browser/fake_camera.mjs';
import { option } from './options.mjs';

const modelIds = option('--model', 'starry-night').split(',');
const side = Number.parseInt(option('--side', '320'), 10);
const pairs = Number.parseInt(option('--pairs', '12'), 10);
const noise = Number.parseFloat(option('--noise', '2.5'));
const [cameraW, cameraH] = option('--camera', '640x480').split('x').map(Number);
const photoFile = path.resolve(option('--photo', 'tests/shared/data/mountain.jpg'));
const configs = option('--configs', ',threads=1').split(',');
const jsonFile = option('--json', null);

// The harness serves $SF_FIXTURES/models at /models/: the repo root, so the shipped models.
process.env.SF_FIXTURES ||= path.resolve('.');
process.env.SF_OUT ||= path.join(os.tmpdir(), 'styleforge-webcam-bench');
const { openApp } = await import('../../tests/browser/harness.mjs');

// The photo (any format Chromium reads) cropped to the camera's aspect ratio (centred) and scaled to its size, as
// RGBA, decoded by the browser itself.
async function decodeScaled(file, width, height) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const rgba = await page.evaluate(async ([base64, w, h]) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes]));
      const canvas = new OffscreenCanvas(w, h);
      const context = canvas.getContext('2d');
      context.imageSmoothingQuality = 'high';
      const k = Math.min(bitmap.width / w, bitmap.height / h);
      context.drawImage(bitmap, (bitmap.width - w * k) / 2, (bitmap.height - h * k) / 2, w * k, h * k, 0, 0, w, h);
      return Array.from(context.getImageData(0, 0, w, h).data);
    }, [fs.readFileSync(file).toString('base64'), width, height]);
    return { width, height, rgba: Uint8Array.from(rgba) };
  } finally {
    await browser.close();
  }
}

fs.mkdirSync(process.env.SF_OUT, { recursive: true });
const cameraFile = path.join(process.env.SF_OUT, 'webcam-bench.y4m');
const scene = await decodeScaled(photoFile, cameraW, cameraH);
writeStillY4m(cameraFile, scene, { frames: 30, fps: 30, noise, seed: 3 });
console.log(`models ${modelIds.join(', ')}, WASM, headless Chromium; fake camera ${cameraW}x${cameraH} at 30 fps playing ` +
            `${path.basename(photoFile)} with Gaussian noise of std ${noise} per frame; frames scaled to ${side} px; ` +
            `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);

// Waits for `count` frame pairs of a series after series number `after` and returns the app's figures for them.
async function measure(app, modelId, count, after) {
  const s = await app.waitFor(`s.webcam.model === '${modelId}' && s.webcam.flicker.series > ${after} && ` +
                              `s.webcam.flicker.pairs >= ${count} || ` +
                              `s.error !== '' || s.webcam.camera === 'failed'`, 600000);
  if (s.error) throw new Error(s.error);
  const w = s.webcam;
  return { series: w.flicker.series, fps: w.fps, ms_per_frame: w.ms_per_frame, inference_ms: w.inference_ms,
           readout: w.readout,
           size: `${w.output.width}x${w.output.height}`, pairs: w.flicker.pairs, input_change: w.flicker.input_change,
           output_change: w.flicker.output_change, ratio: w.flicker.output_change / w.flicker.input_change };
}

const results = [];
for (const config of configs) {
  const app = await openApp({ args: fakeCameraArgs(cameraFile), query: config ? `?${config}` : '' });
  try {
    await app.set('engine', 'wasm');
    await app.set('model', modelIds[0]);
    await app.set('webcam_side', side);
    await app.set('webcam_steady', 0);
    await app.set('mode', 'webcam');
    const threads = (await app.status()).runtime.threads;
    console.log(`${config || '(default page)'}: ${threads} thread${threads === 1 ? '' : 's'}`);
    for (const modelId of modelIds) {
      let series = (await app.status()).webcam.flicker.series;
      await app.set('webcam_steady', 0);
      await app.set('model', modelId);  // a new series starts with the style or the setting
      const off = await measure(app, modelId, pairs, series);
      series = off.series;
      await app.set('webcam_steady', 1);
      const on = await measure(app, modelId, pairs, series);
      const row = { config: config || '(default)', threads, model: modelId, off, on };
      results.push(row);
      console.log(`  ${modelId}: ${off.readout}; with Steady: ${on.readout}`);
      console.log(`    flicker, Steady off: camera ${off.input_change.toFixed(2)}, stylized ` +
                  `${off.output_change.toFixed(2)} (${off.ratio.toFixed(2)}x) over ${off.pairs} pairs`);
      console.log(`    flicker, Steady on:  camera ${on.input_change.toFixed(2)}, stylized ` +
                  `${on.output_change.toFixed(2)} (${on.ratio.toFixed(2)}x) over ${on.pairs} pairs`);
    }
  } finally {
    await app.close();
  }
}
if (jsonFile) {
  fs.writeFileSync(jsonFile, JSON.stringify({ models: modelIds, side, noise, camera: `${cameraW}x${cameraH}`,
                                              load: os.loadavg()[0], results }, null, 2) + '\n');
}
