#!/usr/bin/env node
// Benchmark (prints figures; not a test): one style model at 256, 512 and 1024 px, run
//   - in the browser app on WASM with 1 and with 2 threads (headless Chromium, cross-origin isolated page),
//   - natively by onnxruntime-node (CPU),
// and the share of the browser's total time spent outside session.run(): our C++ layer (pre/post-processing,
// tiling, heap copies) plus the once-per-frame polling of the JS bridge.
//
// It ends with ms per megapixel of session.run() on each backend (at the largest single-tile size), which
// --json FILE also writes, with the model's cost from its manifest entry, for scripts/model_cost.py --speed.
//
//   node web/bench/bench.mjs [--models DIR] [--model ID] [--runs N] [--tiled-at 1024:512] [--json FILE]
// Defaults: the browser-test fixtures (build/h-web/tests/browser/fixtures/models), their 'tiny-style'.
// An arbitrary-style model (--model <id>-transformer) is timed as a person uses it: a painting (a generated pattern
// at the predictor's style size) through "Use my own style image" first, then the photos; node feeds the
// transformer a fixed code (the time does not depend on the code's values).
// Needs the assembled site/ (cmake --build --preset web).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/static_server.mjs';
import { encodePng } from '../../tests/browser/png.mjs';
import { median, photoTensor, squarePhoto } from './inputs.mjs';
import { option } from './options.mjs';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

const modelsDir = path.resolve(option('--models', 'build/h-web/tests/browser/fixtures/models'));
const modelId = option('--model', 'tiny-style');
const runs = Number.parseInt(option('--runs', '3'), 10);
const sizes = [256, 512, 1024];
const [tiledSize, tiledTile] = option('--tiled-at', '1024:512').split(':').map(Number);
const jsonFile = option('--json', null);

const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, 'manifest.json'), 'utf8'));
const entry = manifest.models.find((m) => m.id === modelId);
if (!entry) {
  console.error(`bench: no model '${modelId}' in ${modelsDir}/manifest.json (build the web preset for the fixtures)`);
  process.exit(2);
}
const arbitrary = entry.kind === 'arbitrary-style';

// The test photo as a PNG file (filter 0) for the browser's file input.
function pngFile(side, rgb, file) {
  fs.writeFileSync(file, encodePng(side, side, rgb));
}

async function nodeTimes(side, rgb) {
  const session = await ort.InferenceSession.create(path.join(modelsDir, entry.file));
  const feeds = { [entry.input.name]: photoTensor(ort, entry, rgb, side) };
  if (arbitrary) feeds[entry.style_input.name] = new ort.Tensor('float32', new Float32Array(entry.code_size).fill(0.5), [1, entry.code_size]);
  await session.run(feeds);  // warm-up
  const times = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  await session.release();
  return median(times);
}

async function browserTimes(threads, files) {
  const server = await startServer({ root: 'site', port: 0, isolation: true, mounts: { '/models/': modelsDir } });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'styleforge-bench-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--use-gl=angle'],
  });
  const page = context.pages()[0] || (await context.newPage());
  const results = {};
  try {
    await page.goto(`${server.url}?threads=${threads}`);
    await page.waitForFunction(() => window.styleforge !== undefined);
    await page.evaluate(() => window.styleforge.ready);
    const sf = (code, arg) => page.evaluate(code, arg);
    await sf(([id]) => { window.styleforge.set('engine', 'wasm'); window.styleforge.set('model', id); }, [modelId]);
    if (arbitrary) {  // a style image first: its code is what the transformer runs with (chosen once read)
      await page.setInputFiles('#sf-upload-style', path.join(os.tmpdir(), 'sf-bench-painting.png'));
      const s = await sf(() => window.styleforge.waitFor((st) => st.stylize.custom_styles.length > 0 || st.error, 600000));
      if (s.error) throw new Error(s.error);
    }
    const runOnce = async (maxTile) => {
      await sf((t) => window.styleforge.set('max_tile', t), String(maxTile));
      await sf(() => window.styleforge.action('stylize'));
      const s = await sf(() => window.styleforge.waitFor((st) => !st.stylize.running, 600000));
      if (s.error) throw new Error(s.error);
      return s;
    };
    for (const [key, side, maxTile] of files) {
      await page.setInputFiles('#sf-upload-photo', path.join(userDataDir, '..', `sf-bench-${side}.png`));
      await sf((w) => window.styleforge.waitFor((st) => st.stylize.photo && st.stylize.photo.width === w), side);
      const first = await runOnce(maxTile);  // warm-up (creates the session once)
      results.runtime = first.runtime;
      const rows = [];
      for (let r = 0; r < runs; r++) rows.push((await runOnce(maxTile)).last_run);
      results[key] = {
        total: median(rows.map((x) => x.total_ms)), inference: median(rows.map((x) => x.inference_ms)),
        bridge: median(rows.map((x) => x.bridge_ms)), tiles: rows[0].tiles,
      };
    }
  } finally {
    await context.close();
    await server.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  return results;
}

if (arbitrary) {
  const predictor = manifest.models.find((m) => m.id === entry.predictor);
  pngFile(predictor.style_size, squarePhoto(predictor.style_size), path.join(os.tmpdir(), 'sf-bench-painting.png'));
}
const files = [];
const inputs = {};
for (const side of sizes) {
  inputs[side] = squarePhoto(side);
  pngFile(side, inputs[side], path.join(os.tmpdir(), `sf-bench-${side}.png`));
  files.push([String(side), side, Math.max(side, entry.max_tile || 512) + 64]);
}
files.push([`${tiledSize}/tiles of ${tiledTile}`, tiledSize, tiledTile]);

console.log(`model '${modelId}' (${entry.file}) from ${modelsDir}; median of ${runs} runs after one warm-up`);
const node = {};
for (const side of sizes) node[side] = await nodeTimes(side, inputs[side]);
const browser = { 1: await browserTimes(1, files), 2: await browserTimes(2, files) };
console.log(`browser: ${JSON.stringify(browser[2].runtime && { isolated: browser[2].runtime.cross_origin_isolated, proxy: browser[2].runtime.proxy })}`);

const pad = (s, n) => String(s).padStart(n);
console.log('\n' + ['input', 'node ms', 'wasm1 inf', 'wasm1 total', 'wasm2 inf', 'wasm2 total', 'wasm1/node',
                     'wasm2/node', '2thr speedup', 'outside run (1 thr)', 'of which copies'].map((h, i) => pad(h, i ? 12 : 18)).join(' '));
for (const [key, side] of files) {
  const b1 = browser[1][key], b2 = browser[2][key];
  const n = key === String(side) ? node[side] : null;
  const share = (b1.total - b1.inference) / b1.total;
  console.log([
    pad(key + (b1.tiles > 1 ? ` (${b1.tiles} tiles)` : ''), 18),
    pad(n ? n.toFixed(1) : '-', 12), pad(b1.inference.toFixed(1), 12), pad(b1.total.toFixed(1), 12),
    pad(b2.inference.toFixed(1), 12), pad(b2.total.toFixed(1), 12),
    pad(n ? (b1.inference / n).toFixed(2) + 'x' : '-', 12), pad(n ? (b2.inference / n).toFixed(2) + 'x' : '-', 12),
    pad((b1.inference / b2.inference).toFixed(2) + 'x', 12), pad((100 * share).toFixed(1) + '%', 12),
    pad(b1.bridge.toFixed(1) + ' ms', 12),
  ].join(' '));
}
console.log('\ninf = session.run() only; total = click to picture (decode excluded): image->tensor, tiling, copies ' +
            'into/out of ONNX Runtime, blending, tensor->image, texture upload, and up to one frame of polling per run.');

// ms per megapixel, from the largest size run as one tile (the per-image overheads weigh least there).
const largest = sizes[sizes.length - 1], megapixels = (largest * largest) / 1e6;
const speed = {
  model: modelId, size: largest, runs, cost: entry.cost || null,
  where: `${os.cpus().length} cores, ${os.cpus()[0].model.trim()}, load average ${os.loadavg()[0].toFixed(1)} at the end`,
  wasm1_ms_per_mp: browser[1][String(largest)].inference / megapixels,
  wasm2_ms_per_mp: browser[2][String(largest)].inference / megapixels,
  node_ms_per_mp: node[largest] / megapixels,
};
console.log(`\nms per megapixel (session.run at ${largest}x${largest}): browser WASM 1 thread ` +
            `${speed.wasm1_ms_per_mp.toFixed(0)}, 2 threads ${speed.wasm2_ms_per_mp.toFixed(0)}, onnxruntime-node ` +
            `${speed.node_ms_per_mp.toFixed(0)}` + (entry.cost ? `; ${entry.cost.macs_per_pixel} multiply-adds per pixel ` +
            `-> ${(2 * entry.cost.macs_per_pixel / speed.wasm2_ms_per_mp).toFixed(1)} GFLOP/s on WASM 2 threads, ` +
            `${(2 * entry.cost.macs_per_pixel / speed.node_ms_per_mp).toFixed(1)} in node` : ''));
if (jsonFile) fs.writeFileSync(jsonFile, JSON.stringify(speed, null, 2) + '\n');
