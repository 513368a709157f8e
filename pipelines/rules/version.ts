/**
 * Version of the rule semantics, stored with every window so results can be
 * traced and reprocessed. Bump it whenever a change can alter a verdict or a
 * count (thresholds included), never for refactoring; that includes the
 * tracker feeding the rules (its tracks are what they judge): /21 is the
 * tracker's aspect-ratio noise, the rules unchanged; /22 dates a crossing by
 * a vehicle that stood with its front over the stop line from where it stood
 * (red-light.ts frontFirst), not frame to frame, exposes a waiter at the
 * stop line found again on a new track once (counted-waits.ts), and dates a
 * step off the kerb back up to 5 s (inferMaxBackSeconds, was 3); /23
 * dates a crossing by a vehicle that stood just short of the stop line and
 * crept across at the line, not its margin (crossing-time.ts creptOff), and
 * judges a vehicle that came into view with its front just over the line
 * from behind a standing vehicle as one through the bottom edge
 * (enteredOver); /24 counts no kerb wait at a crosswalk by someone who has
 * just walked across it (jaywalk.ts arrival, crossedDistance); /25 counts
 * no kerb wait by someone walking faster than waitGroundSpeed on the ground,
 * where the calibration has ground points (the twin's sites now do); /26
 * reads a wait there over waitGroundSeconds (1 s), box heights too, instead
 * of box heights over waitSeconds (2 s).
 */
export const RULES_VERSION = 'crosswatch-rules/26';
