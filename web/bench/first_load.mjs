#!/usr/bin/env node
// Benchmark (prints figures; not a test): a first visit on a cold cache, from navigation to the first stylized
// picture, with the default engine choice (Auto). Prints every file the server sent before that picture, as a file
// (uncompressed) and as sent (compressed twin when the browser accepted one), the totals against the issue 11
// goals (<= 15 MB uncompressed, <= 5 MB as served), and the time from navigation to the first result; then the
// same again on a reload (warm cache): bytes sent and time.
//
//   node web/bench/first_load.mjs [--model ID] [--photo FILE] [--side N] [--pause-ms N] [--no-isolation]
// --pause-ms: wait that long after the page is ready before opening the photo, as a person choosing one would
// (the app loads the default style meanwhile); the time from the photo to the picture is printed too.
// Defaults: the first style of site/models (the shipped models), the browser-test fixture medium.png (1000x664)
// stylized at 512 px on its longest side. Needs the assembled site/ (cmake --build --preset web).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/static_server.mjs';
import { flag, option } from './options.mjs';

const photo = path.resolve(option('--photo', 'build/web/tests/browser/fixtures/inputs/medium.png'));
const side = Number.parseInt(option('--side', '512'), 10);
const isolation = !flag('--no-isolation');
const pauseMs = Number.parseInt(option('--pause-ms', '0'), 10);
const manifest = JSON.parse(fs.readFileSync('site/models/manifest.json', 'utf8'));
const modelId = option('--model', manifest.models.find((m) => m.kind === 'style').id);
for (const need of ['site/app/styleforge.js', photo])
  if (!fs.existsSync(need)) {
    console.error(`first_load: ${need} is missing (build the web preset first)`);
    process.exit(2);
  }

const sent = [];  // every reply of the server, in order
const server = await startServer({ root: 'site', port: 0, isolation, onResponse: (r) => sent.push(r) });
const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'styleforge-first-load-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1366, height: 768 },
  args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--use-gl=angle'],
});
// Navigates (or reloads) and stylizes the photo: { result, milliseconds } from navigation to the picture.
async function visit(page, load) {
  const started = Date.now();
  await load();
  await page.waitForFunction(() => window.styleforge !== undefined, null, { timeout: 120000 });
  await page.evaluate(() => window.styleforge.ready);
  await page.evaluate(() => window.styleforge.waitFor((s) => s.manifest.loaded, 60000));
  if (pauseMs > 0) await page.waitForTimeout(pauseMs);
  const photoAt = Date.now();
  await page.setInputFiles('#sf-upload-photo', photo);
  await page.evaluate(([id, n]) => {
    window.styleforge.set('model', id);
    window.styleforge.set('output_max_side', n);
    return window.styleforge.waitFor((s) => s.stylize.photo !== null, 30000);
  }, [modelId, String(side)]);
  const refused = await page.evaluate(() => window.styleforge.action('stylize'));
  if (refused) throw new Error(refused);
  const result = await page.evaluate(() => window.styleforge.waitFor((s) => !s.stylize.running, 600000));
  if (result.error) throw new Error(result.error);
  return { result, milliseconds: Date.now() - started, fromPhoto: Date.now() - photoAt };
}

let before, result, milliseconds, fromPhoto, again;
try {
  const page = context.pages()[0] || (await context.newPage());
  ({ result, milliseconds, fromPhoto } = await visit(page, () => page.goto(server.url)));
  before = sent.splice(0);
  // A second visit: everything is in the browser's cache and the service worker's; unchanged files answer 304.
  again = await visit(page, () => page.reload());
  again.sent = sent.splice(0);
} finally {
  await context.close();
  await server.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}

const mb = (bytes) => (bytes / 1e6).toFixed(2).padStart(7) + ' MB';
console.log(`first visit, cold cache, ${isolation ? 'COOP/COEP sent' : 'no COOP/COEP'}: '${modelId}' on a ` +
            `${result.stylize.result.width}x${result.stylize.result.height} photo, engine ${result.last_run.engine}` +
            (result.last_run.fallback_reason ? ` (WebGPU not used: ${result.last_run.fallback_reason})` : ''));
console.log('\n    file bytes     sent    encoding  path');
let fileTotal = 0, sentTotal = 0;
for (const r of before) {
  fileTotal += r.fileBytes;
  sentTotal += r.bytes;
  console.log(`${mb(r.fileBytes)} ${mb(r.bytes)}  ${(r.encoding || (r.status === 200 ? 'none' : String(r.status))).padEnd(8)}  ${r.path}`);
}
const missing = before.filter((r) => r.status === 404).map((r) => r.path);
console.log(`\nbytes before the first stylized picture: ${mb(fileTotal)} uncompressed (goal <= 15 MB: ` +
            `${fileTotal <= 15e6 ? 'met' : 'missed'}), ${mb(sentTotal)} as served (goal <= 5 MB: ` +
            `${sentTotal <= 5e6 ? 'met' : 'missed'})`);
console.log(`requests: ${before.length}, not found: ${missing.length ? missing.join(', ') : 'none'}`);
console.log(`navigation to first result: ${(milliseconds / 1000).toFixed(1)} s` +
            (pauseMs > 0 ? ` (including a ${(pauseMs / 1000).toFixed(1)} s pause before the photo)` : '') +
            `; photo opened to picture: ${(fromPhoto / 1000).toFixed(1)} s ` +
            `(session ${result.last_run.session_ms.toFixed(0)} ms, inference ${result.last_run.inference_ms.toFixed(0)} ms)`);
const againBytes = again.sent.reduce((sum, r) => sum + r.bytes, 0);
const unchanged = again.sent.filter((r) => r.status === 304).length;
console.log(`second visit: ${mb(againBytes)} sent (${unchanged} of ${again.sent.length} requests answered 304), ` +
            `${(again.milliseconds / 1000).toFixed(1)} s to the result`);
