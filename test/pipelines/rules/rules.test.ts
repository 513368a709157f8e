import t from 'tap';
import { judgeWindow, RulesEngine, RULES_VERSION } from '../../../pipelines/rules/index.ts';
import type { Category } from '../../../pipelines/types.ts';
import { FORESHORTENED, junction, scenario, T0, type ActorSpec, type Phases } from './fixtures.ts';
import type { Calibration } from '../../../pipelines/sites/schema.ts';
import type { RulesFrame } from '../../../pipelines/rules/types.ts';

interface Row {
  name: string;
  actors: ActorSpec[];
  signals?: Record<string, Phases>;
  calibration?: Parameters<typeof junction>[0];
  seconds?: number;
  /** Use `signals` alone, not merged over the default phases. */
  onlyTheseSignals?: boolean;
  violations: [Category, number][];
  exposures: Partial<Record<Category, number>>;
  unjudged?: number;
}

const RED = { S: [[0, 'red']], P1: [[0, 'green']] } satisfies Record<string, Phases>;
// Straight lane L2 at x = 640, upwards (away from the camera) at 200 px/s.
// The box's bottom is the rear: 70 px boxes, so the front touches the ground
// departingFrontMotor (0.25) of the height below the top, 52.5 px above the
// bottom, and is past the stop line (with its 10.5 px margin) from t 0.81 s:
// last frame before it t = 0.75 s (bottom y 453), first past 0.875 s (428).
// The bottom centre crosses at 1.0 / 1.125 s (y 403 / 378); second line ~1.77 s.
const straight = (id: ActorSpec['id'] = 1, extra: Partial<ActorSpec> = {}): ActorSpec => ({ id, path: [[0, 640, 603], [2.5, 640, 103]], ...extra });
const rightTurn: ActorSpec = { id: 1, path: [[0, 800, 603], [1.2, 800, 380], [2, 900, 300], [3, 1060, 280]] };
const walkAcross: ActorSpec = { id: 1, cls: 'pedestrian', path: [[0, 120, 365], [10, 600, 365]] };
const walkMidBlock: ActorSpec = { id: 1, cls: 'pedestrian', path: [[0, 120, 550], [10, 600, 550]] };
// Waits 4 s at the kerb: stillness is measured over waitSeconds (2 s), then
// kerbWaitSeconds (1 s) of it during don't-walk make the exposure.
const kerbWaiter: ActorSpec = { id: 1, cls: 'pedestrian', path: [[0, 170, 365], [4, 170, 365], [7, 500, 365]] };
const flicker = (k: number): [number, number] => [0, k % 2 ? -3 : 3];
const runMotor = { red_light: 1, stop_line_overrun: 1 };

const rows: Row[] = [
  { name: 'runner: crosses on red and passes the second line', actors: [straight()], violations: [['red_light', 1]], exposures: runMotor },
  { name: 'large vehicle runner', actors: [straight(1, { cls: 'large_vehicle' })], violations: [['red_light', 1]], exposures: runMotor },
  { name: 'amber crosser', actors: [straight()], signals: { S: [[0, 'amber'], [1.5, 'red']] }, violations: [], exposures: {} },
  { name: 'red begins between the last frame before the line and the first past it (tolerance: one frame, to the road user)', actors: [straight()], signals: { S: [[0, 'amber'], [1.05, 'red']] }, violations: [], exposures: {} },
  { name: 'red already showing at the last frame before the line', actors: [straight()], signals: { S: [[0, 'amber'], [0.75, 'red']] }, violations: [['red_light', 1]], exposures: runMotor },
  // Standing over the line since the window began (its front 30 px past it), its box bottom flickering
  // across the line: the front was never seen short of it, so no crossing (it crossed before the window);
  // it waits at red in the window, so it is exposed like any waiter.
  { name: 'standing over the line all along, box flickering across it: no crossing', actors: [{ id: 1, path: [[0, 640, 408], [6, 640, 408]], jitter: (k) => [0, k % 5 < 3 ? -25 : 0] }], violations: [], exposures: runMotor },
  // Red as the rear crosses, amber as the front did: no run.
  { name: 'front over the line on amber, rear on red: no violation', actors: [straight()], signals: { S: [[0, 'amber'], [0.9, 'red']] }, violations: [], exposures: {} },
  { name: 'already past the line when red begins', actors: [straight()], signals: { S: [[0, 'green'], [1.3, 'red']] }, violations: [], exposures: {} },
  { name: 'overrun: crosses on red and stops before the second line', actors: [{ id: 1, path: [[0, 640, 603], [1.5, 640, 350], [6, 640, 350]] }], violations: [['stop_line_overrun', 1]], exposures: runMotor },
  {
    name: 'overrun, then leaves after green: still an overrun',
    actors: [{ id: 1, path: [[0, 640, 603], [1.5, 640, 350], [4.5, 640, 350], [6, 640, 50]] }],
    signals: { S: [[0, 'red'], [4, 'green']] },
    violations: [['stop_line_overrun', 1]], exposures: runMotor,
  },
  // Waits with its front short of the line (box bottom y 470) until 3 s, then drives off at 200 px/s:
  // its front is first past the line (and margin) in the frame at 3.25 s.
  {
    name: 'waiter moving off as green begins: green seen in the frame after its first past the line (within moveOffGraceSeconds) is given to it, no violation',
    actors: [{ id: 1, path: [[0, 640, 470], [3, 640, 470], [5.5, 640, -30]] }],
    signals: { S: [[0, 'red'], [3.3, 'green']] }, violations: [], exposures: runMotor,
  },
  {
    name: '…the same waiter with green beginning two frames after its first past the line: it jumped the light, a runner',
    actors: [{ id: 1, path: [[0, 640, 470], [3, 640, 470], [5.5, 640, -30]] }],
    signals: { S: [[0, 'red'], [3.45, 'green']] }, violations: [['red_light', 1]], exposures: runMotor,
  },
  {
    name: 'crosses on red and keeps going slowly, never stopping, to pass the second line after green began: runner (it did not stop)',
    actors: [{ id: 1, path: [[0, 640, 603], [1, 640, 420], [6, 640, 150]] }],
    signals: { S: [[0, 'red'], [3, 'green']] },
    violations: [['red_light', 1]], exposures: runMotor,
  },
  { name: 'runner lost behind cross traffic, still moving, just short of the second line: runner, not unresolved', actors: [straight(1, { hidden: [[1.55, 8]] })], violations: [['red_light', 1]], exposures: runMotor },
  { name: 'crosses on red and is lost moving slowly far from the second line: unresolved, never guessed', actors: [{ id: 1, path: [[0, 640, 603], [1.5, 640, 350], [8, 640, 300]], hidden: [[1.8, 8]] }], violations: [], exposures: runMotor, unjudged: 1 },
  { name: 'crosses on red, hesitates, goes on while still red: runner', actors: [{ id: 1, path: [[0, 640, 603], [1.5, 640, 350], [2.5, 640, 350], [3.5, 640, 100]] }], violations: [['red_light', 1]], exposures: runMotor },
  { name: 'right turn on red under a ball: allowed, not exposed', actors: [rightTurn], violations: [], exposures: {} },
  { name: 'right turn on red with a red right arrow', actors: [rightTurn], calibration: { rightArrow: true }, signals: { S: [[0, 'red']], SR: [[0, 'red']] }, violations: [['red_light', 1]], exposures: runMotor },
  // Across the line at 1.1 s, the window ends at 1.5 s: it may yet stop (a run needs it seen turning a second on).
  { name: 'right turn on a red right arrow just before the window ends: unresolved', actors: [rightTurn], calibration: { rightArrow: true }, signals: { S: [[0, 'red']], SR: [[0, 'red']] }, seconds: 1.5, violations: [], exposures: runMotor, unjudged: 1 },
  { name: 'right turn on green arrow while the ball is red', actors: [rightTurn], calibration: { rightArrow: true }, signals: { S: [[0, 'red']], SR: [[0, 'green']] }, violations: [], exposures: {} },
  { name: 'shared straight/right lane, passes the second line on red', actors: [{ id: 1, path: [[0, 700, 603], [2.5, 700, 103]] }], calibration: { sharedStraightRight: true }, violations: [['red_light', 1]], exposures: runMotor },
  { name: 'shared straight/right lane, turns right on red: allowed', actors: [{ ...rightTurn }], calibration: { sharedStraightRight: true }, violations: [], exposures: {} },
  {
    name: 'shared left/straight lane, left arrow green, ball red: a left-turner (passes the second line, then turns) is not a runner',
    actors: [{ id: 1, path: [[0, 480, 603], [2, 480, 240], [3.5, 210, 262]] }],
    calibration: { sharedLeftStraightArrow: true }, signals: { S: [[0, 'red']], SL: [[0, 'green']] }, violations: [], exposures: {},
  },
  {
    name: 'shared left/straight lane, left arrow green, ball red: going straight on, followed well past the junction, is running the red',
    actors: [{ id: 1, path: [[0, 480, 603], [2.5, 480, 103], [4, 480, -200]] }],
    calibration: { sharedLeftStraightArrow: true }, signals: { S: [[0, 'red']], SL: [[0, 'green']] }, violations: [['red_light', 1]], exposures: runMotor,
  },
  {
    name: 'shared left/straight lane, left arrow green, ball red: lost just past the second line before a turn could show: unjudged, not guessed',
    actors: [{ id: 1, path: [[0, 480, 603], [2, 480, 200]] }],
    calibration: { sharedLeftStraightArrow: true }, signals: { S: [[0, 'red']], SL: [[0, 'green']] }, violations: [], exposures: {}, unjudged: 1,
  },
  {
    name: 'shared left/straight lane, both red: lost just past the second line is running the red either way',
    actors: [{ id: 1, path: [[0, 480, 603], [2, 480, 200]] }],
    calibration: { sharedLeftStraightArrow: true }, signals: { S: [[0, 'red']], SL: [[0, 'red']] }, violations: [['red_light', 1]], exposures: runMotor,
  },
  {
    name: 'shared left/straight lane, left arrow green: a left-turner whose turn shows only late, after a long run across (chord under the turn angle), is not a runner',
    actors: [{ id: 1, path: [[0, 480, 603], [1.5, 480, 300], [3, 400, 100], [4, 250, 90], [5, 100, 90]] }],
    calibration: { sharedLeftStraightArrow: true }, signals: { S: [[0, 'red']], SL: [[0, 'green']] }, violations: [], exposures: {},
  },
  {
    name: 'shared straight/right lane: waits at the line through red until the window ends: exposed (a right-turner would have turned on red)',
    actors: [{ id: 1, path: [[0, 640, 560], [1, 640, 430], [8, 640, 430]] }],
    calibration: { sharedStraightRight: true }, violations: [], exposures: runMotor,
  },
  // A car waiting at the line (front short of it), lost from 4 s to 8 s (behind a bus: longer than a
  // track is joined over) and found again on a new track where it stood.
  {
    name: 'waiter at the stop line lost for 4 s and found again on a new track where it stood, same red: one car, exposed once',
    actors: [{ id: (ts) => (ts < 6 ? 1 : 2), path: [[0, 640, 560], [1, 640, 470], [14, 640, 470]], hidden: [[4, 8]] }],
    seconds: 14, violations: [], exposures: runMotor,
  },
  {
    name: '…found again on a new track and moving off on red: one car, one runner, exposed once',
    actors: [{ id: (ts) => (ts < 6 ? 1 : 2), path: [[0, 640, 560], [1, 640, 470], [9, 640, 470], [11.5, 640, -30]], hidden: [[4, 8]] }],
    seconds: 12, violations: [['red_light', 2]], exposures: runMotor,
  },
  {
    name: 'a second car stopping a quarter of a box height behind where a waiter was lost, same red: two cars, two exposures',
    actors: [
      { id: 1, path: [[0, 640, 560], [1, 640, 470], [14, 640, 470]], hidden: [[4, 14]] },
      { id: 2, path: [[0, 640, 560], [1, 640, 487.5], [14, 640, 487.5]], hidden: [[0, 8]] },
    ],
    seconds: 14, violations: [], exposures: { red_light: 2, stop_line_overrun: 2 },
  },
  {
    name: 'non-motor queue: two bicycles waiting at the line through red, the second a bicycle length behind: both exposed',
    actors: [{ id: 1, cls: 'non_motor', path: [[0, 640, 560], [1, 640, 420], [8, 640, 420]] }, { id: 2, cls: 'non_motor', path: [[0, 640, 640], [1, 640, 520], [8, 640, 520]] }],
    violations: [], exposures: { non_motor_red_light: 2 },
  },
  { name: 'non-motor runner', actors: [straight(1, { cls: 'non_motor' })], violations: [['non_motor_red_light', 1]], exposures: { non_motor_red_light: 1 } },
  { name: 'non-motor overrun: exposed, not an overrun (a motor-vehicle category)', actors: [{ id: 1, cls: 'non_motor', path: [[0, 640, 603], [1.5, 640, 350], [6, 640, 350]] }], violations: [], exposures: { non_motor_red_light: 1 } },
  {
    name: 'class flips bicycle ↔ motorcycle: vote by score decides non-motor',
    actors: [straight(1, { cls: (_t, k) => (k % 3 === 0 ? 'vehicle' : 'non_motor') })],
    violations: [['non_motor_red_light', 1]], exposures: { non_motor_red_light: 1 },
  },
  {
    // The tracker swaps the cyclist for a car beyond the junction and follows the car for 7 s: who ran is who crossed.
    name: 'non-motor runner whose track turns into a car after the second line: judged as the cyclist it was at the lines',
    actors: [{ id: 1, cls: (t) => (t > 2.6 ? 'vehicle' : 'non_motor'), path: [[0, 640, 603], [2.5, 640, 103], [10, 200, 103]] }],
    violations: [['non_motor_red_light', 1]], exposures: { non_motor_red_light: 1 },
  },
  { name: 'pedestrian starts across on don\'t-walk', actors: [walkAcross], signals: { S: [[0, 'green']], P1: [[0, 'red']] }, violations: [['jaywalk', 1]], exposures: { jaywalk: 1 } },
  { name: 'pedestrian already on the crosswalk when it turns red', actors: [walkAcross], signals: { S: [[0, 'green']], P1: [[0, 'green'], [3, 'red']] }, violations: [], exposures: {} },
  { name: 'mid-block jaywalker', actors: [walkMidBlock], violations: [['jaywalk', 1]], exposures: { jaywalk: 1 } },
  { name: 'kerb waiter: exposed, crosses on walk', actors: [kerbWaiter], signals: { S: [[0, 'green']], P1: [[0, 'red'], [4, 'green']] }, violations: [], exposures: { jaywalk: 1 } },
  { name: 'kerb waiter who then goes on don\'t-walk: one exposure, one violation', actors: [kerbWaiter], signals: { S: [[0, 'green']], P1: [[0, 'red']] }, violations: [['jaywalk', 1]], exposures: { jaywalk: 1 } },
  // Walks down the pavement beside C1's end (x 170) at 12 px a second, 0.15 box heights: as slow in the
  // picture as a waiter's jitter, as someone walking towards the camera on a far arm looks.
  {
    name: 'pedestrian walking towards the camera past a crosswalk\'s end during don\'t-walk, 0.15 box heights a second: without a ground map read as waiting (exposed)',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 170, 240], [16, 170, 432]] }], signals: { S: [[0, 'green']], P1: [[0, 'red']] }, seconds: 16, violations: [], exposures: { jaywalk: 1 },
  },
  {
    name: '…the same walk where the calibration maps the ground, 1.2 m/s: walking, not waiting, not exposed',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 170, 240], [16, 170, 432]] }], calibration: { ground: FORESHORTENED }, signals: { S: [[0, 'green']], P1: [[0, 'red']] }, seconds: 16, violations: [], exposures: {},
  },
  {
    name: 'kerb waiter where the calibration maps the ground (its box bobbing 6 px up and down, 0.6 m on the map, but standing): exposed',
    actors: [{ ...kerbWaiter, jitter: (k) => [0, [0, -3, 3][k % 3]!] }], calibration: { ground: FORESHORTENED }, signals: { S: [[0, 'green']], P1: [[0, 'red'], [4, 'green']] }, violations: [], exposures: { jaywalk: 1 },
  },
  // Walks up to C1's kerb (x 170) at a box height a second, arriving at 3 s; stands until walk comes on
  // at 5.3 s, then crosses.
  {
    name: 'pedestrian who arrives on don\'t-walk and waits 2.3 s for walk: without a ground map too short a wait to read (2 s of stillness, then 1 s at the kerb)',
    actors: [{ id: 1, cls: 'pedestrian', path: [[1.5, 50, 365], [3, 170, 365], [5.3, 170, 365], [9, 500, 365]] }], signals: { S: [[0, 'green']], P1: [[0, 'red'], [5.3, 'green']] }, seconds: 9, violations: [], exposures: {},
  },
  {
    name: '…where the calibration maps the ground, standing is read over 1 s: exposed',
    actors: [{ id: 1, cls: 'pedestrian', path: [[1.5, 50, 365], [3, 170, 365], [5.3, 170, 365], [9, 500, 365]] }], calibration: { ground: FORESHORTENED }, signals: { S: [[0, 'green']], P1: [[0, 'red'], [5.3, 'green']] }, seconds: 9, violations: [], exposures: { jaywalk: 1 },
  },
  { name: 'pedestrian first seen inside the carriageway is not judged (no entry seen: stepped off before the window)', actors: [{ ...walkMidBlock, path: [[0, 400, 550], [10, 880, 550]] }], violations: [], exposures: {} },
  { name: 'pedestrian walking along the kerb with the feet just over its edge (under kerbMargin) is not in the carriageway', actors: [{ id: 1, cls: 'pedestrian', path: [[0, 150, 700], [1, 212, 690], [8, 212, 420]] }], violations: [], exposures: {} },
  { name: 'pedestrian stepping in well past the kerb edge is a mid-block jaywalker', actors: [{ id: 1, cls: 'pedestrian', path: [[0, 150, 550], [8, 550, 550]] }], violations: [['jaywalk', 1]], exposures: { jaywalk: 1 } },
  {
    name: 'crosswalk walker (entered on walk) who strays off the paint mid-road is not a mid-block jaywalker',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 120, 365], [3, 300, 365], [5, 420, 480], [8, 600, 480]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'green'], [4, 'red']] }, violations: [], exposures: {},
  },
  {
    name: 'kerb waiter\'s track jumps to someone already on the crosswalk (tracker swap): exposed, not an entry',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 170, 365], [3, 170, 365], [3.01, 260, 365], [8, 560, 365]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, violations: [], exposures: { jaywalk: 1 },
  },
  { name: 'pedestrian walking along the kerb with a low box (0.4 box heights over the edge) never goes into the road: no entry', actors: [{ id: 1, cls: 'pedestrian', path: [[0, 150, 700], [1, 232, 690], [8, 232, 420]] }], violations: [], exposures: {} },
  { name: 'pedestrian walking past a crosswalk\'s end on the pavement during don\'t-walk is not waiting: not exposed', actors: [{ id: 1, cls: 'pedestrian', path: [[0, 170, 200], [4, 170, 520]] }], signals: { S: [[0, 'green']], P1: [[0, 'red']] }, violations: [], exposures: {} },
  {
    name: 'pedestrian walking slowly along the kerb past a crosswalk during don\'t-walk (0.35 box heights a second, as someone walking away from the camera looks): not waiting, not exposed',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 170, 200], [12.5, 170, 550]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, seconds: 13, violations: [], exposures: {},
  },
  {
    name: 'pedestrian steps off the kerb on walk and crosses the kerb margin slowly into don\'t-walk: started on walk, no violation',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 150, 365], [2, 150, 365], [4.1, 200, 365], [4.9, 220, 365], [8, 600, 365]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'green'], [4.5, 'red']] }, violations: [], exposures: {},
  },
  {
    name: 'pedestrian steps off the kerb 0.3 s after don\'t-walk began (within walkGraceSeconds, under the dating\'s error): not judged',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 150, 365], [2, 150, 365], [4.1, 200, 365], [4.9, 220, 365], [8, 600, 365]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'green'], [3.8, 'red']] }, violations: [], exposures: {},
  },
  {
    name: 'pedestrian steps off the kerb on don\'t-walk: a jaywalk dated from the step off, not from the end of the kerb margin',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 150, 365], [2, 150, 365], [4.1, 200, 365], [4.9, 220, 365], [8, 600, 365]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'green'], [3.5, 'red']] }, violations: [['jaywalk', 1]], exposures: { jaywalk: 1 },
  },
  // A waiter at the C1 kerb (x 170) on don't-walk (exposed after 3 s: two of stillness, one of waiting), lost from
  // 4 s to 8 s (longer than a track is joined over) and found again on a new track where it stood.
  {
    name: 'waiter lost for 4 s and found again on a new track where it stood, same red: one person, exposed once',
    actors: [{ id: (ts) => (ts < 6 ? 1 : 2), cls: 'pedestrian', path: [[0, 170, 365], [14, 170, 365]], hidden: [[4, 8]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, seconds: 14, violations: [], exposures: { jaywalk: 1 },
  },
  {
    name: '…found again on a new track and stepping off on don\'t-walk: one person, one jaywalk, exposed once',
    actors: [{ id: (ts) => (ts < 6 ? 1 : 2), cls: 'pedestrian', path: [[0, 170, 365], [9, 170, 365], [15, 650, 365]], hidden: [[4, 8]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, seconds: 15, violations: [['jaywalk', 2]], exposures: { jaywalk: 1 },
  },
  {
    name: 'a second waiter arriving a quarter of a box height from where the first was lost, same red: two people, two exposures',
    actors: [
      { id: 1, cls: 'pedestrian', path: [[0, 170, 365], [14, 170, 365]], hidden: [[4, 14]] },
      { id: 2, cls: 'pedestrian', path: [[0, 170, 385], [14, 170, 385]], hidden: [[0, 8]] },
    ],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, seconds: 14, violations: [], exposures: { jaywalk: 2 },
  },
  // Steps over the kerb edge (x 200) at 0.33 s into its margin (to x 220) and walks along the edge inside it,
  // up to the crosswalk (y 365) by 3 s, then turns onto it; walk begins at 2.8 s.
  {
    name: 'pedestrian walking along the kerb inside its margin during don\'t-walk, turning onto the crosswalk after walk began: its step off is the turn, no violation',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 190, 600], [0.5, 205, 560], [3, 205, 365], [8, 600, 365]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red'], [2.8, 'green']] }, violations: [], exposures: {},
  },
  // Walks right at 80 px/s, already 5 px over the kerb edge (inside the kerb margin) when first seen.
  {
    name: 'pedestrian first seen already over the kerb edge as the window begins, walking onto the crosswalk on don\'t-walk: may have stepped off before the window, not judged',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 205, 365], [8, 845, 365]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, violations: [], exposures: {},
  },
  {
    name: '…the same walk first seen 2 s into the window (the detector had lost it at the kerb): a jaywalk',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 45, 365], [8, 685, 365]], hidden: [[0, 1.99]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, violations: [['jaywalk', 1]], exposures: { jaywalk: 1 },
  },
  // Walks up to the kerb edge (x 200) and on over it between the frames at 4 s (x 195) and 4.125 s (x 205).
  {
    name: 'pedestrian stepping off as walk begins, between the last frame on the kerb (don\'t-walk) and the first in the road (walk): given to the pedestrian, no violation',
    actors: [{ id: 1, cls: 'pedestrian', path: [[2, 75, 365], [4, 195, 365], [10, 675, 365]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red'], [4.05, 'green']] }, violations: [], exposures: {},
  },
  {
    name: '…the same step with walk beginning just after the first frame in the road: a jaywalk',
    actors: [{ id: 1, cls: 'pedestrian', path: [[2, 75, 365], [4, 195, 365], [10, 675, 365]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red'], [4.15, 'green']] }, violations: [['jaywalk', 1]], exposures: { jaywalk: 1 },
  },
  // Walks right at 80 px/s (a box height a second) along C1, over the kerb edge (x 200) at 1.25 s, unseen until 2 s (x 260).
  {
    name: 'pedestrian first seen already on the crosswalk, walking away from the kerb, on don\'t-walk: a jaywalk (step off dated back)',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 100, 365], [8, 740, 365]], hidden: [[0, 1.99]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, violations: [['jaywalk', 1]], exposures: { jaywalk: 1 },
  },
  {
    name: 'pedestrian first seen already on the crosswalk, don\'t-walk began after the dated step off: started on walk, no violation',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 100, 365], [8, 740, 365]], hidden: [[0, 1.99]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'green'], [1.5, 'red']] }, violations: [], exposures: {},
  },
  {
    name: 'pedestrian first seen on the crosswalk with the step off dated before the window (don\'t-walk\'s onset unknown): not judged',
    actors: [{ id: 1, cls: 'pedestrian', path: [[-1.75, 100, 365], [8, 880, 365]], hidden: [[-2, 0.4]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, violations: [], exposures: {},
  },
  // Walks right at 20 px/s (a quarter of a box height a second, as a crosswalk seen obliquely foreshortens a walk),
  // over the kerb edge (x 200) at 1 s, unseen until 3 s (x 240).
  {
    name: 'pedestrian first seen on the crosswalk walking away from the kerb at a quarter of a box height a second, on don\'t-walk: still dated back, a jaywalk',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 180, 365], [20, 580, 365]], hidden: [[0, 2.99]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, seconds: 8, violations: [['jaywalk', 1]], exposures: { jaywalk: 1 },
  },
  // The same slow walk unseen until 5 s (x 280, a box height in): its step off lies 4 s before it was first seen.
  {
    name: '…first seen a box height into the crosswalk, its step off 4 s back (within inferMaxBackSeconds): dated back, a jaywalk',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 180, 365], [20, 580, 365]], hidden: [[0, 4.99]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, seconds: 10, violations: [['jaywalk', 1]], exposures: { jaywalk: 1 },
  },
  {
    name: '…unseen until 7 s, its step off 6 s back (beyond inferMaxBackSeconds): too uncertain to date, not judged',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 180, 365], [20, 580, 365]], hidden: [[0, 6.99]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, seconds: 12, violations: [], exposures: {},
  },
  // First seen at 3 s already over the kerb edge (x 205, inside the kerb margin, which ends at x 220), walking
  // at 55 px/s; at 3.5 s its box bobs back 20 px into the margin; walk begins at 3.4 s, after the step off.
  {
    name: 'pedestrian stepping off on don\'t-walk whose box bobs back into the kerb margin mid-crossing, after walk began: the crossing goes on, a jaywalk',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 150, 365], [2, 150, 365], [4, 260, 365], [10, 590, 365]], hidden: [[0, 2.99]], jitter: (k) => [k === 28 ? -20 : 0, 0] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red'], [3.4, 'green']] }, violations: [['jaywalk', 1]], exposures: { jaywalk: 1 },
  },
  {
    name: 'pedestrian first seen on the crosswalk walking towards the kerb (its second half): no entry to date, not judged',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 700, 365], [8, 60, 365]], hidden: [[0, 1.99]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, violations: [], exposures: {},
  },
  // Crosses C1 on walk (kerb edges x 200 and 1080) at 120 px/s, reaching the far kerb at x 1110 by 8 s, and
  // stands there; don't-walk from 7 s.
  {
    name: 'pedestrian who crossed on walk and stands on the far kerb as don\'t-walk comes on: has crossed, not waiting there, not exposed',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 150, 365], [8, 1110, 365], [12, 1110, 365]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'green'], [7, 'red']] }, violations: [], exposures: {}, seconds: 12,
  },
  {
    name: 'kerb waiter who steps three box heights onto the crosswalk and back, then waits on don\'t-walk: exposed (went back, did not cross)',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 150, 365], [1, 150, 365], [3, 390, 365], [5, 150, 365], [10, 150, 365]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'green'], [4, 'red']] }, violations: [], exposures: { jaywalk: 1 }, seconds: 10,
  },
  {
    name: 'pedestrian crosses part way on walk, goes back to the kerb, then starts across again on don\'t-walk: judged on the second start',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 120, 365], [2, 300, 365], [4, 120, 365], [5, 120, 365], [8, 400, 365]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'green'], [4.5, 'red']] }, violations: [['jaywalk', 1]], exposures: { jaywalk: 1 },
  },
  // Steps off at 2 s (past the edge at 2.75 s); the continued moment is due at 3.75 s.
  {
    name: 'jaywalker lost in the road 0.6 s after stepping off while the window runs on: a jaywalk on its last sighting',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 150, 365], [2, 150, 365], [8, 600, 365]], hidden: [[3.5, 8]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, violations: [['jaywalk', 1]], exposures: { jaywalk: 1 },
  },
  {
    name: '…the same walker when the window ends before the continued moment was due: unresolved',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 150, 365], [2, 150, 365], [8, 600, 365]], hidden: [[3.5, 8]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, seconds: 3.6, violations: [], exposures: {}, unjudged: 1,
  },
  {
    name: 'pedestrian who steps off on don\'t-walk, turns back and is lost on the kerb: unresolved',
    actors: [{ id: 1, cls: 'pedestrian', path: [[0, 150, 365], [2, 150, 365], [3.375, 253, 365], [3.5, 180, 365]], hidden: [[3.55, 8]] }],
    signals: { S: [[0, 'green']], P1: [[0, 'red']] }, violations: [], exposures: {}, unjudged: 1,
  },
  { name: 'rider mid-block is not a pedestrian', actors: [{ ...walkMidBlock, cls: 'non_motor' }], violations: [], exposures: {} },
  { name: 'rider across the crosswalk on don\'t-walk is not a pedestrian', actors: [{ ...walkAcross, cls: 'non_motor' }], signals: { S: [[0, 'green']], P1: [[0, 'red']] }, violations: [], exposures: {} },
  {
    name: 'box flicker across the line during red, leaves on green: exposed, no crossing on red',
    actors: [{ id: 1, path: [[0, 640, 560], [1, 640, 400], [5, 640, 400], [6, 640, 100]], jitter: flicker }],
    signals: { S: [[0, 'red'], [5, 'green']] },
    violations: [], exposures: runMotor,
  },
  {
    name: 'waiting car whose box bottom sits a few pixels over the stop line (boxes run a little low): not an overrun',
    actors: [{ id: 1, path: [[0, 640, 560], [1, 640, 402], [5, 640, 402], [6, 640, 100]], jitter: (k) => [0, k % 2 ? -4 : -10] }],
    signals: { S: [[0, 'red'], [5, 'green']] },
    violations: [], exposures: runMotor,
  },
  {
    name: 'box flicker across the line, then runs the red: counted once',
    actors: [{ id: 1, path: [[0, 640, 560], [1, 640, 400], [3, 640, 400], [4, 640, 100]], jitter: flicker }],
    violations: [['red_light', 1]], exposures: runMotor,
  },
  {
    name: 'waiting car lost behind a bus and found with a new id, then runs: one road user',
    actors: [{ id: (s) => (s < 2.3 ? 1 : 7), path: [[0, 640, 560], [1, 640, 420], [3, 640, 420], [4, 640, 100]], hidden: [[2.0, 2.6]] }],
    violations: [['red_light', 1]], exposures: runMotor,
  },
  { name: 'id changes on the line: one crossing, one road user', actors: [straight((s) => (s < 1.1 ? 1 : 2))], violations: [['red_light', 1]], exposures: runMotor },
  { name: 'wrong direction: leaving the junction across the stop line', actors: [{ id: 1, path: [[0, 640, 200], [3, 640, 650]] }], violations: [], exposures: {} },
  { name: 'crossing beside the stop line\'s extent', actors: [{ id: 1, path: [[0, 1000, 603], [2.5, 1000, 103]] }], violations: [], exposures: {} },
  { name: 'unknown signal at the crossing: unjudged, not exposed', actors: [straight()], signals: { S: [[0, 'red'], [0.7, 'unknown'], [1.3, 'red']] }, violations: [], exposures: {}, unjudged: 1 },
  { name: 'signal missing from the frame counts as unknown', actors: [straight()], signals: { P1: [[0, 'green']] }, onlyTheseSignals: true, violations: [], exposures: {}, unjudged: 1 },
  { name: 'dark signal (off): nothing to obey', actors: [straight()], signals: { S: [[0, 'off']] }, violations: [], exposures: {} },
  {
    name: 'car queued far back in its lane (2 box heights from the line) during red, leaves on green: not exposed',
    actors: [{ id: 1, path: [[0, 640, 700], [1, 640, 545], [4, 640, 545], [5.5, 640, 100]] }],
    signals: { S: [[0, 'red'], [4, 'green']] },
    violations: [], exposures: {},
  },
  {
    name: 'two road users: runner and a car that pulls up to the line behind it and leaves on green',
    actors: [straight(1), { id: 2, path: [[0, 640, 560], [1, 640, 450], [4, 640, 450], [5.5, 640, 100]] }],
    signals: { S: [[0, 'red'], [4, 'green']] },
    violations: [['red_light', 1]], exposures: { red_light: 2, stop_line_overrun: 2 },
  },
];

for (const row of rows) {
  t.test(row.name, async (t) => {
    const frames = scenario(row.actors, row.onlyTheseSignals ? row.signals! : { ...RED, ...row.signals }, row.seconds ?? 8);
    const r = judgeWindow({ calibration: junction(row.calibration), fps: 8, frames });
    t.same(r.violations.map((v) => [v.category, v.trackId]), row.violations, 'violations');
    const exposures = Object.fromEntries(Object.entries(r.counts).filter(([, c]) => c.exposures > 0).map(([k, c]) => [k, c.exposures]));
    t.same(exposures, row.exposures, 'exposures');
    t.equal(r.unjudged.length, row.unjudged ?? 0, 'unjudged');
    for (const [cat, c] of Object.entries(r.counts)) t.ok(c.violations <= c.exposures, `${cat}: violations within exposures`);
  });
}

t.test('evidence candidates: every moment of every violation was marked as it happened, and quiet frames were not', async (t) => {
  let moments = 0;
  for (const row of rows) {
    const frames = scenario(row.actors, row.onlyTheseSignals ? row.signals! : { ...RED, ...row.signals }, row.seconds ?? 8);
    const engine = new RulesEngine({ calibration: junction(row.calibration), fps: 8 });
    // What the window pipeline sees: whether a frame is a candidate a few frames after the rules had it.
    const marked = new Set<number>();
    const lag = 16;
    frames.forEach((f, k) => {
      engine.push(f);
      const old = frames[k - lag];
      if (old && engine.evidence.has(old.frameIndex)) marked.add(old.frameIndex);
    });
    const r = engine.finish();
    for (const f of frames.slice(-lag)) if (engine.evidence.has(f.frameIndex)) marked.add(f.frameIndex);
    for (const v of r.violations) {
      for (const m of v.moments) {
        moments++;
        t.ok(marked.has(m.frameIndex), `${row.name}: ${v.category} moment at frame ${m.frameIndex} marked`);
      }
    }
    if (r.violations.length === 0 && row.violations.length === 0 && !row.unjudged) t.ok(marked.size <= 12, `${row.name}: ${marked.size} frames marked without a violation`);
  }
  t.ok(moments > 60, `${moments} moments checked`);
});

t.test('jaywalk moments: the last frame behind the kerb edge, then the step off it', async (t) => {
  const frames = scenario([{ id: 1, cls: 'pedestrian', path: [[0, 150, 365], [2, 150, 365], [4.1, 200, 365], [4.9, 220, 365], [8, 600, 365]] }], { S: [[0, 'green']], P1: [[0, 'green'], [3.5, 'red']] }, 8);
  const v = judgeWindow({ calibration: junction(), fps: 8, frames }).violations[0]!;
  t.ok(v.moments[0].box.x1 + 15 <= 200 && v.moments[1].box.x1 + 15 > 200, `before behind the edge (x ${v.moments[0].box.x1 + 15}), past just over it (x ${v.moments[1].box.x1 + 15})`);
  t.equal(v.t, (v.moments[0].t + v.moments[1].t) / 2, 'dated between the two frames');
  t.equal(v.moments[1].t - v.moments[0].t, 125, 'one frame apart');
});

t.test('jaywalk lost from sight as it steps off: dated between the last frame on the kerb and the first in the road', async (t) => {
  // Waits at x 150 (the kerb edge is x 200), walks off at 2 s at 75 px/s (over the edge at 2.67 s),
  // unseen from 2.1 s to 4 s (the detector lost it in the crowd at the kerb).
  const frames = scenario([{ id: 1, cls: 'pedestrian', path: [[0, 150, 365], [2, 150, 365], [8, 600, 365]], hidden: [[2.1, 4]] }], { S: [[0, 'green']], P1: [[0, 'red']] }, 8);
  const v = judgeWindow({ calibration: junction(), fps: 8, frames }).violations[0]!;
  t.ok(v, 'a jaywalk');
  const [before, past] = v.moments.map((m) => (m.t - T0) / 1000);
  t.equal(before, 2, 'before: the last frame seen, on the kerb');
  t.equal(past, 4.125, 'past: the first frame seen again, in the road');
  t.equal((v.t - T0) / 1000, 3.0625, 'dated between them (the step was at 2.67 s), not at the late sighting');
});

t.test('jaywalk first seen on the crosswalk: dated back along its walk to the step off the kerb', async (t) => {
  const frames = scenario([{ id: 1, cls: 'pedestrian', path: [[0, 100, 365], [8, 740, 365]], hidden: [[0, 1.99]] }], { S: [[0, 'green']], P1: [[0, 'red']] }, 8);
  const v = judgeWindow({ calibration: junction(), fps: 8, frames }).violations[0]!;
  t.ok(v, 'a jaywalk');
  t.equal(v.zoneId, 'C1');
  t.equal(v.signalId, 'P1');
  t.ok(Math.abs((v.t - T0) / 1000 - 1.25) <= 0.13, `dated ${((v.t - T0) / 1000).toFixed(3)} s, the step off was at 1.25 s`);
  t.equal((v.moments[0].t - T0) / 1000, 2, 'first moment: first seen, on the crosswalk');
  t.ok(v.moments[2].t - v.moments[1].t >= 1000, 'continued a second later');
});

// The junction plus an approach from the west: travel rightwards at y 150..300,
// stop line x 300, second line x 600 (its own ball SW).
const withWestApproach = (): Calibration => {
  const c = junction();
  const region = { x: 40, y: 10, width: 20, height: 60 };
  c.approaches.push({
    id: 'west', stop_line: [[300, 150], [300, 300]], second_line: [[600, 150], [600, 300]],
    lanes: [{ id: 'W1', polygon: [[150, 150], [300, 150], [300, 300], [150, 300]], movements: ['straight'] }],
    signals: [{ id: 'SW', movements: ['left', 'straight', 'right'], shape: 'ball', orientation: 'vertical', region }],
  });
  return c;
};

// The north approach with a calibrated wait zone: from 10 px over the stop line (y 400) to y 470 upstream.
const withWaitZone = (): Calibration => {
  const c = junction();
  c.approaches[0]!.wait_zone = [[400, 390], [880, 390], [880, 470], [400, 470]];
  return c;
};

t.test('wait zone: of two bicycles queued on red, only the one inside the zone faced the line (without a zone, box heights reach both)', async (t) => {
  const queue: ActorSpec[] = [
    { id: 1, cls: 'non_motor', path: [[0, 640, 560], [1, 640, 420], [8, 640, 420]] },
    { id: 2, cls: 'non_motor', path: [[0, 640, 640], [1, 640, 520], [8, 640, 520]] },
  ];
  const frames = scenario(queue, { S: [[0, 'red'], [6, 'green']] }, 8);
  t.equal(judgeWindow({ calibration: withWaitZone(), fps: 8, frames }).counts.non_motor_red_light.exposures, 1);
  t.equal(judgeWindow({ calibration: junction(), fps: 8, frames }).counts.non_motor_red_light.exposures, 2);
});

t.test('wait zone: a car rolling into it on red and on across the line on green faced red (exposed, no violation); without a zone it never stood, so no exposure', async (t) => {
  const frames = scenario([{ id: 1, path: [[0, 640, 600], [4, 640, 300]] }], { S: [[0, 'red'], [1.5, 'green']] }, 6);
  const zoned = judgeWindow({ calibration: withWaitZone(), fps: 8, frames });
  t.same(zoned.violations, []);
  t.equal(zoned.counts.red_light.exposures, 1);
  t.equal(zoned.counts.stop_line_overrun.exposures, 1);
  t.equal(judgeWindow({ calibration: junction(), fps: 8, frames }).counts.red_light.exposures, 0);
});

t.test('one track holding two vehicles (the tracker swapped them), each running a red on its own arm: two runs, two exposures', async (t) => {
  const frames = scenario([
    straight(1),
    // The same track id on a car from the west once the first has gone.
    { id: 1, path: [[3, 160, 240], [6, 760, 240]], w: 90, h: 60 },
  ], { S: [[0, 'red']], SW: [[0, 'red']], P1: [[0, 'green']] }, 8);
  const r = judgeWindow({ calibration: withWestApproach(), fps: 8, frames });
  t.same(r.violations.map((v) => [v.category, v.zoneId]), [['red_light', 'north'], ['red_light', 'west']]);
  t.equal(r.counts.red_light.exposures, 2);
  t.equal(r.counts.stop_line_overrun.exposures, 2);
});

type Pt = [number, number];
/** One approach with one straight lane under signal S, no crosswalk. */
const oneApproach = (id: string, carriageway: Pt[], stop: [Pt, Pt], second: [Pt, Pt], lane: Pt[]): Calibration => ({
  carriageway,
  approaches: [{
    id, stop_line: stop, second_line: second,
    lanes: [{ id: `${id}-1`, polygon: lane, movements: ['straight'] }],
    signals: [{ id: 'S', movements: ['straight'], shape: 'ball', orientation: 'vertical', region: { x: 10, y: 10, width: 20, height: 60 } }],
  }],
  crosswalks: [],
});
// An approach seen from the side: travel rightwards across the picture, stop
// line x = 400, second line x = 700. A bus 240 px long: its front is 120 px
// ahead of the box's bottom centre, which decides that it crossed.
const sideView = () => oneApproach('west', [[0, 250], [1280, 250], [1280, 550], [0, 550]], [[400, 300], [400, 500]], [[700, 300], [700, 500]], [[0, 300], [400, 300], [400, 500], [0, 500]]);
// Centre from x 100 at 100 px/s: the front is past the line (and its 12 px
// margin) at 2.0 s, the centre at 3.2 s.
const bus: ActorSpec = { id: 1, cls: 'large_vehicle', w: 240, h: 80, path: [[0, 100, 420], [8, 900, 420]] };

t.test('seen from the side, a crossing dates from the front: a bus whose front crossed on amber is no runner, though its middle crossed on red', async (t) => {
  const r = judgeWindow({ calibration: sideView(), fps: 8, frames: scenario([bus], { S: [[0, 'amber'], [2.5, 'red']] }, 9) });
  t.same(r.violations, []);
});

t.test('seen from the side, a runner\'s moments are the front behind the line and the front just past it', async (t) => {
  const r = judgeWindow({ calibration: sideView(), fps: 8, frames: scenario([bus], { S: [[0, 'red']] }, 9) });
  t.equal(r.violations.length, 1);
  const [before, past] = r.violations[0]!.moments;
  // Past means beyond lineMargin (0.15 box heights: 12 px).
  t.ok(before.box.x2 <= 412 && past.box.x2 > 412, `front ${before.box.x2} then ${past.box.x2} (line at 400)`);
  t.equal(past.t - T0, 2000, 'the first frame with the front past the line, a second before the middle');
});

t.test('seen from the side, a bus whose front was already past the line when it came into view crossed unseen: not judged', async (t) => {
  // First seen (the window's first frame) with its middle at x 330, short of the line, and its front at 450, past it.
  const late: ActorSpec = { ...bus, path: [[0, 330, 420], [6, 900, 420]] };
  const r = judgeWindow({ calibration: sideView(), fps: 8, frames: scenario([late], { S: [[0, 'red']] }, 9) });
  t.same(r.violations, [], 'no runner, no overrun');
  t.equal(r.counts.red_light.exposures, 0, 'not exposed: it never faced the line in view');
  // The same bus seen a second earlier, front short of the line: a runner.
  const seen = judgeWindow({ calibration: sideView(), fps: 8, frames: scenario([{ ...bus, path: [[0, 230, 420], [6.75, 900, 420]] }], { S: [[0, 'red']] }, 9) });
  t.same(seen.violations.map((v) => v.category), ['red_light']);
});

t.test('seen from the side, a car standing with its front at the line, its box settling a pixel over it, that moves off on green: no crossing on red', async (t) => {
  // Front (the box's right edge) stops at 407, short of the line plus its 7.5 px margin (407.5); at 4.4 s the box settles a pixel further, over it.
  const car: ActorSpec = { id: 1, w: 100, h: 50, path: [[0, 200, 420], [2, 357, 420], [4.3, 357, 420], [4.4, 358, 420], [5, 358, 420], [8, 900, 420]] };
  const r = judgeWindow({ calibration: sideView(), fps: 8, frames: scenario([car], { S: [[0, 'red'], [4.9, 'green']] }, 9) });
  t.same(r.violations, [], 'it crossed when it moved off, on green');
  t.equal(r.counts.red_light.exposures, 1, 'it waited at the line on red');
  // The same car moving off while still red is a runner, dated from when it moved.
  const ran = judgeWindow({ calibration: sideView(), fps: 8, frames: scenario([car], { S: [[0, 'red']] }, 9) });
  t.same(ran.violations.map((v) => v.category), ['red_light']);
  t.ok(ran.violations[0]!.moments[1].t - T0 > 5000, `past the line at ${(ran.violations[0]!.moments[1].t - T0) / 1000} s, once it moved`);
});

// Seen from the side, a car that stopped with its front 12 px over the line
// (beyond the 7.5 px margin: a detector box a little longer than the car)
// and stood there on red from 2 s to 5 s, green at 4.9 s. Detector boxes
// wobble by a few pixels from frame to frame, and at 4.5 s its track takes
// a box 21 px further back for one frame (the car waiting beside it, say).
const overTheLine: ActorSpec = { id: 1, w: 100, h: 50, path: [[0, 150, 420], [2, 362, 420], [5, 362, 420], [8, 900, 420]] };
const wobble = (k: number): [number, number] => [k % 2 ? 2 : -2, 0];
const glitch = (k: number): [number, number] => (k === 36 ? [-21, 0] : wobble(k));

t.test('seen from the side, a car standing with its front over the line, its box wobbling, that moves off on green: no crossing on red', async (t) => {
  for (const [name, jitter] of [['wobble', wobble], ['wobble and a one-frame box from behind', glitch]] as const) {
    const r = judgeWindow({ calibration: sideView(), fps: 8, frames: scenario([{ ...overTheLine, jitter }], { S: [[0, 'red'], [4.9, 'green']] }, 9) });
    t.same(r.violations, [], `${name}: it crossed when it moved off, on green`);
    // Moving off while still red: a runner, dated from when it moved.
    const ran = judgeWindow({ calibration: sideView(), fps: 8, frames: scenario([{ ...overTheLine, jitter }], { S: [[0, 'red']] }, 9) });
    t.same(ran.violations.map((v) => v.category), ['red_light'], `${name}: moving off on red runs it`);
    t.ok(ran.violations[0]!.moments[1].t - T0 > 5000, `${name}: past the line at ${(ran.violations[0]!.moments[1].t - T0) / 1000} s, once it moved`);
  }
});

// An approach coming towards the camera (travel down the picture): stop line
// y 300, second line y 500; the box's bottom centre is the front. A truck
// 60 px tall (the line's margin 9 px) stands with its front 4 px short of the
// line from 2 s to 4 s, then creeps across at 10 px a second (1.25 px a
// frame, which reads as still by stillSpeed) and drives on from 5 s. Its
// front crosses the line at 4.4 s; the margin is passed only at 5.06 s.
const towardsView = () => oneApproach('north', [[300, 0], [980, 0], [980, 720], [300, 720]], [[400, 300], [880, 300]], [[400, 500], [880, 500]], [[400, 0], [880, 0], [880, 300], [400, 300]]);
const creeper = (stoodAt: number, jitter?: (k: number) => [number, number]): ActorSpec => ({
  id: 1, cls: 'large_vehicle', w: 80, h: 60, jitter,
  path: [[0, 640, 150], [2, 640, stoodAt], [4, 640, stoodAt], [5, 640, stoodAt + 10], [6, 640, stoodAt + 64], [8, 640, 650]],
});

t.test('coming towards the camera, a truck standing just short of the line that creeps across crossed at the line, not its margin', async (t) => {
  // Red until 5 s: it crossed the line (4.4 s) on red, though its box got past the margin only on green.
  const r = judgeWindow({ calibration: towardsView(), fps: 8, frames: scenario([creeper(296)], { S: [[0, 'red'], [5, 'green']] }, 9) });
  t.same(r.violations.map((v) => v.category), ['red_light']);
  t.equal((r.violations[0]!.moments[1].t - T0) / 1000, 4.5, 'past: the first frame past the line itself');
  // Green at 4.3 s: it moved off on red, but crossed the line on green.
  const green = judgeWindow({ calibration: towardsView(), fps: 8, frames: scenario([creeper(296)], { S: [[0, 'red'], [4.3, 'green']] }, 9) });
  t.same(green.violations, [], 'crossed on green');
  // Standing 20 px short (beyond the margin) it reached the line later: the line dates it, on green.
  const back = judgeWindow({ calibration: towardsView(), fps: 8, frames: scenario([creeper(280)], { S: [[0, 'red'], [5, 'green']] }, 9) });
  t.same(back.violations, [], 'stood short of the line: crossed when it got there');
  // A box jittering ±2 px (more than creepTolerance) is not found standing: the margin dates it, as before.
  const jittery = judgeWindow({ calibration: towardsView(), fps: 8, frames: scenario([creeper(296, (k) => [0, k % 2 ? 2 : -2])], { S: [[0, 'red'], [5, 'green']] }, 9) });
  t.same(jittery.violations, []);
});

// A near stop line close to the picture's bottom edge: the picture ends at y 440, 40 px below the
// stop line (y 400). A van (box 150 px tall) drives up from y 603 at 200 px/s from 2 s; the detector
// finds it once 60% of its box shows (first at 2.625 s, its box cut at the edge, its front as estimated
// from the cut box already over the line); its box's bottom gets past the line and margin at 3.25 s.
const EDGE_H = 440;
function enteringVan(path: [number, number, number][], signals: Record<string, Phases>): RulesFrame[] {
  return scenario([{ id: 1, h: 150, path }], signals, 8).map((f) => ({
    ...f,
    tracks: f.tracks
      .filter((p) => EDGE_H - p.box.y1 >= 0.6 * (p.box.y2 - p.box.y1))
      .map((p) => ({ ...p, box: { ...p.box, y2: Math.min(p.box.y2, EDGE_H) } })),
  }));
}
const vanPath: [number, number, number][] = [[2, 640, 603], [4.5, 640, 103]];

t.test('came into view through the bottom edge with its front over the line, on a red shown long before: a runner, dated from its first frame', async (t) => {
  const r = judgeWindow({ calibration: junction(), fps: 8, frames: enteringVan(vanPath, { S: [[0, 'red']] }), frame: { width: 1280, height: EDGE_H } });
  t.same(r.violations.map((v) => v.category), ['red_light']);
  t.equal((r.violations[0]!.moments[0].t - T0) / 1000, 2.625, 'before: the first frame it was seen');
  t.equal(r.counts.red_light.exposures, 1);
  const unseenEdge = judgeWindow({ calibration: junction(), fps: 8, frames: enteringVan(vanPath, { S: [[0, 'red']] }) });
  t.same(unseenEdge.violations.map((v) => v.category), ['red_light'], 'without the picture\'s size: it came into view all the same');
});

t.test('seen from the side, a car driving out from behind a bus standing in the nearer lane, first seen with its front just over the line on a red shown long before: a runner', async (t) => {
  // First seen at 2 s with its middle at x 360 and its front at 410, 10 px over the line (under half its 40 px height).
  const car: ActorSpec = { id: 1, w: 100, h: 40, path: [[2, 360, 420], [8, 1260, 420]] };
  const r = judgeWindow({ calibration: sideView(), fps: 8, frames: scenario([car], { S: [[0, 'red']] }, 9) });
  t.same(r.violations.map((v) => v.category), ['red_light']);
  t.equal((r.violations[0]!.moments[0].t - T0) / 1000, 2, 'before: the first frame it was seen');
  const amber = judgeWindow({ calibration: sideView(), fps: 8, frames: scenario([car], { S: [[0, 'amber'], [1.5, 'red']] }, 9) });
  t.same(amber.violations, [], 'red shown only 0.5 s before: it may have crossed on amber');
});

t.test('came into view over the line with red shown only 0.6 s before: it may have crossed on amber, not judged', async (t) => {
  const r = judgeWindow({ calibration: junction(), fps: 8, frames: enteringVan(vanPath, { S: [[0, 'amber'], [2, 'red']] }), frame: { width: 1280, height: EDGE_H } });
  t.same(r.violations, []);
});

t.test('came into view over the line, then stood there (a waiter whose cut box puts its front over) and left on red: not judged', async (t) => {
  const r = judgeWindow({ calibration: junction(), fps: 8, frames: enteringVan([[2, 640, 603], [2.625, 640, 478], [5, 640, 478], [7, 640, 103]], { S: [[0, 'red']] }), frame: { width: 1280, height: EDGE_H } });
  t.same(r.violations, []);
});

t.test('evidence moments: red before the line, past it, then at the second line', async (t) => {
  const r = judgeWindow({ calibration: junction(), fps: 8, frames: scenario([straight()], RED, 6) });
  const v = r.violations[0]!;
  t.same(v.moments.map((m) => m.frameIndex), [6, 7, 15]);
  t.equal(v.moments[0].box.y2, 453, 'before: the front (52.5 px above the box bottom) short of the line');
  t.ok(v.moments[1].box.y2 - 52.5 < 400 && v.moments[1].box.y2 > 400, 'past: the front beyond the line, the rear not yet');
  t.ok(v.moments[2].box.y2 < 250, 'continued: beyond the second line');
  t.equal(v.signalId, 'S');
  t.equal(v.zoneId, 'north');
  t.equal(v.roadUserClass, 'vehicle');
  t.equal(v.t, v.moments[1].t);
  t.ok(v.score > 0 && v.score <= 1);
});

t.test('streaming equals the whole window, and violations come out as road users become final', async (t) => {
  const frames = scenario([straight()], RED, 8);
  const engine = new RulesEngine({ calibration: junction(), fps: 8 });
  const early = frames.flatMap((f) => engine.push(f));
  t.equal(early.length, 1, 'decided before the window ends');
  t.ok(early[0]!.t < frames.at(-1)!.t);
  t.same(engine.finish(), judgeWindow({ calibration: junction(), fps: 8, frames }));
  engine.reset();
  t.same(engine.finish().violations, [], 'reset clears');
});

t.test('frames out of order are refused', async (t) => {
  const frames = scenario([straight()], RED, 1);
  const engine = new RulesEngine({ calibration: junction(), fps: 8 });
  engine.push(frames[3]!);
  t.throws(() => engine.push(frames[2]!), RangeError);
});

t.test('RULES_VERSION is exported', async (t) => {
  t.match(RULES_VERSION, /^crosswatch-rules\/\d+/);
});
