#!/usr/bin/env node
// Benchmark (prints figures; not a test): where a browser WASM run of a model spends its time, per operator.
// ONNX Runtime Web's own profiler (session option enableProfiling) runs in headless Chromium on the site's
// WASM build of ORT (site/ort/ort.wasm.min.mjs, the one the app uses); its per-node kernel times are summed by
// operator type and by node over each run after a warm-up. Given two or more models, their runs are interleaved
// in one page, so load from other processes hits them alike and the columns compare side by side.
//
//   node web/bench/profile_ops.mjs [--size 512] [--threads 1] [--runs 5] [--top 12] MODEL.onnx [MODEL2.onnx ...]
// Needs the assembled site/ (cmake --build --preset web) for ORT's files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/static_server.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0 || i + 1 >= args.length) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const side = Number(option('--size', '512'));
const threads = Number(option('--threads', '1'));
const runs = Number(option('--runs', '5'));
const top = Number(option('--top', '12'));
const models = args.map((m) => path.resolve(m));
if (models.length === 0 || models.some((m) => !fs.existsSync(m))) {
  console.error('usage: node web/bench/profile_ops.mjs [--size N] [--threads N] [--runs N] MODEL.onnx [...]');
  process.exit(2);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// The page the profiles run in: empty, cross-origin isolated (so threads > 1 work), models under /profile/.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'styleforge-profile-'));
fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>profile</title>');
models.forEach((m, i) => fs.copyFileSync(m, path.join(dir, `model${i}.onnx`)));

// In the page: one session per model with profiling on, a warm-up run each, then `runs` interleaved rounds.
// ORT prints the profile (Chrome trace JSON, one event per line) to the console at endProfiling().
async function profileInPage({ count, side, threads, runs }) {
  const ort = await import('/ort/ort.wasm.min.mjs');
  ort.env.wasm.wasmPaths = '/ort/';
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  const data = new Float32Array(3 * side * side);
  for (let i = 0; i < data.length; i++) data[i] = 128 + 100 * Math.sin(i / 37) * Math.cos(i / 1013);
  const sessions = [];
  for (let i = 0; i < count; i++) {
    const s = await ort.InferenceSession.create(`/profile/model${i}.onnx`, { enableProfiling: true });
    const feeds = { [s.inputNames[0]]: new ort.Tensor('float32', data, [1, 3, side, side]) };
    await s.run(feeds);  // warm-up: the first run also compiles, allocates and packs weights
    sessions.push({ s, feeds, wall: [] });
  }
  for (let r = 0; r < runs; r++)
    for (const x of sessions) {
      const t0 = performance.now();
      await x.s.run(x.feeds);
      x.wall.push(performance.now() - t0);
    }
  const walls = [];
  for (let i = 0; i < count; i++) {
    console.log(`SF-PROFILE-BEGIN ${i}`);
    sessions[i].s.endProfiling();
    console.log(`SF-PROFILE-END ${i}`);
    walls.push(sessions[i].wall);
  }
  return walls;
}

// Chrome-trace events of one model -> per run: { total, byOp: {op: ms}, byNode: {name: {op, ms, shape}} }.
function summarize(events) {
  const runSpans = events.filter((e) => e.name === 'model_run').sort((a, b) => a.ts - b.ts).slice(1);  // no warm-up
  return runSpans.map((span) => {
    const byOp = {}, byNode = {};
    for (const e of events) {
      if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < span.ts || e.ts > span.ts + span.dur) continue;
      const op = e.args.op_name, ms = e.dur / 1000;
      byOp[op] = (byOp[op] || 0) + ms;
      const node = e.name.replace(/_kernel_time$/, '');
      const shape = (t) => JSON.stringify(Object.values(t[0] || {})[0] || []);
      byNode[node] = { op, ms, shape: `${shape(e.args.input_type_shape)}->${shape(e.args.output_type_shape)}`,
                       provider: e.args.provider };
    }
    return { total: span.dur / 1000, byOp, byNode };
  });
}

const server = await startServer({ root: 'site', port: 0, isolation: true, mounts: { '/profile/': dir } });
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'styleforge-profile-browser-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const lines = [];
let walls;
try {
  const page = context.pages()[0] || (await context.newPage());
  page.on('console', (m) => lines.push(m.text()));
  await page.goto(`${server.url}profile/index.html`);
  walls = await page.evaluate(profileInPage, { count: models.length, side, threads, runs });
} finally {
  await context.close();
  await server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
}

// Split the console by model and parse the trace events (ORT may print several events per console message).
const perModel = models.map((_, i) => {
  const begin = lines.indexOf(`SF-PROFILE-BEGIN ${i}`), end = lines.indexOf(`SF-PROFILE-END ${i}`);
  const events = [];
  for (const text of lines.slice(begin + 1, end))
    for (const line of text.split('\n')) {
      const t = line.trim().replace(/,$/, '');
      if (t.startsWith('{')) events.push(JSON.parse(t));
    }
  return summarize(events);
});

const names = models.map((m) => path.basename(m));
const pad = (s, n) => String(s).padStart(n);
console.log(`${side}x${side}, ${threads} thread(s), ORT Web WASM in Chromium; median of ${runs} profiled runs after a ` +
            `warm-up, runs of the models interleaved`);
console.log(names.map((n, i) => `  [${i}] ${n}: session.run ${median(walls[i]).toFixed(1)} ms, kernels ` +
            `${median(perModel[i].map((r) => Object.values(r.byOp).reduce((a, b) => a + b, 0))).toFixed(1)} ms`).join('\n'));

const ops = [...new Set(perModel.flatMap((runs) => runs.flatMap((r) => Object.keys(r.byOp))))];
const opMs = perModel.map((runs) => Object.fromEntries(ops.map((op) => [op, median(runs.map((r) => r.byOp[op] || 0))])));
const kernelMs = opMs.map((m) => Object.values(m).reduce((a, b) => a + b, 0));
ops.sort((a, b) => opMs[0][b] - opMs[0][a]);
console.log('\n' + pad('operator', 22) + names.map((_, i) => pad(`[${i}] ms`, 12) + pad('share', 8)).join(''));
for (const op of ops)
  console.log(pad(op, 22) + opMs.map((m, i) => pad(m[op].toFixed(1), 12) + pad((100 * m[op] / kernelMs[i]).toFixed(1) + '%', 8)).join(''));
console.log(pad('all kernels', 22) + kernelMs.map((k) => pad(k.toFixed(1), 12) + pad('100%', 8)).join(''));

perModel.forEach((runs, i) => {
  const nodes = Object.keys(runs[0].byNode);
  const ms = Object.fromEntries(nodes.map((n) => [n, median(runs.map((r) => (r.byNode[n] || { ms: 0 }).ms))]));
  const providers = [...new Set(nodes.map((n) => runs[0].byNode[n].provider))];
  console.log(`\n[${i}] ${names[i]}: ${nodes.length} nodes run per inference (on ${providers.join(', ')}); slowest ${top}:`);
  for (const n of nodes.sort((a, b) => ms[b] - ms[a]).slice(0, top))
    console.log(`  ${pad(ms[n].toFixed(1), 7)} ms ${pad((100 * ms[n] / kernelMs[i]).toFixed(1), 5)}%  ` +
                `${runs[0].byNode[n].op.padEnd(14)} ${n}  ${runs[0].byNode[n].shape}`);
});
