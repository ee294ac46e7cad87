// How far apart two style model files are in what people see: runs both (onnxruntime-node, whole image) on each
// PPM photo and prints the mean and largest per-channel difference of the 8-bit results, and the share of
// channel values that differ by more than one grey level. Used to check that the float16-weight exports
// (export --weights fp16) look the same as float32 ones.
//
//   node scripts/report/compare_style_models.mjs A.onnx B.onnx PHOTO.ppm [PHOTO.ppm ...]
import { createRequire } from 'node:module';

import { openStyleModel, stylizePixels } from './style_onnx.mjs';

const { readPpm } = createRequire(import.meta.url)('./ppm.cjs');

async function main() {
  const [fileA, fileB, ...photos] = process.argv.slice(2);
  if (!photos.length) throw new Error('usage: A.onnx B.onnx PHOTO.ppm [PHOTO.ppm ...]');
  const [a, b] = await Promise.all([fileA, fileB].map(openStyleModel));
  for (const photo of photos) {
    const image = readPpm(photo);
    const [outA, outB] = [(await stylizePixels(a, image)).pixels, (await stylizePixels(b, image)).pixels];
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
