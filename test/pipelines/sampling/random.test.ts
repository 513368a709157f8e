import t from 'tap';
import { createRng } from '../../../pipelines/sampling/random.ts';

const take = (seed: number | string, stream = '', n = 5) => {
  const r = createRng(seed, stream);
  return Array.from({ length: n }, () => r.float());
};

t.test('same seed and stream, same numbers; otherwise different', async (t) => {
  t.same(take(1), take(1));
  t.same(take(42), take('42'), 'a number and its decimal string are one seed');
  t.not(take(1)[0], take(2)[0]);
  t.not(take(1, 'a')[0], take(1, 'b')[0]);
});

t.test('floats in [0, 1) with the right mean, ints in range', async (t) => {
  const r = createRng('uniform');
  let sum = 0;
  const n = 20000;
  const hist = new Array(10).fill(0);
  for (let i = 0; i < n; i++) {
    const x = r.float();
    if (x < 0 || x >= 1) t.fail(`out of range ${x}`);
    sum += x;
    hist[r.int(10)]++;
  }
  t.ok(Math.abs(sum / n - 0.5) < 0.01, `mean ${sum / n}`);
  const chi2 = hist.reduce((s, o) => s + (o - n / 10) ** 2 / (n / 10), 0);
  t.ok(chi2 < 40, `chi-square ${chi2.toFixed(1)} over 9 df`);
});
