// Report on the shipped generators (models/manifest.json: kind gan, vae-encoder, vae-decoder), run natively with
// onnxruntime-node: sample grids, a VAE reconstruction error on held-out images (the Fashion-MNIST *test* set,
// which training never saw), and interpolation strips. Writes models/report/*.png and models/report/generators.md.
// When models/report/generators.json exists (scripts/generator-measure writes it), the page opens with its measured
// quality table; models/report/generator-rulers.json (also scripts/generator-measure's, one key per dataset) adds
// each ruler's class shares, its classifier's test accuracy and the command that trained it.
//
// The colour emoji GAN (manifest id emoji-dcgan) gets its own section, with colour grids and its own ruler's
// figures (generator-rulers.json's "emoji", from scripts/generator-measure --dataset emoji).
//
//   NODE_PATH=node_modules node scripts/generator-report.mjs [--test-images /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { encodePng } from '../tests/browser/png.mjs';
import { latentFor } from './report/normals.mjs';
import { saveRgbGrid } from './report/rgb_grid.mjs';
import { sliderSheet } from './report/slider_sheet.mjs';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const testImages = args[args.indexOf('--test-images') + 1] && args.includes('--test-images')
  ? args[args.indexOf('--test-images') + 1] : '/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz';
const outDir = path.join(repo, 'models', 'report');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'models', 'manifest.json'), 'utf8'));
const EMOJI_ID = 'emoji-dcgan';  // the colour GAN: its own section below, not the Fashion ones'
const byKind = (kind) => manifest.models.find((m) => m.kind === kind && m.id !== EMOJI_ID);
const emojiEntry = manifest.models.find((m) => m.id === EMOJI_ID);

function writeGreyPng(file, width, height, pixels) {
  fs.writeFileSync(file, encodePng(width, height, pixels, 1));
}

// --- images as float arrays in -1..1 (the generators' tanh range), S x S, channel 0 ------------------------
function readIdx(file, count) {
  let buf = fs.readFileSync(file);
  if (file.endsWith('.gz')) buf = zlib.gunzipSync(buf);
  if (buf.readUInt32BE(0) !== 0x803) throw new Error(`${file}: not an idx3 image file`);
  const n = Math.min(count, buf.readUInt32BE(4)), rows = buf.readUInt32BE(8), cols = buf.readUInt32BE(12);
  return Array.from({ length: n }, (_, i) => Float32Array.from(buf.subarray(16 + i * rows * cols, 16 + (i + 1) * rows * cols), (v) => v / 127.5 - 1));
}
function readLabels(file, count) {
  let buf = fs.readFileSync(file);
  if (file.endsWith('.gz')) buf = zlib.gunzipSync(buf);
  if (buf.readUInt32BE(0) !== 0x801) throw new Error(`${file}: not an idx1 labels file`);
  return Array.from(buf.subarray(8, 8 + Math.min(count, buf.readUInt32BE(4))));
}
// A grid of S x S tiles (rows x cols), 2 px gaps, upscaled x`zoom` so the 28 px images can be seen.
function saveGrid(file, tiles, cols, size, zoom = 3) {
  const rows = Math.ceil(tiles.length / cols), cell = size * zoom + 2;
  const w = cols * cell, h = rows * cell, px = new Uint8Array(w * h).fill(255);
  tiles.forEach((t, i) => {
    const ox = (i % cols) * cell + 1, oy = Math.floor(i / cols) * cell + 1;
    for (let y = 0; y < size * zoom; y++)
      for (let x = 0; x < size * zoom; x++) {
        const v = t[Math.floor(y / zoom) * size + Math.floor(x / zoom)];
        px[(oy + y) * w + ox + x] = Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
      }
  });
  writeGreyPng(file, w, h, px);
}

async function run(session, entry, data, shape) {
  const out = await session.run({ [entry.input.name]: new ort.Tensor('float32', data, shape) });
  return out[entry.output.name].data;
}
const toRgb = (grey, size) => { const t = new Float32Array(3 * size * size); for (let c = 0; c < 3; c++) t.set(grey, c * size * size); return t; };
const lerp = (a, b, t) => a.map((v, i) => v + t * (b[i] - v));

const lines = ['# Generator report', '', 'Written by `scripts/generator-report.mjs` (onnxruntime-node on the shipped ONNX files).', ''];
fs.mkdirSync(outDir, { recursive: true });
const readJson = (file) => (file && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined);
const rulers = readJson(path.join(outDir, 'generator-rulers.json')) || {};
lines.push(...measuredQuality(readJson(path.join(outDir, 'generators.json')), rulers['fashion-mnist']));

// The table of generators.json (scripts/generator-measure) and what its columns mean; `ruler`: the Fashion-MNIST
// entry of generator-rulers.json, or undefined before one was measured.
function measuredQuality(report, ruler) {
  if (!report) return [];
  const { details, test_accuracy: accuracy, test_images: testImages, classify_command: command } = ruler || {};
  const FASHION = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  const n = details ? details.count : 10000, minShare = details ? details.min_share : 0.01;
  const out = ['## Measured quality', '',
    'Measured with our own ruler, a small CNN classifier trained on the Fashion-MNIST training split ' +
    '(`styleforge-trainer classify`' + (ruler ? `; test accuracy **${(100 * accuracy).toFixed(2)}%** ` +
    `on the ${testImages} test images` : '') + '), on its penultimate-layer features (128 numbers per image):', '',
    `- **fd**: Frechet distance between the features of ${n} generated images (latents z ~ N(0, I), sample k from seed k; ` +
    'a class-conditional model makes sample k for class (k - 1) mod 10, so every class gets a tenth) ' +
    `and of the ${n} held-out test images (t10k), each set summarised by its mean and covariance. Lower is better.`,
    `- **fd_floor**: the same between the test images and ${n} images drawn from the training split: what a generator ` +
    'that drew exactly from the data would score with this N. Figures are comparable only with this classifier and N.',
    `- **classes_covered**: how many of the 10 classes the classifier assigns (arg max) to at least ${100 * minShare}% ` +
    'of the samples (a tenth of the even share).',
    '- **class_accuracy**: for class-conditional generators, the share of samples the classifier puts in the class they ' +
    'were made for (- for unconditional ones).', '',
    '| id | dataset | fd | fd_floor | fd / floor | classes_covered | class_accuracy |', '|---|---|---|---|---|---|---|'];
  for (const m of report.models)
    out.push(`| ${m.id} | ${m.dataset} | ${m.fd.toFixed(2)} | ${m.fd_floor.toFixed(2)} | ${(m.fd / m.fd_floor).toFixed(1)} | ` +
      `${m.classes_covered} of ${m.dataset === 'emoji' && emojiEntry ? emojiEntry.classes.length : 10} | ` +
      `${m.class_accuracy === null ? '-' : (100 * m.class_accuracy).toFixed(1) + '%'} |`);
  out.push('');
  if (report.models.some((m) => m.dataset === 'emoji'))
    out.push('Rows of dataset emoji are measured the same way with another ruler (a classifier of the emoji ' +
      'categories, 64 px colour) and another N: see [the emoji section](#emoji-gan-emoji-dcgan). FD figures compare only ' +
      'within a dataset.', '');
  if (details && Object.keys(details.class_shares).length) {
    out.push('Share of the samples the classifier puts in each class (an even draw gives 10% each):', '',
      `| class | ${Object.keys(details.class_shares).join(' | ')} |`, `|---|${Object.keys(details.class_shares).map(() => '---').join('|')}|`);
    FASHION.forEach((name, k) => out.push(`| ${name} | ${Object.values(details.class_shares).map((s) => (100 * s[k]).toFixed(1) + '%').join(' | ')} |`));
    out.push('');
  }
  out.push('Numbers in [generators.json](generators.json). Regenerate with `scripts/generator-measure`' +
    (command ? ` (the classifier: \`${command}\`, seeded)` : '') + '.', '');
  return out;
}

// 64 samples: seeds 1-64 (unconditional), or one row per class with seeds 1-8 (class-conditional).
async function sampleGrid(session, entry, file) {
  const size = entry.image_size, z = entry.latent_size, classes = (entry.classes || []).length, tiles = [];
  const rows = classes > 0 ? classes : 8;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < 8; c++) {
      const latent = classes > 0 ? latentFor(entry, c + 1, r) : latentFor(entry, r * 8 + c + 1);
      tiles.push((await run(session, entry, latent, [1, z])).slice(0, size * size));
    }
  saveGrid(path.join(outDir, file), tiles, 8, size);
  return classes > 0 ? `rows: ${entry.classes.join(', ')}; columns: seeds 1-8` : 'seeds 1-64';
}
// Strips of 10 steps: seed 1 -> 2 (within one class for a conditional model), and for a conditional model also
// the same z moved from one class to another (Sneaker -> Ankle boot, T-shirt/top -> Dress in Fashion-MNIST).
async function interpolationStrips(session, entry, file) {
  const size = entry.image_size, z = entry.latent_size, classes = (entry.classes || []).length;
  const pairs = classes > 0 ? [[latentFor(entry, 1, 7), latentFor(entry, 2, 7)], [latentFor(entry, 1, 7), latentFor(entry, 1, 9)],
    [latentFor(entry, 3, 0), latentFor(entry, 3, 3)]] : [[latentFor(entry, 1), latentFor(entry, 2)]];
  const tiles = [];
  for (const [a, b] of pairs)
    for (let i = 0; i <= 9; i++) tiles.push((await run(session, entry, lerp(a, b, i / 9), [1, z])).slice(0, size * size));
  saveGrid(path.join(outDir, file), tiles, 10, size);
  return classes > 0 ? `rows: seed 1 -> seed 2 as ${entry.classes[7]}; seed 1 from ${entry.classes[7]} to ${entry.classes[9]}; ` +
    `seed 3 from ${entry.classes[0]} to ${entry.classes[3]}` : 'seed 1 -> seed 2';
}

const gan = byKind('gan');
if (gan) {
  const s = await ort.InferenceSession.create(path.join(repo, 'models', gan.file));
  const grid = await sampleGrid(s, gan, 'gan-samples.png'), strips = await interpolationStrips(s, gan, 'gan-interpolation.png');
  lines.push(`## ${gan.name} (\`${gan.id}\`)`, '', `Samples (${grid}):`, '', '![GAN samples](gan-samples.png)', '',
    `Linear interpolation between latents (${strips}):`, '', '![GAN interpolation](gan-interpolation.png)', '');
}

const enc = byKind('vae-encoder'), dec = byKind('vae-decoder');
if (enc && dec) {
  const se = await ort.InferenceSession.create(path.join(repo, 'models', enc.file));
  const sd = await ort.InferenceSession.create(path.join(repo, 'models', dec.file));
  const size = dec.image_size, z = dec.latent_size;
  const grid = await sampleGrid(sd, dec, 'vae-samples.png');
  const held = readIdx(testImages, 1000);
  const classes = (enc.classes || []).length;
  const truth = classes > 0 ? readLabels(testImages.replace('images-idx3', 'labels-idx1'), held.length) : [];
  let sq = 0, pairs = [], named = 0;
  const latents = [];
  for (const [i, img] of held.entries()) {
    const mu = await run(se, enc, toRgb(img, size), [1, 3, size, size]);
    if (classes > 0) {  // the encoder's class guess: the largest of its last `classes` outputs
      const p = Array.from(mu.slice(z - classes, z));
      named += p.indexOf(Math.max(...p)) === truth[i] ? 1 : 0;
    }
    const rec = (await run(sd, dec, Float32Array.from(mu), [1, z])).slice(0, size * size);
    for (let k = 0; k < rec.length; k++) sq += (((rec[k] + 1) / 2) - ((img[k] + 1) / 2)) ** 2;
    if (i < 16) pairs.push(img, rec);
    if (i < 2) latents.push(Float32Array.from(mu));
  }
  const mse = sq / (held.length * size * size);
  saveGrid(path.join(outDir, 'vae-reconstructions.png'), pairs, 8, size);
  const strip = [];
  for (let i = 0; i <= 9; i++) strip.push((await run(sd, dec, lerp(latents[0], latents[1], i / 9), [1, z])).slice(0, size * size));
  saveGrid(path.join(outDir, 'vae-interpolation.png'), strip, 10, size);
  lines.push(`## ${enc.name.replace(/ encoder$/i, '')} (\`${enc.id}\` + \`${dec.id}\`)`, '',
    `Reconstruction error on the first ${held.length} images of the Fashion-MNIST test set (never trained on): ` +
    `mean squared error ${mse.toFixed(4)} per pixel in 0..1 units (RMSE ${Math.sqrt(mse).toFixed(3)})` +
    (classes > 0 ? `, decoded with the encoder's own class guess (what the app does with an upload), which names ` +
      `the right class for ${(100 * named / held.length).toFixed(1)}% of them` : '') + '.', '',
    `Samples (${grid}):`, '', '![VAE samples](vae-samples.png)', '',
    'Held-out images (left of each pair) and their reconstructions (right):', '', '![VAE reconstructions](vae-reconstructions.png)', '',
    'Decoding along the line between the latents of the first two test images:', '', '![VAE interpolation](vae-interpolation.png)', '');
  console.log(`VAE reconstruction MSE on ${held.length} held-out images: ${mse.toFixed(4)}`);
}
if (emojiEntry) lines.push(...await emojiSection(emojiEntry));

// The colour GAN: its measures (by the emoji ruler), a grid with one row per category and interpolation strips.
async function emojiSection(entry) {
  const s = await ort.InferenceSession.create(path.join(repo, 'models', entry.file));
  const size = entry.image_size, z = entry.latent_size, names = entry.classes, tile = 3 * size * size;
  const gen = async (latent) => (await run(s, entry, latent, [1, z])).slice(0, tile);
  // The grid as the app samples it (z scaled by the manifest's truncation) and, when that is not 1, z as drawn.
  const psi = entry.truncation || 1;
  const saveGrid = async (file, scale) => {
    const grid = [];
    for (let r = 0; r < names.length; r++) for (let c = 0; c < 8; c++) grid.push(await gen(latentFor(entry, c + 1, r, scale)));
    saveRgbGrid(path.join(outDir, file), grid, 8, size);
  };
  await saveGrid('emoji-samples.png', psi);
  if (psi < 1) await saveGrid('emoji-samples-untruncated.png', 1);
  // Seed 1 -> 2 within the first class; seed 1 from the first class to the third; seed 3 from the fourth to the last.
  const k = names.length - 1;
  const at = (seed, c) => latentFor(entry, seed, c, psi);  // as the app animates them
  const pairs = [[at(1, 0), at(2, 0)], [at(1, 0), at(1, 2)], [at(3, 3), at(3, k)]];
  const strips = [];
  for (const [a, b] of pairs) for (let i = 0; i <= 9; i++) strips.push(await gen(lerp(a, b, i / 9)));
  saveRgbGrid(path.join(outDir, 'emoji-interpolation.png'), strips, 10, size);

  const out = [`## ${entry.name} (\`${entry.id}\`)`, ''];
  const report = readJson(path.join(outDir, 'generators.json'));
  const rows = report ? report.models.filter((m) => m.dataset === 'emoji') : [];
  const ruler = rulers.emoji;
  const { details, test_accuracy: accuracy, test_images: testImages, classify_command: command } = ruler || {};
  if (rows.length) {
    const n = details ? details.count : '?';
    out.push('Measured with a second ruler of the same design, a classifier of the emoji categories trained on the ' +
      `emoji training split (64 px colour${ruler ? `; test accuracy **${(100 * accuracy).toFixed(1)}%** ` +
      `on the ${testImages} held-out pictures` : ''}), on its penultimate features: FD between ${n} samples ` +
      `(sample k made for category (k - 1) mod ${names.length}) and the ${n} held-out pictures (emoji no training saw, ` +
      'in both sets\' designs); the floor is the held-out pictures against as many training pictures.', '',
      '| id | fd | fd_floor | fd / floor | classes_covered | class_accuracy |', '|---|---|---|---|---|---|');
    for (const m of rows)
      out.push(`| ${m.id} | ${m.fd.toFixed(2)} | ${m.fd_floor.toFixed(2)} | ${(m.fd / m.fd_floor).toFixed(1)} | ` +
        `${m.classes_covered} of ${names.length} | ${m.class_accuracy === null ? '-' : (100 * m.class_accuracy).toFixed(1) + '%'} |`);
    out.push('');
    if (details && Object.keys(details.class_shares).length) {
      const ids = Object.keys(details.class_shares);
      out.push(`Share of the samples the classifier puts in each category (each is asked for in 1/${names.length}, ` +
        `${(100 / names.length).toFixed(1)}%):`, '', `| category | ${ids.join(' | ')} |`, `|---|${ids.map(() => '---').join('|')}|`);
      names.forEach((name, c) => out.push(`| ${name} | ${ids.map((id) => (100 * details.class_shares[id][c]).toFixed(1) + '%').join(' | ')} |`));
      out.push('');
    }
    if (command) out.push(`The emoji classifier: \`${command}\` (seeded).`, '');
  }
  if (entry.directions) {
    const layout = await sliderSheet(ort, s, entry, path.join(outDir, 'emoji-sliders.png'));
    out.push('The app\'s sliders: named latent directions found by `styleforge-trainer latent-directions --run ' +
      `models/${entry.file}\` (measured changes in [emoji-directions.json](emoji-directions.json)); each row moves one ` +
      `slider from -2 to +2 (${layout}; at 2x):`, '', '![Emoji GAN sliders](emoji-sliders.png)', '');
  }
  out.push(`Samples as the app makes them${psi < 1 ? `, z scaled by the manifest's truncation ${psi},` : ''} (rows: ` +
    `${names.join(', ')}; columns: seeds 1-8; shown at 2x, nearest neighbour):`, '',
    '![Emoji GAN samples](emoji-samples.png)', '');
  if (psi < 1)
    out.push('The same seeds with z as drawn (truncation 1: more varied, fewer nameable pictures; the table\'s ' +
      `\`${entry.id}-<version>\` rows measure these, the \`-truncated\` rows the app's):`, '',
      '![Emoji GAN samples, z as drawn](emoji-samples-untruncated.png)', '');
  out.push(
    `Linear interpolation between latents (rows: seed 1 -> seed 2 as ${names[0]}; seed 1 from ${names[0]} to ` +
    `${names[2]}; seed 3 from ${names[3]} to ${names[k]}):`, '', '![Emoji GAN interpolation](emoji-interpolation.png)', '');
  return out;
}
fs.writeFileSync(path.join(outDir, 'generators.md'), lines.join('\n'));
console.log(`wrote ${outDir}/generators.md`);
