// Runs a shipped style model (models/<id>.onnx: NCHW float 0..255 in and out, as models/manifest.json says) on
// PPM images with onnxruntime-node, whole image in one run (the report's photos are small enough; the app tiles
// bigger ones). Prints one JSON line: {"inference_ms": [...]} per image, session creation excluded.
//
//   node scripts/report/style_onnx.mjs MODEL.onnx IN.ppm OUT.ppm [IN.ppm OUT.ppm ...]
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const { readPpm, writePpm } = require('./ppm.cjs');

export const openStyleModel = (file) => ort.InferenceSession.create(file, { intraOpNumThreads: 1 });

// One image ({width, height, pixels: RGB bytes}) through a style session: the stylized RGB bytes, rounded and
// clamped to 0..255, and the milliseconds session.run took.
export async function stylizePixels(session, { width, height, pixels }) {
  const plane = width * height;
  const input = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) input[c * plane + p] = pixels[p * 3 + c];
  const started = performance.now();
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, height, width]) });
  const inferenceMs = performance.now() - started;
  const output = result[session.outputNames[0]];
  if (output.dims[2] !== height || output.dims[3] !== width)
    throw new Error(`the model turned ${width}x${height} into ${output.dims[3]}x${output.dims[2]}: give it sides that are multiples of 4`);
  const out = Buffer.alloc(3 * plane);
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.max(0, Math.min(255, Math.round(output.data[c * plane + p])));
  return { pixels: out, inferenceMs };
}

async function main() {
  const [modelFile, ...files] = process.argv.slice(2);
  if (!modelFile || files.length === 0 || files.length % 2) throw new Error('usage: MODEL.onnx IN.ppm OUT.ppm [IN.ppm OUT.ppm ...]');
  const session = await openStyleModel(modelFile);
  const inferenceMs = [];
  for (let i = 0; i < files.length; i += 2) {
    const image = readPpm(files[i]);
    const result = await stylizePixels(session, image).catch((e) => { throw new Error(`${modelFile}: ${e.message}`); });
    inferenceMs.push(result.inferenceMs);
    writePpm(files[i + 1], { width: image.width, height: image.height, pixels: result.pixels });
  }
  console.log(JSON.stringify({ inference_ms: inferenceMs }));
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  main().catch((e) => {
    console.error(`style_onnx: ${e.message}`);
    process.exit(1);
  });
}
