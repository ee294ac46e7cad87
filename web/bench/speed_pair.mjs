#!/usr/bin/env node
// Benchmark (prints figures; not a test): two style models timed side by side, so their speed ratio is measured in
// one run under one machine load (issue 10: "a third of the compute"). For each of browser WASM with 1 thread,
// WASM with 2 threads and onnxruntime-node, the two models run alternately (A, B, A, B, ...) on the same photo,
// one tile; it prints the median session.run time of each, ms per megapixel and the ratio A / B.
//
//   node web/bench/speed_pair.mjs --pair A,B [--models DIR] [--size 1024] [--runs 5] [--json FILE]
//   node web/bench/speed_pair.mjs --ui-pair A [...]  # one model, the app's UI resting while it runs (as shipped)
//                                                    # against the UI drawn every animation frame, alternately
// Models come from DIR (default models/, the shipped ones) and its manifest.json; needs the assembled site/
// (cmake --build --preset web). --json FILE writes both models' figures as a list in bench.mjs's format, which
// scripts/model_cost.py puts on the cards of every model with the same graph cost (models/bench.json).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

import { encodePng } from '../../tests/browser/png.mjs';
import { median, photoTensor, squarePhoto } from './inputs.mjs';
import { option } from './options.mjs';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

const modelsDir = path.resolve(option('--models', 'models'));
const uiPair = option('--ui-pair', null);  // one model; the two columns are the two UI policies (web/src/main.cpp)
const pair = uiPair ? [uiPair, uiPair] : option('--pair', '').split(',').filter(Boolean);
const side = Number.parseInt(option('--size', '1024'), 10);
const runs = Number.parseInt(option('--runs', '5'), 10);
const jsonFile = option('--json', null);
if (pair.length !== 2 || !(side >= 64 && side % 4 === 0) || !(runs >= 1)) {
  console.error('usage: speed_pair.mjs --pair A,B | --ui-pair A [--models DIR] [--size N (a multiple of 4, >= 64)] [--runs N]');
  process.exit(2);
}
const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, 'manifest.json'), 'utf8'));
const entries = pair.map((id) => {
  const entry = manifest.models.find((m) => m.id === id);
  if (!entry || entry.kind !== 'style') {
    console.error(`speed_pair: '${id}' is not a style model in ${modelsDir}/manifest.json`);
    process.exit(2);
  }
  return entry;
});
const megapixels = (side * side) / 1e6;

const rgb = squarePhoto(side);
const photoFile = path.join(os.tmpdir(), `sf-speed-pair-${side}.png`);
fs.writeFileSync(photoFile, encodePng(side, side, rgb));

async function nodeTimes() {
  const sessions = await Promise.all(entries.map((e) => ort.InferenceSession.create(path.join(modelsDir, e.file))));
  const feeds = entries.map((e) => ({ [e.input.name]: photoTensor(ort, e, rgb, side) }));
  const times = [[], []];
  for (let k = 0; k < 2; k++) await sessions[k].run(feeds[k]);  // warm-up
  for (let r = 0; r < runs; r++)
    for (let k = 0; k < 2; k++) {
      const t0 = performance.now();
      await sessions[k].run(feeds[k]);
      times[k].push(performance.now() - t0);
    }
  for (const s of sessions) await s.release();
  return times.map(median);
}

// The app on WASM with `threads` threads, both models in one page: each run is a click on Stylize, and the time
// is the app's own session.run figure (last_run.inference_ms), as bench.mjs reports it.
async function browserTimes(threads) {
  process.env.SF_FIXTURES ||= path.resolve('.');
  process.env.SF_OUT ||= path.join(os.tmpdir(), 'styleforge-speed-pair');
  const { openApp } = await import('../../tests/browser/harness.mjs');
  const app = await openApp({ modelsDir, query: `?threads=${threads}` });
  try {
    await app.set('engine', 'wasm');
    await app.set('max_tile', String(side + 64));  // one tile
    await app.upload('photo', photoFile);
    const loaded = await app.waitFor(`s.stylize.photo !== null && s.stylize.photo.width === ${side} || s.error !== ""`, 300000);
    if (loaded.error) throw new Error(loaded.error);
    const once = async (id, k) => {
      if (uiPair) await app.set('ui_redraw_always', k);
      await app.set('model', id);
      const refused = await app.action('stylize');
      if (refused) throw new Error(`stylize refused: ${refused}`);
      const s = await app.waitFor('!s.stylize.running', 600000);
      if (s.error) throw new Error(`${id}: ${s.error}`);
      return s.last_run.inference_ms;
    };
    for (let k = 0; k < 2; k++) await once(pair[k], k);  // warm-up: creates both sessions
    const times = [[], []];
    for (let r = 0; r < runs; r++)
      for (let k = 0; k < 2; k++) times[k].push(await once(pair[k], k));
    return times.map(median);
  } finally {
    await app.close();
  }
}

console.log(`${uiPair ? `${uiPair}, the UI resting vs drawn every frame (node: the same model twice),` : `${pair[0]} vs ${pair[1]}`} from ${modelsDir}, ${side}x${side} as one tile, median of ${runs} ` +
            `alternating runs after a warm-up; ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
const rows = [['onnxruntime-node', await nodeTimes()], ['browser WASM 1 thread', await browserTimes(1)],
              ['browser WASM 2 threads', await browserTimes(2)]];
const pad = (s, n) => String(s).padStart(n);
const cost = entries.map((e) => (e.cost ? `${e.cost.macs_per_pixel} MAC/px` : 'cost ?'));
const columns = uiPair ? [`UI resting ms/MP`, `UI every frame ms/MP`] : [`${pair[0]} ms/MP`, `${pair[1]} ms/MP`];
console.log('\n' + [pad('', 24), pad(columns[0], 22), pad(columns[1], 22), pad('ratio A/B', 10)].join(' '));
for (const [name, [a, b]] of rows)
  console.log([pad(name, 24), pad((a / megapixels).toFixed(0), 22), pad((b / megapixels).toFixed(0), 22),
               pad((a / b).toFixed(2) + 'x', 10)].join(' '));
const where = `${os.cpus().length} cores, ${os.cpus()[0].model.trim()}, load average ${os.loadavg()[0].toFixed(1)} at the end`;
console.log(`\ncost: ${pair[0]} ${cost[0]}, ${pair[1]} ${cost[1]}; ${where}`);
if (jsonFile && !uiPair) {
  const perModel = (k) => ({
    model: pair[k], size: side, runs, cost: entries[k].cost || null, where,
    bench: `web/bench/speed_pair.mjs, timed alternately with ${pair[1 - k]}`,
    node_ms_per_mp: rows[0][1][k] / megapixels, wasm1_ms_per_mp: rows[1][1][k] / megapixels,
    wasm2_ms_per_mp: rows[2][1][k] / megapixels,
  });
  fs.writeFileSync(jsonFile, JSON.stringify([perModel(0), perModel(1)], null, 2) + '\n');
}
