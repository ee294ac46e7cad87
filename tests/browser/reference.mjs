// The reference the browser is checked against: the same ONNX model run by onnxruntime-node (native CPU), with
// the same pre/post-processing as shared/ (styleforge::image_to_tensor / tensor_to_image), written out again here.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

// x = (p * scale - mean[c]) / std[c], planar {1,3,H,W}.
export function imageToTensor({ width, height, rgba }, norm) {
  const plane = width * height;
  const data = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++)
    for (let i = 0; i < plane; i++) data[c * plane + i] = (rgba[i * 4 + c] * norm.scale - norm.mean[c]) / norm.std[c];
  return new ort.Tensor('float32', data, [1, 3, height, width]);
}

// p = round((x * std[c] + mean[c]) / scale), clamped to 0..255, alpha 255.
export function tensorToImage(tensor, norm) {
  const [, , height, width] = tensor.dims;
  const plane = width * height;
  const rgba = new Uint8Array(plane * 4);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) {
      const p = Math.round((tensor.data[c * plane + i] * norm.std[c] + norm.mean[c]) / norm.scale);
      rgba[i * 4 + c] = Math.max(0, Math.min(255, p));
    }
    rgba[i * 4 + 3] = 255;
  }
  return { width, height, rgba };
}

// Runs a style model of the manifest on an image, untiled.
export async function stylizeReference(modelPath, entry, image) {
  const session = await ort.InferenceSession.create(modelPath);
  const out = await session.run({ [entry.input.name]: imageToTensor(image, entry.input.normalization) });
  const result = tensorToImage(out[entry.output.name], entry.output.normalization);
  await session.release();
  return result;
}

// Mean and max absolute difference over the RGB channels of two same-size images (0..255 units).
export function compareImages(a, b) {
  if (a.width !== b.width || a.height !== b.height)
    throw new Error(`size differs: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  let sum = 0, max = 0;
  for (let i = 0; i < a.width * a.height; i++)
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(a.rgba[i * 4 + c] - b.rgba[i * 4 + c]);
      sum += d;
      if (d > max) max = d;
    }
  return { meanAbs: sum / (a.width * a.height * 3), maxAbs: max };
}
