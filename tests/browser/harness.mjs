// Shared set-up for the browser tests: serves the assembled site/ (models replaced by the test fixtures), drives
// Debian's headless Chromium through playwright-core, records every request, and saves screenshots.
//
// Environment (set by tests/browser/CMakeLists.txt; the defaults suit a manual run from the repo root):
//   SF_SITE      the assembled site folder              (default: site)
//   SF_FIXTURES  output of make_fixtures.py             (default: build/web/tests/browser/fixtures)
//   SF_OUT       where screenshots and downloads go     (default: build/web/tests/browser/out)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/static_server.mjs';
import { decodePng } from './png.mjs';

export const SITE = path.resolve(process.env.SF_SITE || 'site');
export const FIXTURES = path.resolve(process.env.SF_FIXTURES || 'build/web/tests/browser/fixtures');
export const OUT = path.resolve(process.env.SF_OUT || 'build/web/tests/browser/out');
export const input = (name) => path.join(FIXTURES, 'inputs', name);
export const manifest = () => JSON.parse(fs.readFileSync(path.join(FIXTURES, 'models', 'manifest.json'), 'utf8'));

// The flag set from the toolchain notes: WebGL2 and a (software) WebGPU adapter, and no --disable-gpu.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader',
  '--use-angle=swiftshader', '--use-gl=angle',
];

// Opens the app. `models`: 'models' (the fixtures) or 'empty-models'; `isolation`: send COOP/COEP;
// `viewport`, `deviceScaleFactor`, `hasTouch`: the emulated screen. `serviceWorkers`: 'block' (default: every
// request stays visible to the request log) or 'allow' (the offline/isolation test; its requests then go through
// site/sw.js, which Playwright's routing does not see, so the request log is off). `basePath`: where the site
// lives on the server ('/styleforge/' as on a GitHub Pages project site). `args`: more Chromium flags (the fake
// camera of fake_camera.mjs). `modelsDir`: an absolute folder served as models/ instead (a test's own manifest).
export async function openApp({ models = 'models', modelsDir = null, isolation = true, query = '', viewport = { width: 1280, height: 800 },
                                deviceScaleFactor = 1, hasTouch = false, serviceWorkers = 'block', basePath = '/',
                                args = [] } = {}) {
  const served = modelsDir || path.join(FIXTURES, models);
  for (const need of [path.join(SITE, 'app', 'styleforge.js'), path.join(served, 'manifest.json')])
    if (!fs.existsSync(need)) throw new Error(`${need} is missing: build the web preset (site and test fixtures) first`);
  fs.mkdirSync(OUT, { recursive: true });
  const mounts = { [`${basePath}models/`]: served };  // first: the more specific prefix
  if (basePath !== '/') mounts[basePath] = SITE;
  const server = await startServer({ root: SITE, port: 0, isolation, mounts });
  const origin = new URL(server.url).origin;
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'styleforge-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS, ...args], acceptDownloads: true,
    viewport, deviceScaleFactor, hasTouch, serviceWorkers,
  });
  // Every request goes through here: recorded, and anything not from our server is refused (and fails the test).
  const requests = [];
  if (serviceWorkers === 'block') await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url.startsWith(origin + '/') || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    return route.abort();
  });
  const page = context.pages()[0] || (await context.newPage());
  const consoleLines = [];
  page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));

  const app = {
    page, requests, consoleLines, origin, userDataDir,  // userDataDir: finds its processes (process_memory.mjs)
    // The server stops: from now on only the browser's copies exist (offline test).
    stopServer: () => server.close(),
    status: () => page.evaluate(() => window.styleforge.status()),
    // Widget rectangles of the last frame, CSS pixels (web/src/layout_probe.h).
    layout: () => page.evaluate(() => window.styleforge.layout()),
    // The canvas as the page lays it out, and its drawing buffer.
    canvas: () => page.evaluate(() => {
      const canvas = document.getElementById('canvas');
      const r = canvas.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height, bufferWidth: canvas.width, bufferHeight: canvas.height,
               innerWidth, innerHeight, dpr: devicePixelRatio };
    }),
    set: async (key, value) => {
      const refused = await page.evaluate(([k, v]) => window.styleforge.set(k, v), [key, String(value)]);
      assert.equal(refused, '', `set ${key}=${value} refused: ${refused}`);
    },
    action: (name) => page.evaluate((n) => window.styleforge.action(n), name),
    waitFor: (predicateSource, timeoutMs = 60000) =>
      page.evaluate(([source, timeout]) => window.styleforge.waitFor(new Function('s', 'return ' + source), timeout),
                    [predicateSource, timeoutMs]),
    // Runs Generate-panel `action` and waits for picture `which` (gan, vae, vae_recon_a, ...) to be drawn anew.
    renderGenerated: async (which, action) => {
      const before = (await app.status()).generate[which].serial;
      assert.equal(await app.action(action), '');
      const s = await app.waitFor(`s.generate.${which}.serial > ${before} && !s.generate.busy || s.error !== ""`, 60000);
      assert.equal(s.error, '');
      return s.generate[which];
    },
    // Through the real <input type=file>.
    upload: (slot, file) => page.setInputFiles(`#sf-upload-${slot}`, file),
    // Through the real download path: the app's Blob link, caught as a browser download.
    // `action`: the app action that offers the file ('download': the stylized photo; 'gan_save': a GAN sample).
    download: async (saveAs, action = 'download') => {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }),
                                            page.evaluate((a) => window.styleforge.action(a), action)]);
      const target = path.join(OUT, saveAs);
      await download.saveAs(target);
      return { name: download.suggestedFilename(), image: decodePng(fs.readFileSync(target)) };
    },
    screenshot: async (name) => {
      await page.waitForTimeout(150);  // let ImGui draw the latest state
      await page.screenshot({ path: path.join(OUT, `${name}.png`) });
    },
    // Every request the page made went to our server.
    assertOnlyLocalRequests: () => {
      const foreign = requests.filter((u) => !(u.startsWith(origin + '/') || u.startsWith('blob:') || u.startsWith('data:')));
      assert.deepEqual(foreign, [], 'requests to other origins');
      assert.ok(requests.length > 3, 'the request log recorded the page loading');
    },
    close: async () => {
      await context.close();
      await server.close().catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
  try {
    await page.goto(new URL(basePath.slice(1) + query, server.url).href);
    await page.waitForFunction(() => window.styleforge !== undefined, null, { timeout: 60000 });
    await page.evaluate(() => window.styleforge.ready);
    await app.waitFor('s.manifest.loaded', 30000);
  } catch (error) {
    const log = consoleLines.join('\n');
    await app.close();
    throw new Error(`${error.message}\nbrowser console:\n${log}`);
  }
  return app;
}
