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
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
// Silence the 'install the node backend' banner: the pure-JS CPU backend is the point here.
tf.env().set('IS_NODE', false);
const tfl = require('@tensorflow/tfjs-layers');

function fail(message) {
  console.error(`tfjs_mobilenet_features: ${message}`);
  process.exit(1);
}

async function main() {
  const [modelDir, inputPath, h, w, outDir, ...layers] = process.argv.slice(2);
  if (!layers.length) fail('usage: MODEL_DIR INPUT.bin HEIGHT WIDTH OUT_DIR LAYER [LAYER...]');
  const height = Number(h), width = Number(w);
  await tf.setBackend('cpu');

  // The UMD wrappers export the model JSON object and each shard's base64 string.
  const model = require(path.resolve(modelDir, 'model.min.js'));
  const group = model.weightsManifest[0];
  const shards = group.paths.map((p) => Buffer.from(require(path.resolve(modelDir, `${p}.min.js`)), 'base64'));
  const weightData = Buffer.concat(shards);
  // The saved input is fixed at 224x224; the convolutional layers accept any size, so free height and width
  // and cut the graph after the last requested layer (the classifier head needs the fixed size).
  const topology = JSON.parse(JSON.stringify(model.modelTopology));
  const config = topology.model_config.config;
  const index = (name) => config.layers.findIndex((l) => l.name === name);
  for (const name of layers) if (index(name) < 0) fail(`no layer named '${name}' in ${modelDir}`);
  const last = Math.max(...layers.map(index));
  config.layers = config.layers.slice(0, last + 1);
  config.output_layers = [[config.layers[last].name, 0, 0]];
  for (const layer of config.layers) {
    if (layer.class_name === 'InputLayer') layer.config.batch_input_shape = [null, null, null, 3];
  }
  const handler = tf.io.fromMemory({
    modelTopology: topology,
    weightSpecs: group.weights,
    weightData: weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength),
  });
  const net = await tfl.loadLayersModel(handler, { strict: false });  // weights of the cut head are unused

  const outputs = layers.map((name) => net.getLayer(name).output);
  const sub = tfl.model({ inputs: net.inputs, outputs });

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
