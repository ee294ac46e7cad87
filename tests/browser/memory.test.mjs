// browser.memory: stylizing again and again does not grow the page. 20 runs of a 1000x664 photo on WASM. The
// renderer's resident size saw-tooths by ~20% as the JS heap fills and is collected, so each window is read by
// its floor (the smallest size, just after a collection: what is really kept): the floor of runs 13-20 is within
// 10% of the floor of runs 3-10 (the first two allocate what every run reuses: ORT's arena, the result texture).
// A leak of one result image per run (1000x664 RGBA, 2.5 MiB, plus its float tensors) would add ~100 MiB.
// web/bench/memory.mjs measures the same with a shipped model, 50 runs, and the peak for an 8000x6000 photo.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { input, openApp } from './harness.mjs';
import { rendererMemory } from './process_memory.mjs';

let app;
before(async () => {
  app = await openApp();
  await app.set('engine', 'wasm');
  await app.set('model', 'tiny-style');
});
after(async () => {
  if (app) {
    app.assertOnlyLocalRequests();
    await app.close();
  }
});

test('20 stylizations in a row grow the renderer by less than 10%', { timeout: 240000 }, async () => {
  await app.upload('photo', input('medium.png'));
  await app.waitFor('s.stylize.photo !== null && s.stylize.photo.width === 1000', 30000);
  const rss = [];
  for (let run = 1; run <= 20; run++) {
    assert.equal(await app.action('stylize'), '');
    const s = await app.waitFor('!s.stylize.running', 60000);
    assert.equal(s.error, '', `run ${run} failed`);
    rss.push(rendererMemory(app.userDataDir).rss);
  }
  const warm = Math.min(...rss.slice(2, 10)), last = Math.min(...rss.slice(12, 20));
  console.log(`renderer resident MiB after runs 1..20: ${rss.map((v) => v.toFixed(0)).join(' ')}; floor of runs ` +
              `3-10 ${warm.toFixed(0)}, of runs 13-20 ${last.toFixed(0)}: ${((last / warm - 1) * 100).toFixed(1)}%`);
  assert.ok(warm > 20, `implausible renderer size ${warm} MiB: the wrong process was measured`);
  assert.ok(last < warm * 1.1, `the renderer's floor grew from ${warm.toFixed(0)} to ${last.toFixed(0)} MiB`);
});
