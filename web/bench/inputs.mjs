// What the speed benchmarks (bench.mjs, speed_pair.mjs) feed and how they summarise: one synthetic square photo
// (the time does not depend on the content), its float NCHW tensor for onnxruntime-node, and the median of runs.

// A square test photo as packed RGB: smooth shapes, a gradient and blocks.
export function squarePhoto(side) {
  const rgb = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const i = (y * side + x) * 3;
      rgb[i] = 128 + 100 * Math.sin(x / 37) * Math.cos(y / 23);
      rgb[i + 1] = (255 * x) / side;
      rgb[i + 2] = ((x >> 5) + (y >> 5)) % 2 ? 200 : 60;
    }
  return rgb;
}

// That photo as the [1, 3, side, side] float input a manifest entry expects (its input normalisation).
export function photoTensor(ort, entry, rgb, side) {
  const n = entry.input.normalization;
  const data = new Float32Array(3 * side * side);
  for (let c = 0; c < 3; c++)
    for (let i = 0; i < side * side; i++) data[c * side * side + i] = (rgb[i * 3 + c] * n.scale - n.mean[c]) / n.std[c];
  return new ort.Tensor('float32', data, [1, 3, side, side]);
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
