import t from 'tap';
import { boxToXyah, initiate, predict, stateBox, stateVelocity, update, xyahToBox } from '../../../pipelines/track/kalman.ts';

t.test('box ↔ xyah round trip', async (t) => {
  const b = { x1: 10, y1: 20, x2: 70, y2: 60 };
  t.same(xyahToBox(boxToXyah(b)), b);
});

t.test('constant velocity is learnt and predicted', async (t) => {
  let s = initiate(boxToXyah({ x1: 0, y1: 100, x2: 100, y2: 160 }));
  for (let k = 1; k <= 10; k++) s = update(predict(s), boxToXyah({ x1: 30 * k, y1: 100, x2: 30 * k + 100, y2: 160 }));
  const [vx, vy] = stateVelocity(s);
  t.ok(Math.abs(vx - 30) < 3, `vx ${vx}`);
  t.ok(Math.abs(vy) < 1);
  const ahead = stateBox(predict(s, 2));
  t.ok(Math.abs(ahead.x1 - 360) < 8, `two steps ahead ${ahead.x1}`);
});

t.test('freezeHeight stops a lost box from growing', async (t) => {
  let s = initiate(boxToXyah({ x1: 0, y1: 0, x2: 50, y2: 50 }));
  for (let k = 1; k <= 8; k++) s = update(predict(s), boxToXyah({ x1: 0, y1: 0, x2: 50 + 5 * k, y2: 50 + 5 * k }));
  const h0 = stateBox(s).y2 - stateBox(s).y1;
  const frozen = stateBox(predict(s, 5, true));
  t.ok(Math.abs(frozen.y2 - frozen.y1 - h0) < 1e-9);
});

// A car coming in through the bottom edge of a 720-line picture, its box cut
// there: 160 px wide throughout, 15 px taller each frame, so its aspect falls
// from 4 to about 1.3 in eight frames (a second at 8 fps). ByteTrack's
// near-fixed aspect predicted a box almost twice as wide as the car, wide
// enough to take the next car's detection.
t.test('the aspect ratio follows a box whose shape changes (a car entering through the bottom edge)', async (t) => {
  const box = (k: number) => ({ x1: 900, y1: 680 - 15 * k, x2: 1060, y2: 720 });
  let s = initiate(boxToXyah(box(0)));
  for (let k = 1; k <= 8; k++) s = update(predict(s), boxToXyah(box(k)));
  const next = stateBox(predict(s));
  const w = next.x2 - next.x1;
  t.ok(w > 130 && w < 200, `predicted width ${w.toFixed(0)} px for a 160 px car`);
});
