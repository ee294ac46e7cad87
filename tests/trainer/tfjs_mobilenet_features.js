// Reference for the LibTorch MobileNetV2 port: runs the nsfwjs MobileNetV2 (a TF.js layers model) with
// @tensorflow/tfjs on the CPU backend and writes the named layers' outputs.
//
// usage: node tfjs_mobilenet_features.js MODEL_DIR INPUT.bin HEIGHT WIDTH OUT_DIR LAYER [LAYER...]
//   MODEL_DIR  folder with model.min.js and group1-shard*.min.js (third_party/nsfwjs/dist/models/mobilenet_v2)
//   INPUT.bin  float32 little-endian, NHWC {1,HEIGHT,WIDTH,3}, already in the range the caller wants to test
//   writes OUT_DIR/<layer>.bin (float32 NHWC) and OUT_DIR/shapes.json ({layer: [1,h,w,c]}).
// TF.js decodes the uint8-quantised weights itself, so this also checks the C++ dequantisation independently.
'use strict';
const fs = require('fs');
const path = require('path');
const { tf, loadFeatureModel } = require('../../scripts/report/tfjs_feature_model.cjs');

function fail(message) {
  console.error(`tfjs_mobilenet_features: ${message}`);
  process.exit(1);
}

async function main() {
  const [modelDir, inputPath, h, w, outDir, ...layers] = process.argv.slice(2);
  if (!layers.length) fail('usage: MODEL_DIR INPUT.bin HEIGHT WIDTH OUT_DIR LAYER [LAYER...]');
  const height = Number(h), width = Number(w);
  let sub;
  try {
    sub = await loadFeatureModel(modelDir, layers);
  } catch (e) {
    fail(e.message);
  }

  const raw = fs.readFileSync(inputPath);
  const expected = height * width * 3 * 4;
  if (raw.length !== expected) fail(`${inputPath}: ${raw.length} bytes, expected ${expected} for ${height}x${width}x3 float32`);
  const input = tf.tensor4d(new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4), [1, height, width, 3]);
  let results = sub.predict(input);
  if (!Array.isArray(results)) results = [results];

  fs.mkdirSync(outDir, { recursive: true });
  const shapes = {};
  layers.forEach((name, i) => {
    shapes[name] = results[i].shape;
    fs.writeFileSync(path.join(outDir, `${name}.bin`), Buffer.from(results[i].dataSync().buffer));
  });
  fs.writeFileSync(path.join(outDir, 'shapes.json'), JSON.stringify(shapes));
}

main().catch((e) => fail(e.stack || String(e)));
