// The TF.js oracle for the importer: builds Keras models in TensorFlow.js (a real implementation
// of Keras layers) with seeded weights, saves each in the TF.js layers format (model.json +
// weights.bin) with the inputs it was given and what model.predict returned (io.json).
//
//   node make_models.mjs SEED|random OUTDIR
//
// The same seed gives the same files; tests/fixtures/tfjs holds the set made with seed 1, and
// `make test` makes a fresh set with a new seed each run (tests/CMakeLists.txt).
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import path from 'node:path';

import { generator } from './random.mjs';

// "random" picks a new seed (printed, and written into every io.json so a failure can be replayed).
const seed = process.argv[2] === 'random' ? 1 + Math.floor(Math.random() * 1e6) : Number(process.argv[2] ?? 1);
const outdir = process.argv[3] ?? 'out';

const random = generator(seed);
fs.rmSync(outdir, { recursive: true, force: true });  // a fresh set only, never a mix with an older one
const uniform = (lo, hi) => lo + (hi - lo) * random();
let layerSeed = seed * 1000;
const dense = (units, activation, extra = {}) =>
  tf.layers.dense({
    units, activation, name: extra.name,
    kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed++ }),
    biasInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: layerSeed++ }),
    ...extra,
  });

/// Sets every BatchNormalization layer's statistics to seeded values (they start at 0 and 1).
function randomizeBatchNorm(model) {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    layer.setWeights(layer.getWeights().map((w, i) => {
      const values = Array.from({ length: w.size }, () => (i === 3 ? uniform(0.2, 2.0) : uniform(-1, 1)));
      return tf.tensor(values, w.shape);
    }));
  }
}

const activations = ['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'tanh', 'softmax',
  'softplus', 'softsign', 'swish', 'mish', 'gelu'];

const models = [];
for (const activation of activations) {
  models.push([`dense-${activation}`, 5, (n) => [dense(6, activation, { inputShape: [n], name: 'hidden' }), dense(3, 'linear', { name: 'out' })]]);
}
models.push(['batchnorm-folded', 4, (n) => [dense(8, 'linear', { inputShape: [n], name: 'd1' }),
  tf.layers.batchNormalization({ name: 'bn1', epsilon: 0.01 }), tf.layers.activation({ activation: 'relu', name: 'a1' }),
  dense(2, 'sigmoid', { name: 'd2' })]]);
models.push(['batchnorm-after-relu', 4, (n) => [dense(8, 'relu', { inputShape: [n], name: 'd1' }),
  tf.layers.batchNormalization({ name: 'bn1' }), tf.layers.dropout({ rate: 0.3, name: 'drop' }), dense(1, 'sigmoid', { name: 'd2' })]]);
models.push(['leaky-prelu-relu6', 3, (n) => [dense(10, 'linear', { inputShape: [n], name: 'd1' }),
  tf.layers.leakyReLU({ alpha: 0.1, name: 'leaky' }), dense(10, 'linear', { name: 'd2' }),
  tf.layers.prelu({ name: 'prelu', alphaInitializer: tf.initializers.randomUniform({ minval: 0, maxval: 0.5, seed: layerSeed++ }) }),
  dense(6, 'linear', { name: 'd3' }), tf.layers.reLU({ maxValue: 1.5, name: 'capped' }), dense(2, 'softmax', { name: 'd4' })]]);
models.push(['no-bias-activation-layers', 4, (n) => [dense(7, 'linear', { inputShape: [n], name: 'd1', useBias: false }),
  tf.layers.activation({ activation: 'tanh', name: 'act' }), dense(4, 'linear', { name: 'd2', useBias: false }),
  tf.layers.softmax({ name: 'sm' })]]);
models.push(['deep', 6, (n) => [dense(12, 'relu', { inputShape: [n], name: 'd1' }), dense(12, 'tanh', { name: 'd2' }),
  dense(12, 'relu', { name: 'd3' }), dense(12, 'sigmoid', { name: 'd4' }), dense(12, 'elu', { name: 'd5' }),
  dense(12, 'relu', { name: 'd6' }), dense(1, 'sigmoid', { name: 'd7' })]]);
models.push(['wide', 20, (n) => [dense(128, 'relu', { inputShape: [n], name: 'd1' }), dense(64, 'relu', { name: 'd2' }),
  dense(10, 'softmax', { name: 'd3' })]]);

for (const [name, inputs, layers] of models) {
  const model = tf.sequential({ name, layers: layers(inputs) });
  randomizeBatchNorm(model);
  const rows = Array.from({ length: 8 }, () => Array.from({ length: inputs }, () => uniform(-2, 2)));
  const outputs = model.predict(tf.tensor2d(rows)).arraySync();
  const dir = path.join(outdir, name);
  fs.mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(artifacts.weightData));
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({
      modelTopology: artifacts.modelTopology, format: 'layers-model', generatedBy: 'TensorFlow.js tfjs-layers ' + tf.version.tfjs,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    }));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  fs.writeFileSync(path.join(dir, 'io.json'), JSON.stringify({ seed, inputs: rows, outputs }));
}
console.log(`wrote ${models.length} TF.js models with seed ${seed} to ${outdir}`);
