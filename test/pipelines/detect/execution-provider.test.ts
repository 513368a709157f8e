// Issue 8 item 5: the execution provider is a setting; CPU by default, and
// 'cuda' without onnxruntime-node's CUDA files fails at load saying how a GPU
// deployment installs them.
import t from 'tap';
import { existsSync } from 'node:fs';
import { loadDetector, loadDetectorInWorker } from '../../../pipelines/detect/index.ts';
import { cudaProviderFile, sessionOptions } from '../../../pipelines/detect/session.ts';
import { isCrosswatchError } from '../../../pipelines/errors.ts';
import { loadConfig } from '../../../services/config.ts';
import { crosswatchModel } from './layout-models.ts';

const model = crosswatchModel([]);

t.test('setting: cpu by default, cuda accepted, anything else refused with its name', async (t) => {
  t.equal(loadConfig({}).executionProvider, 'cpu');
  t.equal(loadConfig({ CROSSWATCH_EXECUTION_PROVIDER: 'cuda' }).executionProvider, 'cuda');
  t.throws(() => loadConfig({ CROSSWATCH_EXECUTION_PROVIDER: 'tpu' }), /CROSSWATCH_EXECUTION_PROVIDER \(executionProvider\): one of "cpu", "cuda"/);
});

t.test('session options carry the provider', async (t) => {
  t.same(sessionOptions({}).executionProviders, ['cpu']);
  t.same(sessionOptions({ executionProvider: 'cuda' }).executionProviders, ['cuda']);
});

t.test('cpu loads as before', async (t) => {
  const d = await loadDetector(model, { executionProvider: 'cpu', intraOpNumThreads: 1 });
  t.equal(d.layout, 'crosswatch');
  await d.close();
});

t.test('cuda without the CUDA files: MODEL_INVALID naming the missing file and the install step', { skip: existsSync(cudaProviderFile()) && 'CUDA provider installed here' }, async (t) => {
  for (const load of [loadDetector, loadDetectorInWorker]) {
    try {
      await load(model, { executionProvider: 'cuda' });
      t.fail('expected MODEL_INVALID');
    } catch (err) {
      t.ok(isCrosswatchError(err, 'MODEL_INVALID'), (err as Error).message);
      t.match((err as Error).message, /execution provider "cuda".*libonnxruntime_providers_cuda\.so is missing/);
      t.match((err as Error).message, /--onnxruntime-node-install=cuda12/);
      t.match((err as Error).message, /CROSSWATCH_EXECUTION_PROVIDER=cpu/);
    }
  }
});
