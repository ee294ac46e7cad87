// Generated images for `styleforge-trainer generator-measure`: runs each shipped unconditional generator
// (models/manifest.json kinds gan and vae-decoder) with onnxruntime-node on latents z ~ N(0, I), sample k from
// seed k (scripts/report/normals.mjs, the seeds of the report's grids), and writes them as an uncompressed idx3
// file, the format the trainer reads Fashion-MNIST in: uint8, 0 = -1 (black), 255 = +1. The generators output 3
// channels (grey repeated, as they trained); the file holds their mean, the grey a person sees. A class-conditional
// generator (manifest "classes") makes sample k for class (k - 1) mod classes, and those classes go to an idx1
// labels file beside it, so generator-measure reports its class accuracy. With --rgb (colour generators: the emoji
// GAN) the file keeps the 3 channels, in the 4-dimension idx that scripts/emoji-data writes (magic 0x00000804:
// count, rows, columns, 3; channels interleaved). A GAN whose manifest entry sets a "truncation" (the app scales z
// by it) is also written with z scaled so, as report id <id>-truncated: measured as the app shows it.
//
//   NODE_PATH=node_modules node scripts/report/generator-samples.mjs --out DIR [--count 10000] [--suffix v1]
//       [--manifest FILE]   (default models/manifest.json; another one measures exported files before they ship)
//       [--ids ID,...]      (only these manifest entries; default every gan and vae-decoder) [--rgb]
// writes DIR/<report id>.idx, with report ids fashion-dcgan-<suffix> and fashion-vae-<suffix> (the manifest id,
// less -decoder for the VAE), and prints "<report id>=<file>[:<labels file>]" per model, what generator-measure's
// --samples takes.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { latentFor } from './normals.mjs';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const outDir = arg('--out');
const count = Number(arg('--count', '10000'));
const suffix = arg('--suffix', 'v1');
if (!outDir || !(count > 0)) {
  console.error('usage: generator-samples.mjs --out DIR [--count 10000] [--suffix v1]');
  process.exit(2);
}
const manifestFile = arg('--manifest', path.join(repo, 'models', 'manifest.json'));
const modelsDir = path.dirname(manifestFile);
const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
const ids = arg('--ids') ? arg('--ids').split(',') : null;
const rgb = process.argv.includes('--rgb');
fs.mkdirSync(outDir, { recursive: true });

const BATCH = 500;  // the exported graphs take any batch; 500 keeps memory small and calls few
const pairs = [];
const chosen = manifest.models.filter((m) => (m.kind === 'gan' || m.kind === 'vae-decoder') && (!ids || ids.includes(m.id)));
if (ids && chosen.length !== ids.length) {
  console.error(`generator-samples: --ids ${ids.join(',')}: not all are generators in ${manifestFile}`);
  process.exit(2);
}
// The samples of one generator with z scaled by `psi` (the truncation trick; 1: z as drawn), as report id `id`.
async function writeSamples(entry, session, psi, id) {
  const size = entry.image_size, z = entry.latent_size, plane = size * size;
  const classes = (entry.classes || []).length;
  const labels = Buffer.alloc(8 + count);
  labels.writeUInt32BE(0x801, 0);
  labels.writeUInt32BE(count, 4);
  const depth = rgb ? 3 : 1, head = rgb ? 20 : 16;  // bytes per pixel, header bytes
  const file = Buffer.alloc(head + count * plane * depth);
  file.writeUInt32BE(rgb ? 0x804 : 0x803, 0);
  file.writeUInt32BE(count, 4);
  file.writeUInt32BE(size, 8);
  file.writeUInt32BE(size, 12);
  if (rgb) file.writeUInt32BE(3, 16);
  const byte = (v) => Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
  for (let first = 0; first < count; first += BATCH) {
    const n = Math.min(BATCH, count - first), latents = new Float32Array(n * z);
    for (let i = 0; i < n; i++) {
      const k = first + i + 1;  // sample k: seed k, class (k - 1) mod classes
      latents.set(latentFor(entry, k, (k - 1) % Math.max(classes, 1), psi), i * z);
      labels[8 + first + i] = (k - 1) % Math.max(classes, 1);
    }
    const out = (await session.run({ [entry.input.name]: new ort.Tensor('float32', latents, [n, z]) }))[entry.output.name];
    const channels = out.dims[1];
    for (let i = 0; i < n; i++)
      for (let p = 0; p < plane; p++) {
        if (rgb) {  // pixel p of sample i: R, G, B together
          for (let c = 0; c < 3; c++)
            file[head + ((first + i) * plane + p) * 3 + c] = byte(out.data[(i * channels + Math.min(c, channels - 1)) * plane + p]);
          continue;
        }
        let v = 0;
        for (let c = 0; c < channels; c++) v += out.data[(i * channels + c) * plane + p];
        file[head + (first + i) * plane + p] = byte(v / channels);
      }
  }
  const target = path.join(outDir, `${id}.idx`);
  fs.writeFileSync(target, file);
  if (classes > 0) {
    const labelsFile = path.join(outDir, `${id}.labels.idx`);
    fs.writeFileSync(labelsFile, labels);
    pairs.push(`${id}=${target}:${labelsFile}`);
  } else {
    pairs.push(`${id}=${target}`);
  }
}

for (const entry of chosen) {
  const session = await ort.InferenceSession.create(path.join(modelsDir, entry.file));
  const id = `${entry.id.replace(/-decoder$/, '')}-${suffix}`;
  await writeSamples(entry, session, 1, id);
  // A GAN the app samples with a truncation (manifest "truncation" < 1) is measured there too, as <id>-truncated.
  if (entry.truncation && entry.truncation < 1) await writeSamples(entry, session, entry.truncation, `${id}-truncated`);
}
console.log(pairs.join(','));
