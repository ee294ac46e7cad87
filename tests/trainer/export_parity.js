// Export parity: LibTorch (the trainer's own forward, via `export --reference-input`) against the exported ONNX
// file run by onnxruntime-node, on the same deterministic random input; then the ONNX checker on every file, and
// that every file's metadata holds its manifest entry ("styleforge.manifest_entry", check_onnx.py --manifest).
//
// usage: node export_parity.js TRAINER RUN_DIR WORK_DIR KIND [fp16]
//   KIND style: two input sizes (64x64 and 96x128), values 0..255
//   KIND gan:   latent batch of 3
//   KIND vae:   encoder on an image batch of 2 in -1..1, decoder on a latent batch of 3
//   KIND arbitrary: <out>-predictor.onnx on two paintings (64x80, and 90x70 whose odd sides test the padding of stride-2 layers; 0..255) -> style code, compared in
//               code units (relative bound as for all); <out>-transformer.onnx on an image (64x64 and 96x128) with
//               the style code the ONNX predictor gave for the first painting, so the two files are checked as the
//               app chains them
// A class-conditional run (trained with --labels) takes z then a one-hot class as its latent: the class part of
// each latent is made one-hot (class i mod K), and the manifest entries must name the classes; its VAE encoder
// outputs [mean, class probabilities], whose probabilities must sum to 1.
// Fails (exit 1) when, for any case, max |onnx - libtorch| >= 1e-4 in pixel units (style nets output raw 0..255,
// so their difference is divided by 255; generators output -1..1 and are compared as they are), or when it
// exceeds 1e-5 of the largest output (a relative bound, so tiny outputs cannot pass trivially).
// Why pixel units for style: float32 carries ~7 digits, so two correct implementations of a net whose outputs
// reach ~300 already differ by ~5e-4 in raw units (measured: 8.5e-4 at outputs up to 463).
// With fp16 (export --weights fp16: kernels stored as float16) the bounds are one grey level (1/255 in output
// units) and 1e-2 relative, since rounding every kernel to 11 bits moves outputs by design; the fp16 files must
// also be at most 60% of the fp32 export's size, or the option is not doing its job.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

const [trainer, runDir, workDir, kind, precision = 'fp32'] = process.argv.slice(2);
if (!kind || !['fp32', 'fp16'].includes(precision)) {
  console.error('usage: node export_parity.js TRAINER RUN_DIR WORK_DIR style|gan|vae|cgan|cvae|arbitrary [fp16]');
  process.exit(2);
}
// cgan / cvae: the class-conditional runs, exported and compared like gan / vae.
const family = kind.replace(/^c(?=gan$|vae$)/, '');
const TOLERANCE = precision === 'fp16' ? 1 / 255 : 1e-4;
const RELATIVE_TOLERANCE = precision === 'fp16' ? 1e-2 : 1e-5;
const MAX_FP16_SIZE_RATIO = 0.6;  // kernels halve; names and metadata do not, and weigh more in tiny fixtures
fs.mkdirSync(workDir, { recursive: true });

// Deterministic inputs: a small LCG, so a failure reproduces exactly.
function randomInput(count, lo, hi, seed) {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; ++i) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + (hi - lo) * (s / 4294967296);
  }
  return out;
}

function trainerRun(args) {
  return execFileSync(trainer, ['export', '--run', runDir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

// LibTorch's output for `input` of `shape` (through the trainer), as a Float32Array.
function libtorchForward(input, shape, part, extraArgs = []) {
  const inFile = path.join(workDir, 'ref-in.bin'), outFile = path.join(workDir, 'ref-out.bin');
  fs.writeFileSync(inFile, Buffer.from(input.buffer));
  const args = ['--reference-input', inFile, '--reference-output', outFile, '--reference-shape', shape.join(',')];
  if (part) args.push('--reference-part', part);
  args.push(...extraArgs);
  trainerRun(args);
  const bytes = fs.readFileSync(outFile);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

// Latents [n, z + classes]: random z, then a one-hot class (i mod classes) for a class-conditional model.
function withOneHot(input, n, width, classes) {
  for (let i = 0; i < n && classes > 0; ++i)
    for (let k = 0; k < classes; ++k) input[i * width + width - classes + k] = k === i % classes ? 1 : 0;
  return input;
}

// `extra`: further ONNX inputs {name: ort.Tensor} and the trainer arguments that give LibTorch the same values.
async function compare(file, inputName, outputName, shape, lo, hi, seed, part, outputScale = 1, classes = 0,
                       extra = { feeds: {}, args: [] }) {
  const count = shape.reduce((a, b) => a * b, 1);
  const input = randomInput(count, lo, hi, seed);
  if (shape.length === 2) withOneHot(input, shape[0], shape[1], classes);
  const expected = libtorchForward(input, shape, part, extra.args);
  const session = await ort.InferenceSession.create(file);
  const result = await session.run({ [inputName]: new ort.Tensor('float32', input, shape), ...extra.feeds });
  const got = result[outputName];
  if (got.data.length !== expected.length) {
    throw new Error(`${path.basename(file)} ${shape}: ONNX gave ${got.data.length} values (dims ${got.dims}), LibTorch ${expected.length}`);
  }
  let maxDiff = 0, maxAbs = 0;
  for (let i = 0; i < expected.length; ++i) {
    maxDiff = Math.max(maxDiff, Math.abs(got.data[i] - expected[i]));
    maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
  }
  const scaled = maxDiff / outputScale, relative = maxDiff / Math.max(maxAbs, 1e-30);
  const ok = Number.isFinite(maxDiff) && scaled < TOLERANCE && relative < RELATIVE_TOLERANCE;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${path.basename(file)} input ${inputName} [${shape}] -> ${outputName} [${got.dims}]: ` +
              `max abs diff ${maxDiff.toExponential(2)} raw, ${scaled.toExponential(2)} in output units ` +
              `(/${outputScale}; tolerance ${TOLERANCE}), ${relative.toExponential(2)} of the largest output ` +
              `${maxAbs.toFixed(3)} (tolerance ${RELATIVE_TOLERANCE})`);
  lastOutput = got;
  return ok;
}
let lastOutput = null;

// A conditional encoder's last `classes` outputs are softmax probabilities: each row sums to 1.
function probabilitiesSumToOne(output, classes) {
  const [n, width] = output.dims;
  let ok = true;
  for (let i = 0; i < n; ++i) {
    let sum = 0;
    for (let k = width - classes; k < width; ++k) sum += output.data[i * width + k];
    ok = ok && Math.abs(sum - 1) < 1e-4;
  }
  console.log(`${ok ? 'ok  ' : 'FAIL'} encoder class probabilities sum to 1 in each of ${n} rows`);
  return ok;
}

async function main() {
  const base = path.join(workDir, `${kind}.onnx`);
  const manifestFile = path.join(workDir, `${kind}-manifest.json`);
  trainerRun(['--out', base, '--credits', 'test fixture', '--manifest', manifestFile, '--weights', precision]);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const files = [];
  let ok = true;
  const classes = (manifest.models[0].classes || []).length;
  if ((classes > 0) !== kind.startsWith('c')) throw new Error(`${kind}: the manifest entry lists ${classes} classes`);
  if (classes > 0) console.log(`class-conditional: ${classes} classes (${manifest.models[0].classes.join(', ')})`);
  if (kind === 'style') {
    files.push(base);
    ok = (await compare(base, 'image', 'stylized', [1, 3, 64, 64], 0, 255, 1, undefined, 255)) && ok;
    ok = (await compare(base, 'image', 'stylized', [1, 3, 96, 128], 0, 255, 2, undefined, 255)) && ok;
  } else if (family === 'gan') {
    const z = manifest.models[0].latent_size;
    files.push(base);
    ok = (await compare(base, 'latent', 'image', [3, z], -2, 2, 3, undefined, 1, classes)) && ok;
  } else if (family === 'vae') {
    const { latent_size: z, image_size: s } = manifest.models[0];
    const enc = path.join(workDir, `${kind}-encoder.onnx`), dec = path.join(workDir, `${kind}-decoder.onnx`);
    files.push(enc, dec);
    ok = (await compare(enc, 'image', 'latent', [2, 3, s, s], -1, 1, 4, 'encoder')) && ok;
    if (classes > 0) ok = probabilitiesSumToOne(lastOutput, classes) && ok;
    ok = (await compare(dec, 'latent', 'image', [3, z], -2, 2, 5, 'decoder', 1, classes)) && ok;
  } else if (kind === 'arbitrary') {
    const predictor = path.join(workDir, `${kind}-predictor.onnx`), transformer = path.join(workDir, `${kind}-transformer.onnx`);
    files.push(predictor, transformer);
    ok = (await compare(predictor, 'style', 'style_code', [1, 3, 64, 80], 0, 255, 6, 'predictor')) && ok;
    const code = lastOutput;
    ok = (await compare(predictor, 'style', 'style_code', [1, 3, 90, 70], 0, 255, 7, 'predictor')) && ok;  // odd sizes: SAME_UPPER's extra pixel
    const differs = code.data.some((v, i) => Math.abs(v - lastOutput.data[i]) > 1e-3);
    console.log(`${differs ? 'ok  ' : 'FAIL'} two paintings give different style codes`);
    ok = differs && ok;
    const codeFile = path.join(workDir, 'style-code.bin');
    fs.writeFileSync(codeFile, Buffer.from(new Float32Array(code.data).buffer));
    const extra = { feeds: { style_code: new ort.Tensor('float32', new Float32Array(code.data), code.dims) },
                    args: ['--reference-style-code', codeFile] };
    ok = (await compare(transformer, 'image', 'stylized', [1, 3, 64, 64], 0, 255, 8, 'transformer', 255, 0, extra)) && ok;
    ok = (await compare(transformer, 'image', 'stylized', [1, 3, 96, 128], 0, 255, 9, 'transformer', 255, 0, extra)) && ok;
  } else {
    throw new Error(`unknown kind '${kind}'`);
  }
  for (const m of manifest.models) {
    if (!fs.existsSync(path.join(workDir, m.file))) throw new Error(`manifest names ${m.file}, which was not written`);
  }
  if (precision === 'fp16') {
    const fp32Dir = path.join(workDir, 'fp32');
    fs.mkdirSync(fp32Dir, { recursive: true });
    trainerRun(['--out', path.join(fp32Dir, `${kind}.onnx`), '--credits', 'test fixture']);
    for (const file of files) {
      const ratio = fs.statSync(file).size / fs.statSync(path.join(fp32Dir, path.basename(file))).size;
      const small = ratio <= MAX_FP16_SIZE_RATIO;
      console.log(`${small ? 'ok  ' : 'FAIL'} ${path.basename(file)}: fp16 file is ${(ratio * 100).toFixed(1)}% of fp32 ` +
                  `(at most ${Math.round(MAX_FP16_SIZE_RATIO * 100)}%)`);
      ok = small && ok;
    }
  }
  // The official checker, full_check: shape inference through every node.
  // With --manifest: each file also carries its own manifest entry in its metadata (what the web app reads).
  execFileSync('/usr/bin/python3', [path.join(__dirname, 'check_onnx.py'), '--manifest', manifestFile, ...files],
               { stdio: 'inherit' });
  if (!ok) process.exit(1);
}

main().catch((e) => {
  console.error(`export_parity: ${e.message}`);
  process.exit(1);
});
