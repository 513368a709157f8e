// Ground truth semantics: determinism, and every event checked against the
// signal timeline the sidecar itself carries.
import t from 'tap';
import { LAYOUT_NAMES, simulateClip, type GroundTruth } from '../../../pipelines/sim/index.ts';
import { SEEN_FRACTION } from '../../../pipelines/sim/ground-truth.ts';

const BUSY = { redLightRun: 0.5, stopLineOverrun: 0.3, nonMotorRedRun: 0.6, pedDontWalk: 0.6, jaywalkPerMinute: 3, demand: 1.3 };

function colourAt(gt: GroundTruth, signalId: string, time: number): string | undefined {
  return gt.signals[signalId]?.find(([a, b]) => a <= time && time < b)?.[2];
}

t.test('the same seed gives the same ground truth byte for byte', async (t) => {
  const a = JSON.stringify(simulateClip({ seed: 11, seconds: 12, conditions: 'night,rain,shake' }).groundTruth);
  const b = JSON.stringify(simulateClip({ seed: 11, seconds: 12, conditions: 'night,rain,shake' }).groundTruth);
  t.equal(a, b);
  const c = JSON.stringify(simulateClip({ seed: 12, seconds: 12, conditions: 'night,rain,shake' }).groundTruth);
  t.not(a, c, 'another seed gives another clip');
});

for (const layout of LAYOUT_NAMES) {
  t.test(`events agree with the signal timeline (${layout})`, async (t) => {
    const { groundTruth: gt, sites } = simulateClip({ seed: 21, seconds: 150, layout, behaviour: BUSY, fps: 10 });
    const calib = sites.intersections[0]!.cameras[0]!.calibration!;
    const zones = new Set<string>(['carriageway', ...calib.approaches.map((a) => a.id), ...calib.crosswalks.map((c) => c.id)]);
    const byCat = (c: string) => gt.events.filter((e) => e.category === c);
    t.ok(byCat('red_light').length > 0, 'some red-light runners');
    t.ok(byCat('stop_line_overrun').length > 0, 'some overruns');
    t.ok(byCat('jaywalk').length > 0, 'some jaywalkers');
    for (const e of [...byCat('red_light'), ...byCat('non_motor_red_light')]) {
      t.equal(colourAt(gt, e.signalId!, e.stopLineT!), 'red', `actor ${e.actorId} crossed the stop line on red`);
      t.ok(e.secondLineT !== null && e.secondLineT > e.stopLineT! && e.secondLineT < gt.frameCount / gt.fps, `actor ${e.actorId} passed the second line inside the clip`);
    }
    for (const e of byCat('stop_line_overrun')) {
      t.equal(colourAt(gt, e.signalId!, e.stopLineT!), 'red', `overrun ${e.actorId} crossed on red`);
      t.equal(e.secondLineT, null, 'an overrun stops short of the second line');
      t.ok(e.haltT! >= e.stopLineT!, 'halts after crossing');
    }
    for (const e of byCat('jaywalk')) {
      if (e.zoneId !== 'carriageway') t.equal(colourAt(gt, e.signalId!, e.enterT!), 'red', `pedestrian ${e.actorId} started on don't-walk`);
    }
    for (const e of gt.events) {
      t.ok(zones.has(e.zoneId) || !calib.approaches.length, `zone ${e.zoneId} is calibrated`);
      t.ok(gt.exposures.some((x) => x.actorId === e.actorId && x.category === e.category), `violator ${e.actorId} is also an exposure`);
    }
    const amber = gt.actors.filter((a) => a.behaviour === 'amber_crossing');
    t.ok(amber.length > 0, 'some amber crossers');
    for (const a of amber) t.notOk(gt.events.some((e) => e.actorId === a.id), `amber crosser ${a.id} is not a violation`);
    for (const a of gt.actors.filter((x) => x.behaviour === 'right_turn_on_red')) t.notOk(gt.events.some((e) => e.actorId === a.id), 'legal right turn on red');
    // Where a right arrow governs the right turn (north and south in the right-arrow layout), turning against its red is a run.
    const arrowRight = gt.events.filter((e) => e.category === 'red_light' && e.signalId?.endsWith('-right'));
    if (layout === 'right-arrow') t.ok(arrowRight.length > 0, `right-turners against a red right arrow are runners (${arrowRight.length})`);
    else t.equal(arrowRight.length, 0, 'no right arrows, no right-arrow runs');
    for (const a of gt.actors.filter((x) => x.movement === 'right' && x.class !== 'non_motor' && x.behaviour === 'green')) {
      t.notOk(gt.exposures.some((e) => e.actorId === a.id), `right-turner ${a.id} that went on green was never waiting at red`);
    }
    // Nobody counts a road user facing red out of sight (beyond the picture's edge, or wholly hidden).
    for (const x of gt.exposures) {
      if (gt.events.some((e) => e.actorId === x.actorId && e.category === x.category)) continue;
      const seen = gt.frames.slice(Math.floor(x.t * gt.fps), Math.ceil(x.until * gt.fps) + 1).some((rows) => rows.some((r) => r[0] === x.actorId && r[6] >= SEEN_FRACTION));
      t.ok(seen, `exposure of ${x.actorId} (${x.category}) seen while exposed`);
    }
    for (const [cat, c] of Object.entries(gt.counts)) {
      t.equal(c.violations, gt.events.filter((e) => e.category === cat).length, `${cat} violations = events`);
      t.equal(c.exposures, gt.exposures.filter((e) => e.category === cat).length, `${cat} exposures listed`);
      t.ok(c.violations <= c.exposures, `${cat}: violations within exposures`);
    }
  });
}

t.test('frames hold boxes of the whole object with a visible fraction', async (t) => {
  const { groundTruth: gt } = simulateClip({ seed: 4, seconds: 4 });
  t.equal(gt.frames.length, gt.frameCount);
  t.same(gt.classes, ['vehicle', 'large_vehicle', 'non_motor', 'pedestrian']);
  const rows = gt.frames.flat();
  t.ok(rows.length > 0);
  for (const [id, cls, x1, y1, x2, y2, vis] of rows) {
    t.ok(Number.isInteger(x1) && Number.isInteger(y2) && x2 > x1 && y2 > y1 && cls >= 0 && cls < 4 && vis >= 0 && vis <= 1, `row of ${id}`);
    if (!gt.actors.some((a) => a.id === id)) t.fail(`actor ${id} listed`);
  }
  t.ok(rows.some((r) => r[6] < 1), 'some road users are partly hidden or cut by the frame edge');
});
