#!/usr/bin/env node
// Benchmark (prints figures; not a test): the page's memory while stylizing, in headless Chromium on WASM.
//   1. peak: one stylization of a huge photo (default 8000x6000, the largest the app admits), in a fresh page:
//      the renderer's peak resident size (VmHWM), before and after, and how long it took;
//   2. growth: --runs stylizations in a row (default 50) of a 1024x768 photo in another fresh page: the renderer's
//      resident floor (smallest size in a window of 10 runs, i.e. just after a garbage collection) over the first
//      window after 2 warm-up runs and over the last window.
// The test browser.memory asserts the growth bound on a smaller run with a test model.
//
//   node web/bench/memory.mjs [--model ID] [--runs N] [--huge 8000x6000] [--photo 1024x768]
// Models come from models/ (the shipped ones); needs the assembled site/ (cmake --build --preset web).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { encodePng } from '../../tests/browser/png.mjs';
import { rendererMemory } from '../../tests/browser/process_memory.mjs';
import { option } from './options.mjs';

const modelId = option('--model', 'starry-night');
const runs = Number.parseInt(option('--runs', '50'), 10);
const [hugeW, hugeH] = option('--huge', '8000x6000').split('x').map(Number);
const [photoW, photoH] = option('--photo', '1024x768').split('x').map(Number);

// The harness serves $SF_FIXTURES/models at /models/: the repo root, so the shipped models.
process.env.SF_FIXTURES ||= path.resolve('.');
process.env.SF_OUT ||= path.join(os.tmpdir(), 'styleforge-memory-bench');
const { openApp } = await import('../../tests/browser/harness.mjs');

// A photo-like pattern (smooth shapes, edges, a little texture), written as PNG.
function photoFile(width, height) {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      rgb[i] = 128 + 100 * Math.sin(x / 97) * Math.cos(y / 61);
      rgb[i + 1] = (255 * x) / width;
      rgb[i + 2] = (((x >> 6) + (y >> 6)) % 2 ? 190 : 70) + ((x * 7 + y * 13) % 11);
    }
  const file = path.join(os.tmpdir(), `sf-memory-${width}x${height}.png`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, encodePng(width, height, rgb));
  return file;
}

async function openWith(file, width) {
  const app = await openApp();
  await app.set('engine', 'wasm');
  await app.set('model', modelId);
  await app.upload('photo', file);
  const s = await app.waitFor(`s.stylize.photo !== null && s.stylize.photo.width === ${width} || s.error !== ""`, 300000);
  if (s.error) throw new Error(`loading ${path.basename(file)}: ${s.error}`);
  return app;
}

async function stylize(app, timeoutMs) {
  const refused = await app.action('stylize');
  if (refused) throw new Error(`stylize refused: ${refused}`);
  const s = await app.waitFor('!s.stylize.running', timeoutMs);
  if (s.error) throw new Error(`stylize failed: ${s.error}`);
  return s.last_run;
}

const mib = (v) => `${v.toFixed(0)} MiB`;
console.log(`model ${modelId}, WASM, headless Chromium; renderer resident size from /proc (VmRSS, VmHWM)`);

{
  const file = photoFile(hugeW, hugeH);
  const app = await openWith(file, hugeW);
  const before = rendererMemory(app.userDataDir);
  const started = Date.now();
  const run = await stylize(app, 1800000);
  const after = rendererMemory(app.userDataDir);
  console.log(`peak, ${hugeW}x${hugeH} photo (${((hugeW * hugeH) / 1e6).toFixed(0)} MP, ${run.tiles} tiles, ` +
              `${((Date.now() - started) / 1000).toFixed(0)} s): renderer peak ${mib(before.peak)} with the photo ` +
              `loaded -> ${mib(after.peak)} after stylizing; resident afterwards ${mib(after.rss)}`);
  await app.close();
}

{
  const app = await openWith(photoFile(photoW, photoH), photoW);
  const rss = [];
  let ms = 0;
  for (let k = 0; k < runs; k++) {
    ms += (await stylize(app, 300000)).total_ms;
    rss.push(rendererMemory(app.userDataDir).rss);
  }
  const window = Math.min(10, Math.floor((runs - 2) / 2));
  const first = Math.min(...rss.slice(2, 2 + window)), last = Math.min(...rss.slice(runs - window));
  console.log(`growth, ${runs} runs of ${photoW}x${photoH} (mean ${(ms / runs).toFixed(0)} ms): resident floor ` +
              `${mib(first)} over runs 3-${2 + window}, ${mib(last)} over runs ${runs - window + 1}-${runs}: ` +
              `${((last / first - 1) * 100).toFixed(1)}%; range ${mib(Math.min(...rss))}-${mib(Math.max(...rss))}`);
  await app.close();
}
