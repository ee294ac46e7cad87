// What each named slider of a generator does (the manifest entry's `directions`, from `styleforge-trainer
// latent-directions`): one row per slider, in the app's order; per seed, five columns with the slider at -2, -1, 0,
// +1, +2 (the app's range) and every other value at the seed's latent (z scaled by the manifest's truncation).
// Run natively with onnxruntime-node.
//
//   NODE_PATH=node_modules node scripts/report/slider_sheet.mjs MODEL_ID OUT.png [SEED:CLASS ...]
//   (default seeds 1:0 and 2:2: seed 1 in the first class, seed 2 in the third)
// scripts/generator-report.mjs calls sliderSheet for the emoji GAN (models/report/emoji-sliders.png).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { latentFor } from './normals.mjs';
import { saveRgbGrid } from './rgb_grid.mjs';

const STEPS = [-2, -1, 0, 1, 2];

export async function sliderSheet(ort, session, entry, file, seeds = [[1, 0], [2, 2]]) {
  const size = entry.image_size, tile = 3 * size * size, tiles = [];
  for (const direction of entry.directions) {
    for (const [seed, classIndex] of seeds) {
      // The seed's latent as the app starts from it: z scaled by the manifest's truncation, the class as it is.
      const base = latentFor(entry, seed, classIndex, entry.truncation || 1);
      for (const step of STEPS) {
        const latent = Float32Array.from(base, (v, i) => (i < direction.vector.length ? v + step * direction.vector[i] : v));
        const out = await session.run({ [entry.input.name]: new ort.Tensor('float32', latent, [1, entry.latent_size]) });
        tiles.push(out[entry.output.name].data.slice(0, tile));
      }
    }
  }
  saveRgbGrid(file, tiles, STEPS.length * seeds.length, size);
  return `rows: ${entry.directions.map((d) => d.name).join(', ')}; columns: ` +
    seeds.map(([s, c]) => `seed ${s}${entry.classes ? ` as ${entry.classes[c]}` : ''} at ${STEPS.join(', ')}`).join('; then ');
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const [id, out, ...rest] = process.argv.slice(2);
  if (!id || !out) {
    console.error('usage: node scripts/report/slider_sheet.mjs MODEL_ID OUT.png [SEED:CLASS ...]');
    process.exit(2);
  }
  const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'models', 'manifest.json'), 'utf8'));
  const entry = manifest.models.find((m) => m.id === id);
  if (!entry || !entry.directions) {
    console.error(`${id}: no such model with named directions in models/manifest.json`);
    process.exit(1);
  }
  const ort = createRequire(import.meta.url)('onnxruntime-node');
  const session = await ort.InferenceSession.create(path.join(repo, 'models', entry.file));
  const seeds = rest.length ? rest.map((s) => s.split(':').map(Number)) : undefined;
  console.log(await sliderSheet(ort, session, entry, out, seeds));
}
