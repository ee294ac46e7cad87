// Loads one of nsfwjs's TF.js layers models (model.min.js + group1-shard*.min.js, UMD wrappers around the model
// JSON and base64 weight shards) into @tensorflow/tfjs-layers on the pure-JS CPU backend, and returns a model
// whose outputs are the named layers. Used where a reference implementation of a network is wanted that shares
// no code with our LibTorch ports: the tests of the MobileNetV2 and InceptionV3 ports.
'use strict';
const path = require('path');
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
// Silence the 'install the node backend' banner: the pure-JS CPU backend is the point here.
tf.env().set('IS_NODE', false);
const tfl = require('@tensorflow/tfjs-layers');

// The saved input is fixed (224 or 299 square); the convolutional layers accept any size, so free height and
// width and cut the graph after the last requested layer (the classifier head needs the fixed size).
async function loadFeatureModel(modelDir, layers) {
  await tf.setBackend('cpu');
  const model = require(path.resolve(modelDir, 'model.min.js'));
  const group = model.weightsManifest[0];
  const shards = group.paths.map((p) => Buffer.from(require(path.resolve(modelDir, `${p}.min.js`)), 'base64'));
  const weightData = Buffer.concat(shards);
  const topology = JSON.parse(JSON.stringify(model.modelTopology));
  const config = topology.model_config.config;
  const index = (name) => config.layers.findIndex((l) => l.name === name);
  const missing = layers.filter((name) => index(name) < 0);
  if (missing.length) throw new Error(`no layer named ${missing.map((n) => `'${n}'`).join(', ')} in ${modelDir}`);
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
  return tfl.model({ inputs: net.inputs, outputs: layers.map((name) => net.getLayer(name).output) });
}

module.exports = { tf, loadFeatureModel };
