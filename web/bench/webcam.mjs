#!/usr/bin/env node
// Benchmark (prints figures; not a test): the Stylize tab's Webcam mode on Chromium's fake camera, playing a still
// scene (a real photo) with fresh sensor-like noise in every frame, on WASM with a shipped style:
//   - frames per second, ms from grabbing a frame to showing it, and session.run's share, as the app's read-out
//     shows them, for each page configuration (threads, ORT's proxy worker), after --warmup seconds of frames;
//   - where a frame's interval goes: the camera copy, the frame (model and bridge), the wait for the next; and
//     the CPU the browser's renderer and GPU processes used meanwhile (/proc);
//   - the app as shipped against the UI redrawn every animation frame, alternately, --rounds times each;
//   - flicker: the mean absolute change between consecutive camera frames and between consecutive stylized frames
//     (0..255, R, G, B), with the app's Steady option off and on.
// The test browser.webcam checks the same path with the test fixtures.
//
//   node web/bench/webcam.mjs [--model ID[,ID...]] [--side 320] [--pairs 12] [--warmup 15] [--rounds 2]
//                             [--noise 2.5] [--camera 640x480] [--photo tests/shared/data/mountain.jpg] [--configs ",threads=1"] [--json FILE]
// --configs: page URL parameters per run, comma-separated ('' = the page as a person gets it); several models are
// measured one after the other in each page, switched live. The photo is cropped to the camera's aspect ratio.
// Models come from models/ (the shipped ones); needs the assembled site/ (cmake --build --preset web).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { fakeCameraArgs, writeStillY4m } from '../../tests/browser/fake_camera.mjs';
import { cpuSecondsByType } from '../../tests/browser/process_memory.mjs';
import { median } from './inputs.mjs';
import { option } from './options.mjs';

const modelIds = option('--model', 'starry-night').split(',');
const side = Number.parseInt(option('--side', '320'), 10);
const pairs = Number.parseInt(option('--pairs', '12'), 10);
const warmupSeconds = Number.parseFloat(option('--warmup', '15'));
const rounds = Number.parseInt(option('--rounds', '2'), 10);
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
  const cpuBefore = cpuSecondsByType(app.userDataDir), startedAt = performance.now();
  const s = await app.waitFor(`s.webcam.model === '${modelId}' && s.webcam.flicker.series > ${after} && ` +
                              `s.webcam.flicker.pairs >= ${count} || ` +
                              `s.error !== '' || s.webcam.camera === 'failed'`, 600000);
  if (s.error) throw new Error(s.error);
  const w = s.webcam;
  // CPU cores each kind of Chromium process used over the measured frames (renderer: the page, ORT's workers;
  // gpu-process: drawing the page, in software here).
  const seconds = (performance.now() - startedAt) / 1000, cpuAfter = cpuSecondsByType(app.userDataDir);
  const cores = {};
  for (const type of ['renderer', 'gpu-process']) cores[type] = ((cpuAfter[type] || 0) - (cpuBefore[type] || 0)) / seconds;
  return { cores, series: w.flicker.series, fps: w.fps, ms_per_frame: w.ms_per_frame, inference_ms: w.inference_ms,
           grab_ms: w.grab_ms, wait_ms: w.wait_ms,
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
      await app.set('webcam_steady', 1);  // switched off below: the measured series starts there
      await app.set('model', modelId);
      // The browser compiles WebAssembly in two tiers: a quick baseline first, optimised code for the hot functions
      // a few seconds later, in the background. The stream speeds up ~3x over that time (web/README.md), so the
      // figures are taken after --warmup seconds of frames, as a person sees the stream once it has settled.
      if (warmupSeconds > 0) await app.page.waitForTimeout(warmupSeconds * 1000);
      // Then, alternately, the app as shipped (the UI not redrawn while a frame is stylized and nobody touches the
      // page) and with the UI redrawn every animation frame, --rounds times each, so the two are compared under
      // the same machine load; Steady off, then on, in each.
      const byRedraw = { 0: [], 1: [] };
      let series = (await app.status()).webcam.flicker.series;
      for (let round = 0; round < rounds; ++round) {
        for (const redraw of [0, 1]) {
          await app.set('ui_redraw_always', redraw);
          await app.set('webcam_steady', 0);  // a new series starts with the style or the setting
          const off = await measure(app, modelId, pairs, series);
          await app.set('webcam_steady', 1);
          const on = await measure(app, modelId, pairs, off.series);
          series = on.series;
          byRedraw[redraw].push({ off, on });
        }
      }
      await app.set('ui_redraw_always', 0);
      const row = { config: config || '(default)', threads, model: modelId, rounds: byRedraw[0], redraw_always: byRedraw[1] };
      results.push(row);
      for (const redraw of [0, 1]) {
        const runs = byRedraw[redraw];
        const mid = (which, field) => median(runs.map((r) => r[which][field]));
        const split = (which) => `grab ${mid(which, 'grab_ms').toFixed(0)} + frame ` +
                                 `${mid(which, 'ms_per_frame').toFixed(0)} (model ${mid(which, 'inference_ms').toFixed(0)}) + wait ` +
                                 `${mid(which, 'wait_ms').toFixed(0)} ms`;
        console.log(`  ${modelId}, UI ${redraw ? 'redrawn every frame' : 'as shipped'} (median of ${runs.length}): ` +
                    `${mid('off', 'fps').toFixed(1)} fps, with Steady ${mid('on', 'fps').toFixed(1)} fps; ` +
                    `fps per round ${runs.map((r) => r.off.fps.toFixed(1)).join(' ')} / Steady ` +
                    `${runs.map((r) => r.on.fps.toFixed(1)).join(' ')}`);
        console.log(`    a frame's interval: ${split('off')}; with Steady: ${split('on')}`);
        console.log(`    CPU cores (Steady off): renderer ${median(runs.map((r) => r.off.cores.renderer)).toFixed(2)}, ` +
                    `GPU process ${median(runs.map((r) => r.off.cores['gpu-process'])).toFixed(2)}`);
      }
      const { off, on } = byRedraw[0][byRedraw[0].length - 1];
      console.log(`    read-out: ${off.readout}; with Steady: ${on.readout}`);
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
