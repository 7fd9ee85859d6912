// Training steps in TensorFlow.js, the oracle for anne's optimizers and backward pass.
//
// For each case: a small Sequential model with seeded initial weights, a fixed batch of rows, one
// training step (model.fit with batchSize = rows, shuffle false), then nine more. Writes the initial
// weights, the data, the loss of each step and the weights after steps 1 and 10 to
// ../fixtures/train/tfjs_steps.json, which is committed; tests/test_train_oracle.cpp reads it.
// Adam: TF.js adds epsilon to the bias-corrected sqrt(v) (the Adam paper's Algorithm 1), Keras adds
// it to the uncorrected sqrt(v) (the paper's "epsilon hat" form), so for gradients near epsilon the
// two differ by design. The Adam cases use epsilon 1e-12, where both forms agree; Keras's form with
// its default 1e-7 is checked against a closed form in tests/test_train.cpp.
// Regenerate with:  node train_steps.mjs   (in tests/oracle, after `npm ci`)
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';

import { generator } from './random.mjs';


function buildModel(c, seed) {
  const model = tf.sequential();
  const spec = c.layers;
  for (let k = 1; k < spec.length; ++k) {
    const [units, activation] = spec[k];
    const config = { units, name: `dense_${k}`, activation: activation === 'prelu' ? 'linear' : activation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + k }),
      biasInitializer: tf.initializers.randomUniform({ minval: -0.1, maxval: 0.1, seed: seed + 100 + k }) };
    if (k === 1) config.inputShape = [spec[0][0]];
    model.add(tf.layers.dense(config));
    if (activation === 'prelu') {
      model.add(tf.layers.prelu({ name: `prelu_${k}`,
        alphaInitializer: tf.initializers.randomUniform({ minval: 0.05, maxval: 0.4, seed: seed + 200 + k }) }));
    }
  }
  return model;
}

// anne's view of the layers: one entry per Dense, with the PReLU slopes folded in as its activation.
function snapshot(model, c) {
  const out = [];
  for (const layer of model.layers) {
    const weights = layer.getWeights().map((w) => w.arraySync());
    if (layer.name.startsWith('prelu_')) {
      out[out.length - 1].alpha = weights[0];
    } else {
      out.push({ kernel: weights[0], bias: weights[1] });
    }
  }
  return out;
}

const results = [];
for (const [index, c] of cases.entries()) {
  const random = generator(1000 + index);
  const inputs = c.layers[0][0];
  const outputs = c.layers[c.layers.length - 1][0];
  const x = [];
  const y = [];
  for (let r = 0; r < c.rows; ++r) {
    x.push(Array.from({ length: inputs }, () => Math.fround(4 * random() - 2)));
    if (c.loss === 'bce') y.push([r % 2]);
    else if (c.loss === 'sparse_cce') y.push([r % outputs]);
    else if (c.loss === 'cce') y.push(Array.from({ length: outputs }, (_, i) => (i === r % outputs ? 1 : 0)));
    else y.push(Array.from({ length: outputs }, () => Math.fround(2 * random() - 1)));
  }
  const model = buildModel(c, 10 * index);
  model.compile({ optimizer: makeOptimizer(c.optimizer), loss: tfLoss[c.loss] });
  const initial = snapshot(model, c);
  const xs = tf.tensor2d(x);
  const ys = tf.tensor2d(y);
  const first = await model.fit(xs, ys, { batchSize: c.rows, epochs: 1, shuffle: false, verbose: 0 });
  const afterOne = snapshot(model, c);
  const more = await model.fit(xs, ys, { batchSize: c.rows, epochs: 9, shuffle: false, verbose: 0 });
  const afterTen = snapshot(model, c);
  results.push({
    name: c.name, loss: c.loss, optimizer: c.optimizer,
    activations: c.layers.slice(1).map((l) => l[1]),
    x, y, initial,
    losses: [...first.history.loss, ...more.history.loss],
    after: { 1: afterOne, 10: afterTen },
  });
}

const document = { generator: `@tensorflow/tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}`, cases: results };
writeFileSync(new URL('../fixtures/train/tfjs_steps.json', import.meta.url), JSON.stringify(document, null, 1) + '\n');
console.log(`wrote ${results.length} cases`);
