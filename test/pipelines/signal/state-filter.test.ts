import t from 'tap';
import { SignalStateFilter } from '../../../pipelines/signal/state-filter.ts';
import type { SignalColour } from '../../../pipelines/types.ts';

const R = 'red', A = 'amber', G = 'green', U = 'unknown', O = 'off';

function run(readings: SignalColour[], hold = 2, unknownAfter = 3): SignalColour[] {
  const f = new SignalStateFilter({ holdFrames: hold, unknownAfterFrames: unknownAfter });
  const out = readings.flatMap((r, i) => f.push(i, r));
  out.push(...f.finish());
  t.same(out.map((o) => o.item), readings.map((_, i) => i), 'every frame decided once, in order');
  return out.map((o) => o.colour);
}

const cases: [string, SignalColour[], SignalColour[], number?][] = [
  ['steady green', [G, G, G, G], [G, G, G, G]],
  ['change dated to the first frame of its run', [G, G, R, R, R], [G, G, R, R, R]],
  ['one-frame flicker rejected', [R, R, G, R, R], [R, R, R, R, R]],
  ['short unknown keeps the state', [R, R, U, U, R, R], [R, R, R, R, R, R]],
  ['long unknown becomes unknown', [R, R, U, U, U, U, R, R], [R, R, U, U, U, U, R, R]],
  ['start of window before any run is unknown', [G, R, R], [U, R, R]],
  ['amber of two frames is kept', [G, G, A, A, R, R], [G, G, A, A, R, R]],
  ['off is a state like any other', [O, O, O], [O, O, O]],
  ['hold 3 rejects a two-frame blip', [G, G, G, R, R, G, G, G], [G, G, G, G, G, G, G, G], 3],
  ['a short run at the window end is not accepted', [G, G, G, R], [G, G, G, G]],
];
for (const [name, input, expected, hold] of cases) {
  t.test(name, async (t) => {
    t.same(run(input, hold ?? 2), expected);
  });
}

t.test('invalid options are refused', async (t) => {
  t.throws(() => new SignalStateFilter({ holdFrames: 0, unknownAfterFrames: 1 }), RangeError);
});
