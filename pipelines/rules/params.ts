// Rule parameters. Distances are in box heights of the road user concerned
// (so one setting fits near and far road users and any resolution); times in
// seconds, frame counts in sampled frames (8 fps by default).

export interface RulesParams {
  /**
   * Frames the ground point must stay on the new side of a line before the
   * crossing counts (supervision's minimum_crossing_threshold). Raising it
   * ignores longer box flicker but risks missing a road user whose track ends
   * just past the line.
   */
  minimumCrossingFrames: number;
  /**
   * The ground point must be this many box heights past the stop line to be
   * past it. A car waiting with its front at the line (the box bottom, for
   * traffic coming towards the camera) sits a pixel or two either side of it,
   * and detector boxes run a little low; without a margin such a waiter is an
   * "overrun". Raising it ignores more of that but risks dating a real
   * crossing a frame late (and missing a true overrun that stops just over).
   */
  lineMargin: number;
  /** A crossing counts within the segment's extent, widened by this fraction of its length at each end. */
  lineExtentTolerance: number;
  /**
   * Red must have shown this long at the last frame before the line for the
   * crossing to be "on red". 0 judges on the sampled state alone; raising it
   * forgives late amber-to-red crossings (some jurisdictions allow ~0.2 s).
   */
  redGraceSeconds: number;
  /**
   * A road user that waited at the line on red and whose first frame past it
   * came this long or less before green was seen moved off with the green
   * (not judged). Raising it forgives real jumps of the light.
   */
  moveOffGraceSeconds: number;
  /**
   * A vehicle that came into view with its front already over the stop line
   * (through the picture's bottom edge, where a near stop line lies close to
   * it and the detector finds a car only once it shows a good part of
   * itself; or from behind a bus standing in a nearer lane) is
   * judged as crossing then, if red had shown this long before it was first
   * seen (it crossed moments before, while red showed). Raising it judges
   * fewer of them; lowering it risks an amber crosser.
   */
  enteredOverRedSeconds: number;
  /** …and if its front was then at most this many box heights over the line (else it crossed long before). */
  enteredOverReach: number;
  /** …and its box's bottom got past the line within this many seconds of first sight (it drove on; a truck's rear follows its front by 2–3 s)… */
  enteredOverSeconds: number;
  /** …never seen still (stillSpeed) this long before it crossed. */
  enteredOverStillSeconds: number;
  /**
   * A road user still in a lane during red is exposed only within this many
   * box heights of the stop line (its ground point, the box's bottom centre):
   * the first in the queue faces red at the line; those queued behind may
   * reach it on green. Raising it counts more of the queue as exposed,
   * lowering it misses a long vehicle waiting with its front at the line.
   */
  waitNearLine: number;
  /**
   * The same for non-motor road users. Bicycles are short and queue close,
   * so two or three stand where one car would: their line zone is deeper in
   * box heights.
   */
  waitNearLineNonMotor: number;
  /**
   * A road user that crossed the stop line on red and was lost still moving,
   * close enough to the second line to pass it within this many seconds at
   * its speed, ran the red (instead of being unresolved). The box's bottom is
   * a vehicle's rear when it drives away from the camera, a vehicle length
   * behind the front the ground truth times. Raising it resolves more lost
   * tracks but risks calling a late-braking overrun a runner.
   */
  projectSeconds: number;
  /**
   * From a shared left/straight lane, a road user must get this far past the
   * stop line (in stop line to second line distances) before "no turn seen"
   * reads as straight; lost sooner while the left and straight signals
   * disagree, it is unjudged. Lowering it judges more such road users but
   * risks calling a left-turner on its green arrow a red-light runner.
   */
  turnRevealReach: number;
  /** A road user whose ground point moves less than this (box heights per second)… */
  stillSpeed: number;
  /** …over this many seconds is still (waiting or stopped). */
  stillSeconds: number;
  /**
   * A vehicle that stood (stillSeconds) with its front over the stop line
   * moved off once its ground point got this far (box heights) from where it
   * stood; its crossing dates from then. Above the frame-to-frame wobble of a
   * box (a few hundredths of its height). A one-frame jump to a neighbour's
   * box and back goes beyond it but does not end the standing: what counts
   * is the last frame it was there.
   */
  moveOffDistance: number;
  /**
   * A vehicle whose front (or bottom centre) kept within this many box
   * heights over stillSeconds stood there; standing just short of the stop
   * line (within lineMargin) and then creeping across, its crossing is dated
   * at the line itself, not the margin (creptOff). About a standing box's
   * jitter by day; a box jittering more is not found standing and its
   * crossing keeps the margin's date.
   */
  creepTolerance: number;
  /**
   * A new track that appears within this many seconds where another road user
   * vanished near a line or crosswalk is the same road user. Raising it
   * survives longer occlusions but risks merging two road users.
   */
  stitchSeconds: number;
  /** …and within this distance of where that road user was (or would be, at its last speed). */
  stitchDistance: number;
  /** Stitching applies to road users that vanished within this distance of a stop line, lane or crosswalk. */
  stitchNearZone: number;
  /**
   * A road user unseen this long is final and judged. Must exceed the
   * tracker's lost-track buffer and stitchSeconds, or a revived track would be
   * judged twice.
   */
  finalizeAfterSeconds: number;
  /**
   * On an approach running away from the camera a vehicle's box bottom is
   * its rear; its front bumper touches the ground this share of the box's
   * height below the box's top (the rest is the body above it). The twin
   * puts it at 0.16–0.30 for cars, vans and buses; 0.46–0.58 for bicycles
   * and e-bikes, tall and short with their riders. A steeper camera puts
   * the front higher in the box (lower the share); too low dates crossings
   * early, too high late.
   */
  departingFrontMotor: number;
  /** …for a bicycle or e-bike with its rider. */
  departingFrontNonMotor: number;
  /** Frames a pedestrian must stay in a zone (carriageway, crosswalk) before the entry counts. */
  zoneHoldFrames: number;
  /**
   * A pedestrian is in the carriageway only this deep inside its kerb edge.
   * The box's bottom is the nearest corner of the footprint and detector
   * boxes run a few pixels loose, so someone standing at the kerb, or walking
   * along it on the far side where a metre is a few pixels, has a ground point
   * just over the edge. Raising it ignores more kerb-huggers but risks
   * dating a real entry a frame or two late (or missing one that only
   * clips a corner of the road). It applies on the way in and to those
   * standing: someone walking who is already in the road is back on the
   * kerb only over the edge itself.
   */
  kerbMargin: number;
  /**
   * An entry (mid-block or onto a crosswalk) counts once the pedestrian has
   * gone this many box heights into the carriageway during that stretch:
   * someone crossing walks a box height a second into the road, someone
   * walking along the kerb (or a small far box sitting a third of its height
   * low) stays near its edge. Raising it delays nothing (the entry is still
   * dated to its first frame) but risks missing someone who steps out and
   * back within the window's last second.
   */
  entryDepth: number;
  /**
   * Fastest plausible pedestrian step, box heights per second, between the
   * last frame on the kerb and the first in the carriageway. A longer jump is
   * the tracker handing a kerb-side track to someone already in the road (two
   * people close together at the far kerb), not an entry. People walk at
   * about 1 box height per second and hurry at 2; raising it tolerates
   * looser boxes but risks judging such swaps.
   */
  maxEntrySpeed: number;
  /** A pedestrian within this distance of a crosswalk is on it (people do not walk exactly inside the paint). */
  crosswalkMargin: number;
  /** Kerb zone: outside the carriageway, within this distance of a crosswalk. */
  kerbDistance: number;
  /**
   * A pedestrian who came off a crosswalk onto the kerb having walked this
   * many box heights along it crossed; standing there is no wait at that
   * crosswalk. Above a waiter's step into the road and back.
   */
  crossedDistance: number;
  /**
   * A pedestrian slower than this (box heights per second, over stillSeconds)
   * is waiting at the kerb; walking is about 1. Above stillSpeed because a
   * small pedestrian's box jitters by a larger share of its height; raising it
   * risks counting slow passers-by as waiting, lowering it misses waiters
   * whose boxes flicker.
   */
  waitSpeed: number;
  /**
   * Where the calibration maps the ground: a pedestrian moving faster than
   * this (metres per second, over waitGroundSeconds) is not waiting, however
   * few box heights it moves. Walking is 1.2–1.5, slow walking about 0.9; a
   * standing far pedestrian's box jitters a few tenths of a metre a second
   * on the ground. 0.5 lost real waiters (those jitters), 1.0 counted more
   * slow walkers (replays of every eval clip).
   */
  waitGroundSpeed: number;
  /**
   * …measured over this many seconds, box heights too (waitSeconds is for
   * box heights alone, where the ground is not mapped). Shorter than
   * waitSeconds: people arriving at a crowded corner are counted as they
   * stop, before their tracks mix with their neighbours', and so are short
   * waits (over all eval clips, against box heights over waitSeconds: 28
   * more right exposures, 11 more counted twice, 4 more wrong).
   */
  waitGroundSeconds: number;
  /**
   * …measured over this many seconds. Longer than stillSeconds: someone
   * walking towards or away from the camera moves a fifth of a box height a
   * second or less in the picture, as slow as a small waiter's box jitters
   * over half a second; over two seconds the walker moves, the jitter
   * averages out.
   */
  waitSeconds: number;
  /**
   * A pedestrian found waiting at a crosswalk's kerb, or a road user at a
   * stop line, where a counted waiter was last seen (within this many box
   * heights), after it, during the same red, is that waiter on a new track:
   * exposed once (counted-waits.ts). The tracker loses a
   * standing pedestrian for a few seconds in a crowd or behind a bus and
   * finds it again as a new road user: on ten-minute windows (seed 50000)
   * jaywalk exposures ran 18% over the truth, 62 of 402 a person counted
   * twice. Someone found again stands within a few hundredths of a box
   * height of where it was lost; a newcomer taking a waiter's place, a fifth
   * of a box height or more away. Raising it (0.5) merged newcomers with
   * earlier waiters.
   */
  sameWaiterDistance: number;
  /**
   * Seconds waiting in a kerb zone during don't-walk that make a pedestrian
   * exposed. Above zero because a passer-by turning the corner by a crosswalk
   * is still for a frame or two; raising it misses someone who arrives on
   * don't-walk and leaves the moment it turns to walk.
   */
  kerbWaitSeconds: number;
  /**
   * Don't-walk must have shown at least this long at a pedestrian's step off
   * the kerb (on top of redGraceSeconds) for a crosswalk jaywalk. The step
   * is dated from the box's bottom crossing the kerb edge, good to a few
   * tenths of a second (a frame either side, boxes a little loose), and
   * dated back along the walk when it was not seen: someone stepping off as
   * walk ends must not be called a jaywalker. Raising it misses more starts
   * just after the change.
   */
  walkGraceSeconds: number;
  /**
   * A pedestrian first seen already on a crosswalk is watched this long
   * before its step off the kerb is dated back (see inferMinSpeed).
   */
  inferSeconds: number;
  /**
   * …it must have walked away from the nearer kerb at least this fast (box
   * heights per second, measured as depth into the carriageway): walking is
   * about 1 across the view, but a crosswalk seen obliquely foreshortens the
   * depth to a quarter of that. Slower, the dating is too uncertain (or it
   * is someone standing in the road); raising it judges fewer such
   * pedestrians.
   */
  inferMinSpeed: number;
  /**
   * …and the dated step off may lie at most this many seconds before it was
   * first seen. A slow walk on an oblique crosswalk (a quarter of a box
   * height a second) first seen a box height in stepped off 4 s before; 3
   * left such walkers unjudged (three jaywalkers on the eval seeds, no false
   * one added at 5). Beyond it the dating's error grows with the distance.
   */
  inferMaxBackSeconds: number;
  /**
   * Walking inside the kerb margin with less than this share of the way
   * into the road (over half a second) is walking along the kerb, not
   * stepping off: the step off is dated from where it turns in. Raising it
   * dates diagonal steps off later.
   */
  alongKerbShare: number;
  /**
   * A pedestrian first seen already over the kerb edge (inside the kerb
   * margin, walking) within this long of the window's first frame may have
   * stepped off before the window: its entry is not judged, as for someone
   * first seen in the road. Raising it judges fewer entries near the start.
   */
  unseenStepSeconds: number;
  /** The "continued" evidence moment of a right turn or jaywalk: this long after the decisive frame. */
  continuedSeconds: number;
  /**
   * A jaywalker lost in the road before its continued moment, while the
   * window ran on, is judged on its last sighting when that came at least
   * this long after the entry. Lowering it judges walkers seen only a few
   * frames into the road (one who turned back unseen would be wrong);
   * raising it to continuedSeconds leaves only entries confirmed after
   * their continued moment was due judged this way.
   */
  lostContinuedSeconds: number;
}

export const DEFAULT_RULES_PARAMS: Readonly<RulesParams> = {
  minimumCrossingFrames: 3,
  lineExtentTolerance: 0.05,
  lineMargin: 0.15,
  redGraceSeconds: 0,
  moveOffGraceSeconds: 0.15,
  enteredOverRedSeconds: 1,
  enteredOverReach: 0.5,
  enteredOverSeconds: 3,
  enteredOverStillSeconds: 1,
  waitNearLine: 1.25,
  waitNearLineNonMotor: 2.5,
  projectSeconds: 0.5,
  turnRevealReach: 2,
  stillSpeed: 0.3,
  stillSeconds: 0.5,
  moveOffDistance: 0.25,
  creepTolerance: 0.02,
  stitchSeconds: 2,
  stitchDistance: 1,
  stitchNearZone: 3,
  finalizeAfterSeconds: 3,
  departingFrontMotor: 0.25,
  departingFrontNonMotor: 0.5,
  zoneHoldFrames: 3,
  kerbMargin: 0.25,
  maxEntrySpeed: 4,
  entryDepth: 0.6,
  crosswalkMargin: 0.2,
  kerbDistance: 1,
  crossedDistance: 2,
  waitSpeed: 0.25,
  waitGroundSpeed: 0.8,
  waitGroundSeconds: 1,
  waitSeconds: 2,
  kerbWaitSeconds: 1,
  sameWaiterDistance: 0.1,
  walkGraceSeconds: 0.5,
  continuedSeconds: 1,
  lostContinuedSeconds: 0.5,
  inferSeconds: 1,
  inferMinSpeed: 0.2,
  inferMaxBackSeconds: 5,
  unseenStepSeconds: 1,
  alongKerbShare: 0.25,
};
