// Content and style losses measured with InceptionV3 (nsfwjs's TF.js layers model, run by @tensorflow/tfjs on
// the CPU), a network the style models never trained against (they trained with MobileNetV2), so the quality
// report is not graded by the training loss's own teacher.
//
//   node scripts/report/inception_losses.mjs JOB.json OUT.json
//
// JOB.json: { "model_dir": ".../inception_v3", "items": [{ "id", "image", "content", "style" }] } with PPM paths.
// OUT.json: { "content_layer", "style_layers", "items": [{ "id", "content_loss", "style_loss" }] }, both relative,
// so layers of very different magnitudes weigh alike and 0 means identical, 1 means as far off as all zeros:
//   content_loss = |F(image) - F(photo)|^2 / |F(photo)|^2 on CONTENT_LAYER;
//   style_loss   = mean over STYLE_LAYERS of |G(image) - G(painting)|^2 / |G(painting)|^2, G = F^T F / (h*w*c),
//                  the Gram matrices of Johnson et al. (2016), on another network.
// tfjs-core alone registers no chained ops (t.reshape), hence tf.reshape(t) throughout.
// Images go in as RGB / 255 (the range nsfwjs feeds its models); features of repeated inputs are computed once.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { tf, loadFeatureModel } = require('./tfjs_feature_model.cjs');
const { readPpm } = require('./ppm.cjs');

// Post-ReLU outputs at 1/2, 1/4, 1/8 and 1/16 resolution, like the relu1_2, relu2_2, relu3_3 and relu4_3 of VGG16
// that Johnson et al. used (the conv2d_N layers are before batch norm, whose Grams mostly measure brightness).
// Content at 1/8 resolution (mixed2): object shapes survive there, brush-sized texture does not.
export const CONTENT_LAYER = 'mixed2';
export const STYLE_LAYERS = ['activation_3', 'activation_5', 'mixed1', 'mixed4'];

function gram(features) {
  return tf.tidy(() => {
    const [, h, w, c] = features.shape;
    const flat = tf.reshape(features, [h * w, c]);
    return tf.div(tf.matMul(flat, flat, true, false), h * w * c);
  });
}

export async function makeMeasurer(modelDir) {
  const layers = [...new Set([CONTENT_LAYER, ...STYLE_LAYERS])];
  const net = await loadFeatureModel(modelDir, layers);
  const cache = new Map();  // path -> { content: tensor, grams: [tensor] }, kept for the whole run
  const describe = (file) => {
    if (cache.has(file)) return cache.get(file);
    const { width, height, pixels } = readPpm(file);
    const outputs = tf.tidy(() => {
      const input = tf.tensor4d(Float32Array.from(pixels, (v) => v / 255), [1, height, width, 3]);
      const out = net.predict(input);
      return Array.isArray(out) ? out : [out];
    });
    const byName = Object.fromEntries(layers.map((name, i) => [name, outputs[i]]));
    const entry = { content: byName[CONTENT_LAYER], grams: STYLE_LAYERS.map((name) => gram(byName[name])) };
    outputs.forEach((t) => { if (t !== entry.content) t.dispose(); });
    cache.set(file, entry);
    return entry;
  };
  const relativeDistance = (a, reference) =>
    tf.tidy(() => tf.sum(tf.square(tf.sub(a, reference))).dataSync()[0] / tf.sum(tf.square(reference)).dataSync()[0]);
  return {
    measure(image, content, style) {
      const of = describe(image);
      const photo = describe(content);
      const painting = describe(style);
      if (of.content.shape.join() !== photo.content.shape.join())
        throw new Error(`${image} and ${content} differ in size: content loss compares them position by position`);
      return {
        content_loss: relativeDistance(of.content, photo.content),
        style_loss: of.grams.reduce((sum, g, i) => sum + relativeDistance(g, painting.grams[i]), 0) / of.grams.length,
      };
    },
  };
}

async function main() {
  const [jobFile, outFile] = process.argv.slice(2);
  if (!outFile) throw new Error('usage: node inception_losses.mjs JOB.json OUT.json');
  const job = JSON.parse(fs.readFileSync(jobFile, 'utf8'));
  const measurer = await makeMeasurer(job.model_dir);
  const items = [];
  for (const item of job.items) {
    const started = Date.now();
    items.push({ id: item.id, ...measurer.measure(item.image, item.content, item.style) });
    console.log(`${item.id}: content ${items.at(-1).content_loss.toFixed(4)} style ${items.at(-1).style_loss.toFixed(4)} (${Date.now() - started} ms)`);
  }
  fs.writeFileSync(outFile, JSON.stringify({ content_layer: CONTENT_LAYER, style_layers: STYLE_LAYERS, items }, null, 1));
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  main().catch((e) => {
    console.error(`inception_losses: ${e.message}`);
    process.exit(1);
  });
}
