// How far apart two style model files are in what people see: runs both (onnxruntime-node, whole image) on each
// PPM photo and prints the mean and largest per-channel difference of the 8-bit results, and the share of
// channel values that differ by more than one grey level. Used to check that the float16-weight exports
// (export --weights fp16) look the same as float32 ones.
//
//   node scripts/report/compare_style_models.mjs A.onnx B.onnx PHOTO.ppm [PHOTO.ppm ...]
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const { readPpm } = require('./ppm.cjs');

async function stylize(session, { width, height, pixels }) {
  const plane = width * height;
  const input = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) input[c * plane + p] = pixels[p * 3 + c];
  const result = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, height, width]) });
  return Uint8Array.from(result[session.outputNames[0]].data, (v) => Math.max(0, Math.min(255, Math.round(v))));
}

async function main() {
  const [fileA, fileB, ...photos] = process.argv.slice(2);
  if (!photos.length) throw new Error('usage: A.onnx B.onnx PHOTO.ppm [PHOTO.ppm ...]');
  const [a, b] = await Promise.all([fileA, fileB].map((f) => ort.InferenceSession.create(f, { intraOpNumThreads: 1 })));
  for (const photo of photos) {
    const image = readPpm(photo);
    const [outA, outB] = [await stylize(a, image), await stylize(b, image)];
    let sum = 0, max = 0, over = 0;
    for (let i = 0; i < outA.length; i++) {
      const d = Math.abs(outA[i] - outB[i]);
      sum += d;
      max = Math.max(max, d);
      if (d > 1) over++;
    }
    console.log(`${photo} (${image.width}x${image.height}): mean ${(sum / outA.length).toFixed(3)}, max ${max}, ` +
                `${(100 * over / outA.length).toFixed(3)}% of values differ by more than 1 grey level`);
  }
}

main().catch((e) => {
  console.error(`compare_style_models: ${e.message}`);
  process.exit(1);
});
