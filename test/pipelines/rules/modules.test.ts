// The rules' building blocks on their own.
import t from 'tap';
import { DirectedLine, newLineState } from '../../../pipelines/rules/line-crossing.ts';
import { leftPicture, RoadUser, RoadUserRegistry } from '../../../pipelines/rules/road-users.ts';
import { SignalTimeline, redAt } from '../../../pipelines/rules/signal-timeline.ts';
import { CountedWaits } from '../../../pipelines/rules/counted-waits.ts';
import { directionGroups, governingSignal, isLegalRightOnRed, resolveMovement, turnAlong, waitingMovement } from '../../../pipelines/rules/zones.ts';
import type { Observation } from '../../../pipelines/rules/types.ts';
import type { Movement, SignalColour } from '../../../pipelines/types.ts';
import { junction } from './fixtures.ts';

const snap = { frameIndex: 0, t: 0, states: {}, since: {} };
const obs = (k: number, x: number, y: number): Observation => ({
  frameIndex: k, t: k * 125, trackId: 1, box: { x1: x - 5, y1: y - 10, x2: x + 5, y2: y }, ground: [x, y], height: 10, cls: 'vehicle', score: 1, signals: snap,
});

// Horizontal line y = 100 from x 0 to 100, travel upwards (towards y < 100).
const lineRows: [string, [number, number][], number | null][] = [
  ['clean crossing: confirmed on the third frame past', [[50, 110], [50, 105], [50, 95], [50, 90], [50, 85], [50, 80]], 4],
  ['two frames past is not enough', [[50, 110], [50, 95], [50, 90], [50, 105]], null],
  ['flicker then a real crossing: once, from the last frame before', [[50, 101], [50, 99], [50, 101], [50, 99], [50, 101], [50, 98], [50, 95], [50, 90], [50, 85]], 7],
  ['wrong direction never crosses', [[50, 90], [50, 95], [50, 105], [50, 110], [50, 120]], null],
  ['first seen past the line: no crossing', [[50, 95], [50, 90], [50, 85], [50, 80]], null],
  ['beside the segment\'s end', [[150, 110], [150, 95], [150, 90], [150, 85]], null],
  ['on the line is not past it', [[50, 110], [50, 100], [50, 100], [50, 100], [50, 100]], null],
];
for (const [name, pts, confirmedAt] of lineRows) {
  t.test(`DirectedLine: ${name}`, async (t) => {
    const line = new DirectedLine([[0, 100], [100, 100]], [50, 0], 3, 0.05);
    const s = newLineState();
    let at: number | null = null;
    pts.forEach(([x, y], k) => {
      if (line.observe(s, obs(k, x, y))) at = k;
    });
    t.equal(at, confirmedAt);
    if (s.crossing) t.ok(s.crossing.before.ground[1] >= 100 && s.crossing.past.ground[1] < 100);
  });
}

// A car leaves through the right edge of a 1280-wide picture at 9 s; half a
// second later another track appears right there (a car coming in the other
// way). With the picture's size they stay two road users; lost mid-picture,
// a car found again close by is still joined to itself.
t.test('RoadUserRegistry: no stitching to a track entering where a road user left the picture', async (t) => {
  const frame = { width: 1280, height: 720 };
  const at = (trackId: number, k: number, cx: number, y: number): Observation => ({
    frameIndex: k, t: k * 125, trackId, box: { x1: Math.max(0, cx - 60), y1: y - 46, x2: Math.min(1280, cx + 60), y2: y }, ground: [cx, y], height: 46, cls: 'vehicle', score: 0.9, signals: snap,
  });
  const registry = (withFrame: boolean) =>
    new RoadUserRegistry({ stitchMs: 2000, stitchDistance: 1, finalizeMs: 3000, keepMs: 2500, velocityMs: 1000, stitchable: (u) => !(withFrame && leftPicture(u, frame)) });
  for (const withFrame of [true, false]) {
    const r = registry(withFrame);
    let leaving;
    for (let k = 0; k <= 8; k++) leaving = r.observe(at(4, k, 1160 + 12 * k, 409));
    t.ok(leftPicture(leaving!, frame), 'last seen against the right edge, moving right');
    const entering = r.observe(at(36, 12, 1250, 390));
    if (withFrame) t.not(entering.id, leaving!.id, 'with the picture size: a new road user');
    else t.equal(entering.id, leaving!.id, 'without it: joined, as before');
  }
  const r = registry(true);
  let lost;
  for (let k = 0; k <= 8; k++) lost = r.observe(at(7, k, 400 + 12 * k, 409));
  t.notOk(leftPicture(lost!, frame), 'lost in the middle of the picture');
  t.equal(r.observe(at(9, 12, 530, 409)).id, lost!.id, 'found again close by: the same road user');
});

// A cyclist lost mid-picture; half a second later a track appears close by.
// A person on foot there is someone else (a walker stepping onto the
// crosswalk as a bicycle passed); a bicycle there is the cyclist found again.
t.test('RoadUserRegistry: a pedestrian is not joined to a vanished cyclist', async (t) => {
  const at = (trackId: number, k: number, cx: number, cls: Observation['cls']): Observation => ({
    frameIndex: k, t: k * 125, trackId, box: { x1: cx - 5, y1: 270, x2: cx + 5, y2: 296 }, ground: [cx, 296], height: 26, cls, score: 0.9, signals: snap,
  });
  const registry = () => new RoadUserRegistry({ stitchMs: 2000, stitchDistance: 1, finalizeMs: 3000, keepMs: 2500, velocityMs: 1000, stitchable: () => true });
  for (const [cls, same] of [['pedestrian', false], ['non_motor', true], ['vehicle', true]] as const) {
    const r = registry();
    let cyclist;
    for (let k = 0; k <= 8; k++) cyclist = r.observe(at(53, k, 460 + 3 * k, 'non_motor'));
    const found = r.observe(at(72, 12, 498, cls));
    if (same) t.equal(found.id, cyclist!.id, `a ${cls} box there: the cyclist found again`);
    else t.not(found.id, cyclist!.id, `a ${cls} there: someone else`);
  }
});

// A bicycle riding up out of the bottom edge of a 720-line picture, its box
// cut there: the bottom stays at 720 while the top rises 150 px/s.
t.test('RoadUser.velocity: a box cut by the bottom edge moves with its top', async (t) => {
  const cut = (k: number, cutBottom: boolean): Observation => {
    const y1 = 640 - 18.75 * k;
    return { frameIndex: k, t: k * 125, trackId: 1, box: { x1: 960, y1, x2: 1010, y2: 720 }, ground: [985, 720], height: 720 - y1, cls: 'non_motor', score: 0.9, signals: snap, ...(cutBottom ? { cutBottom } : {}) };
  };
  const known = new RoadUser(1, cut(0, true), 2500, 1000);
  const unknown = new RoadUser(1, cut(0, false), 2500, 1000);
  for (let k = 1; k <= 4; k++) {
    known.add(cut(k, true));
    unknown.add(cut(k, false));
  }
  t.equal(known.velocity()[1] * 1000, -150, 'cut at the edge: 150 px/s up the picture, from the top');
  t.equal(unknown.velocity()[1] * 1000, 0, 'not known to be cut: the pinned bottom reads as standing still');
  for (let k = 5; k <= 8; k++) {
    known.add(cut(k, true));
    unknown.add(cut(k, false));
  }
  t.notOk(known.isStill(0.3, 0.5), 'cut at the edge, riding up: not still');
  t.ok(unknown.isStill(0.3, 0.5), 'not known to be cut: still');
});

t.test('SignalTimeline: onset known only after a change; grace applies to the onset', async (t) => {
  const tl = new SignalTimeline();
  const f = (k: number, c: SignalColour) => tl.push({ frameIndex: k, t: k * 100, states: { S: c } });
  const a = f(0, 'red');
  t.equal(a.since.S, undefined, 'red since before the window');
  t.equal(redAt(a, 'S', 500), 'red', 'unknown onset is not held against the road user... it was red all along');
  f(1, 'green');
  const c = f(2, 'red');
  t.equal(c.since.S, 200);
  t.equal(redAt(c, 'S', 0), 'red');
  t.equal(redAt(c, 'S', 100), 'not_red', 'within the grace');
  t.equal(redAt(f(3, 'red'), 'S', 100), 'red');
  t.equal(redAt(f(4, 'unknown'), 'S', 0), 'unknown');
  t.equal(redAt(c, 'X', 0), 'unknown', 'missing signal');
  t.equal(a.firstT, 0, 'the window\'s first frame, carried by every snapshot');
  t.equal(c.firstT, 0);
  tl.reset();
  t.equal(tl.push({ frameIndex: 9, t: 900, states: { S: 'red' } }).firstT, 900, 'reset starts a new window');
});

const moveRows: [string, Movement[], boolean, Movement][] = [
  ['single movement decides', ['left'], true, 'left'],
  ['shared straight/right, passes the second line', ['straight', 'right'], true, 'straight'],
  ['shared straight/right, does not', ['straight', 'right'], false, 'right'],
  ['shared left/straight, does not pass: straight (an overrun candidate)', ['left', 'straight'], false, 'straight'],
  ['shared left/right, passes', ['left', 'right'], true, 'left'],
];
for (const [name, ms, passed, want] of moveRows) t.test(`resolveMovement: ${name}`, async (t) => t.equal(resolveMovement(ms, passed), want));

const turnRows: [string, Movement[], boolean, Movement | undefined, Movement][] = [
  ['shared left/straight, passes the second line and turns left: left', ['left', 'straight'], true, 'left', 'left'],
  ['shared left/straight, passes the second line, no turn seen: straight', ['left', 'straight'], true, 'straight', 'straight'],
  ['shared left/straight, passes the second line, track too short to tell: straight', ['left', 'straight'], true, undefined, 'straight'],
  ['straight-only lane: a left heading does not make a left turn', ['straight'], true, 'left', 'straight'],
];
for (const [name, ms, passed, turned, want] of turnRows) t.test(`resolveMovement: ${name}`, async (t) => t.equal(resolveMovement(ms, passed, turned), want));

// The fixture's approach runs up the picture: stop line y = 400, second line
// y = 250, mid-points (640, 400) to (550, 250): reach is progress along that
// direction (up and a little left) in units of its 175 px.
const alongRows: [string, [number, number][], Movement | undefined, number][] = [
  ['straight on', [[640, 400], [620, 300], [600, 200], [580, 100]], 'straight', 1.65],
  ['left at once', [[640, 400], [600, 300], [400, 280], [200, 280]], 'left', 1.88],
  ['left only at the end: the chord reads straight, the last stretch left', [[480, 400], [480, 300], [400, 100], [250, 90], [100, 90]], 'left', 2.64],
  ['straight, then the track reverses (it took over someone coming the other way): judged up to the reversal', [[640, 400], [620, 250], [600, 100], [620, 250], [700, 400], [900, 420]], 'straight', 1.59],
  ['too short to tell', [[640, 400], [640, 390]], undefined, 0.05],
];
for (const [name, path, turn, reach] of alongRows) {
  t.test(`turnAlong: ${name}`, async (t) => {
    const r = turnAlong(junction().approaches[0]!, path, 140);
    t.equal(r.turn, turn);
    t.ok(Math.abs(r.reach - reach) < 0.1, `reach ${r.reach.toFixed(2)} ≈ ${reach}`);
  });
}

t.test('waitingMovement: straight where the lane allows it, else its movement', async (t) => {
  t.equal(waitingMovement(['straight', 'right']), 'straight');
  t.equal(waitingMovement(['left', 'straight']), 'straight');
  t.equal(waitingMovement(['left']), 'left');
});

t.test('governing signal: an arrow wins; right on red legal only without one', async (t) => {
  const ball = junction().approaches[0]!;
  const arrow = junction({ rightArrow: true }).approaches[0]!;
  t.equal(governingSignal(ball, 'right')?.id, 'S');
  t.equal(governingSignal(arrow, 'right')?.id, 'SR');
  t.equal(governingSignal(arrow, 'straight')?.id, 'S');
  t.ok(isLegalRightOnRed(ball, 'right'));
  t.notOk(isLegalRightOnRed(arrow, 'right'));
  t.notOk(isLegalRightOnRed(ball, 'straight'));
});

t.test('directionGroups: approaches travelling the same way share a group; crossing ones do not', async (t) => {
  const approach = (id: string, stop: [number, number][], second: [number, number][]) => ({ id, stop_line: stop, second_line: second, lanes: [], signals: [] });
  const groups = directionGroups([
    approach('south', [[400, 400], [700, 400]], [[400, 250], [700, 250]]),
    // Its non-motor lane beside it, a little skewed by perspective: same way.
    approach('south-nm', [[700, 410], [800, 410]], [[720, 250], [830, 250]]),
    approach('west', [[300, 150], [300, 300]], [[600, 150], [600, 300]]),
    approach('north', [[400, 100], [700, 100]], [[400, 250], [700, 250]]),
  ]);
  t.same(Object.fromEntries(groups), { south: 'south', 'south-nm': 'south', west: 'west', north: 'north' });
});

t.test('CountedWaits: the same waiter found again is a wait that ended before, in the same red, within the distance', async (t) => {
  const waits = new CountedWaits(0.1);
  const at = (k: number, x: number, since: number | undefined): Observation => ({ ...obs(k, x, 100), height: 20, signals: { ...snap, since: { S: since } } });
  const user = new RoadUser(1, at(0, 50, 0), 2500);
  waits.add('north', user, at(10, 50, 0));
  t.equal(waits.before('north', 'S', at(30, 51, 0))?.user, user, 'found again 1 px (0.05 box heights) away, later, same red');
  t.equal(waits.before('north', 'S', at(30, 53, 0)), undefined, '3 px (0.15 box heights) away: someone else');
  t.equal(waits.before('north', 'S', at(5, 50, 0)), undefined, 'seen there before the counted wait ended: two road users at once');
  t.equal(waits.before('north', 'S', at(30, 50, 4000)), undefined, 'a later red');
  t.equal(waits.before('south', 'S', at(30, 50, 0)), undefined, 'another zone');
  waits.reset();
  t.equal(waits.before('north', 'S', at(30, 50, 0)), undefined, 'reset forgets');
});
