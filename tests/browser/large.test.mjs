// browser.large: tiling. A 3000x2000 photo comes back 3000x2000; where an image fits one tile, the tiled result
// matches the untiled one and shows no seam along the tile borders.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { input, openApp } from './harness.mjs';
import { compareImages } from './reference.mjs';

let app;
before(async () => {
  app = await openApp();
  await app.set('engine', 'wasm');
});
after(async () => {
  if (app) {
    app.assertOnlyLocalRequests();
    await app.close();
  }
});

async function stylize(maxTile, timeoutMs = 120000) {
  await app.set('max_tile', maxTile);
  assert.equal(await app.action('stylize'), '');
  const s = await app.waitFor('!s.stylize.running', timeoutMs);
  assert.equal(s.error, '');
  return s;
}

// The image without a `margin`-pixel frame.
function crop({ width, height, rgba }, margin) {
  const w = width - 2 * margin, h = height - 2 * margin;
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) out.set(rgba.subarray(((y + margin) * width + margin) * 4, ((y + margin) * width + margin + w) * 4), y * w * 4);
  return { width: w, height: h, rgba: out };
}

// Mean absolute step between neighbouring columns x and x+1 (RGB, 0..255), for every x.
function columnSteps({ width, height, rgba }) {
  const steps = new Float64Array(width - 1);
  for (let y = 0; y < height; y++)
    for (let x = 0; x + 1 < width; x++)
      for (let c = 0; c < 3; c++)
        steps[x] += Math.abs(rgba[(y * width + x + 1) * 4 + c] - rgba[(y * width + x) * 4 + c]);
  return steps.map((v) => v / (height * 3));
}

test('tiled and untiled runs agree and show no seam', { timeout: 200000 }, async () => {
  // A purely local model: with image-wide statistics (instance normalisation) every tile would legitimately
  // differ from the untiled run, which would hide a misplaced or unblended tile.
  await app.set('model', 'tiny-local');
  await app.upload('photo', input('medium.png'));
  await app.waitFor('s.stylize.photo !== null && s.stylize.photo.width === 1000', 30000);
  const whole = await stylize(1024);
  assert.equal(whole.last_run.tiles, 1);
  const untiled = (await app.download('medium-untiled.png')).image;
  const tiled_status = await stylize(256);
  assert.ok(tiled_status.last_run.tiles > 4, `expected several tiles, got ${tiled_status.last_run.tiles}`);
  const tiled = (await app.download('medium-tiled.png')).image;
  const diff = compareImages(tiled, untiled);
  // The fixture stacks two 3x3 convolutions: pixels within 2 of the image border see its padding.
  const inner = compareImages(crop(tiled, 2), crop(untiled, 2));
  console.log(`tiled vs untiled: mean abs ${diff.meanAbs.toFixed(3)}, max abs ${diff.maxAbs}; ` +
              `without the 2-pixel image border: mean abs ${inner.meanAbs.toFixed(3)}, max abs ${inner.maxAbs}`);
  assert.ok(diff.meanAbs < 0.5, `tiled result strays from the untiled one: mean abs ${diff.meanAbs}`);
  // Known (reported to shared/): a border tile whose size is padded up to size_multiple sees mirrored pixels
  // where the untiled run sees the model's zero padding, so rows/columns within the receptive field of the image
  // border may differ; and the feather ramp leaves a weight of 1/overlap on the second pixel of a tile edge
  // (a few levels here). A misplaced or unblended tile differs by far more than the bound below.
  assert.ok(inner.maxAbs <= 8, `inside the border a pixel differs by ${inner.maxAbs}: a tile is misplaced`);
  // A seam is a step between two columns that the untiled image does not have. Compare the extra step at every
  // column with the typical extra step: feathered blending leaves no column that stands out.
  const a = columnSteps(tiled), b = columnSteps(untiled);
  const extra = a.map((v, i) => Math.abs(v - b[i]));
  const sorted = Array.from(extra).sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)];
  const worst = sorted[sorted.length - 1];
  console.log(`column step excess: median ${median.toFixed(3)}, worst ${worst.toFixed(3)}`);
  assert.ok(worst < 3, `a column jumps by ${worst.toFixed(2)} more than untiled: a seam`);
});

test('a 3000x2000 photo comes back 3000x2000', { timeout: 240000 }, async () => {
  await app.set('model', 'tiny-style');
  await app.upload('photo', input('large.png'));
  await app.waitFor('s.stylize.photo !== null && s.stylize.photo.width === 3000', 60000);
  const s = await stylize(0, 200000);
  assert.equal(s.stylize.result.width, 3000);
  assert.equal(s.stylize.result.height, 2000);
  assert.ok(s.last_run.tiles >= 24, `tiles: ${s.last_run.tiles}`);
  console.log(`3000x2000: ${s.last_run.tiles} tiles, total ${s.last_run.total_ms.toFixed(0)} ms, inference ` +
              `${s.last_run.inference_ms.toFixed(0)} ms`);
  const { image } = await app.download('large-result.png');
  assert.equal(image.width, 3000);
  assert.equal(image.height, 2000);
  await app.screenshot('20-stylize-large');
});
