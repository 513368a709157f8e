import t from 'tap';
import { SignalBank, signalHeads } from '../../../pipelines/signal/signal-bank.ts';
import { junction } from '../rules/fixtures.ts';

t.test('every vehicle and pedestrian head of the calibration is read', async (t) => {
  const c = junction({ rightArrow: true });
  const heads = signalHeads(c);
  const expected = [...c.approaches.flatMap((a) => a.signals.map((s) => s.id)), ...c.crosswalks.map((w) => w.signal.id)];
  t.same(heads.map((h) => h.id), expected);
  t.ok(heads.some((h) => h.kind === 'pedestrian') || c.crosswalks.length === 0);
});

t.test('heads are decided in lockstep, a missing crop reads unknown', async (t) => {
  const bank = new SignalBank([
    { id: 'a', kind: 'vehicle', orientation: 'vertical', region: { x: 0, y: 0, width: 10, height: 30 } },
    { id: 'b', kind: 'vehicle', orientation: 'vertical', region: { x: 20, y: 0, width: 10, height: 30 } },
  ]);
  t.same(bank.read(new Map()), { a: 'unknown', b: 'unknown' });
  const out = [
    ...bank.push({ frameIndex: 0, t: 0 }, { a: 'red', b: 'green' }),
    ...bank.push({ frameIndex: 1, t: 125 }, { a: 'red', b: 'green' }),
    ...bank.push({ frameIndex: 2, t: 250 }, { a: 'red', b: 'amber' }),
    ...bank.finish(),
  ];
  t.same(out.map((f) => f.frameIndex), [0, 1, 2]);
  t.same(out[0]!.states, { a: 'red', b: 'green' });
  t.same(out[2]!.states, { a: 'red', b: 'green' }, 'a one-frame amber at the end is not accepted');
});

t.test('a camera without heads still yields a frame per frame', async (t) => {
  const bank = new SignalBank([]);
  t.same(bank.push({ frameIndex: 7, t: 875 }, {}), [{ frameIndex: 7, t: 875, states: {} }]);
});
