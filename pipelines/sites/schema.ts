// The sites format (sites/*.json): intersections, their cameras and each
// camera's calibration in image coordinates. Documented in README.md
// ("Sites format"); validated by validate.ts, which adds the geometric checks
// a JSON schema cannot express.
import { Type, type Static } from '@sinclair/typebox';
import { MOVEMENTS } from '../types.ts';

export const SITES_FORMAT = 'crosswatch-sites/1';

const Code = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$', description: 'letters, digits, _ . -; used in folder names' });
const PointT = Type.Tuple([Type.Number(), Type.Number()], { description: '[x, y] in image pixels' });
const SegmentT = Type.Array(PointT, { minItems: 2, maxItems: 2, description: 'two points' });
const PolygonT = Type.Array(PointT, { minItems: 3, maxItems: 256, description: 'at least three points, not closed' });
const MovementT = Type.Union(MOVEMENTS.map((m) => Type.Literal(m)));

/** Pixel rectangle around a whole signal head, lamps included. */
const RegionT = Type.Object(
  {
    x: Type.Number({ minimum: 0 }),
    y: Type.Number({ minimum: 0 }),
    width: Type.Number({ exclusiveMinimum: 0 }),
    height: Type.Number({ exclusiveMinimum: 0 }),
  },
  { additionalProperties: false },
);

/**
 * A vehicle signal head. Lamps run red, amber, green from top to bottom
 * (vertical) or left to right (horizontal). `shape: "arrow"` marks a head
 * that governs its movements with arrows: a right turn governed by an arrow
 * may not proceed on red.
 */
const VehicleSignalT = Type.Object(
  {
    id: Code,
    movements: Type.Array(MovementT, { minItems: 1, maxItems: 3, uniqueItems: true }),
    shape: Type.Union([Type.Literal('ball'), Type.Literal('arrow')]),
    orientation: Type.Union([Type.Literal('vertical'), Type.Literal('horizontal')]),
    region: RegionT,
  },
  { additionalProperties: false },
);

/** A pedestrian head: red (standing figure) then green (walking figure). */
const PedestrianSignalT = Type.Object(
  {
    id: Code,
    orientation: Type.Union([Type.Literal('vertical'), Type.Literal('horizontal')]),
    region: RegionT,
  },
  { additionalProperties: false },
);

const LaneT = Type.Object(
  {
    id: Code,
    /** Lane area just upstream of the stop line, where a road user's movement is read. */
    polygon: PolygonT,
    movements: Type.Array(MovementT, { minItems: 1, maxItems: 3, uniqueItems: true }),
  },
  { additionalProperties: false },
);

/**
 * One approach into the junction. Travel runs from the stop line towards the
 * second line; crossing the stop line on red and then the second line is
 * running the red light, crossing the stop line only is an overrun.
 */
const ApproachT = Type.Object(
  {
    id: Code,
    name: Type.Optional(Type.String({ maxLength: 200 })),
    stop_line: SegmentT,
    second_line: SegmentT,
    lanes: Type.Array(LaneT, { minItems: 1, maxItems: 16 }),
    signals: Type.Array(VehicleSignalT, { minItems: 1, maxItems: 8 }),
    /**
     * Optional: the ground just upstream of the stop line where a road user
     * waiting on red counts as facing it (exposed), drawn to the local rule
     * (5 m deep, say). Without it, waiting within a few box heights of the
     * line counts, which on a far, foreshortened arm reaches further back.
     */
    wait_zone: Type.Optional(PolygonT),
  },
  { additionalProperties: false },
);

const CrosswalkT = Type.Object(
  {
    id: Code,
    polygon: PolygonT,
    signal: PedestrianSignalT,
  },
  { additionalProperties: false },
);

/**
 * A point on the road seen in the picture and measured on the ground: image
 * pixels and metres in any level frame (a survey map's, or one taped out from
 * a kerb corner). Four or more, spread over the road, let the rules measure
 * speeds in metres per second.
 */
const GroundPointT = Type.Object(
  {
    image: PointT,
    metres: Type.Tuple([Type.Number(), Type.Number()], { description: '[x, y] in metres on the ground' }),
  },
  { additionalProperties: false },
);

export const CalibrationSchema = Type.Object(
  {
    /** Where vehicles drive; a pedestrian inside it but outside every crosswalk is jaywalking. */
    carriageway: PolygonT,
    approaches: Type.Array(ApproachT, { minItems: 1, maxItems: 8 }),
    crosswalks: Type.Array(CrosswalkT, { maxItems: 16 }),
    /**
     * Optional: road points with their ground positions. Without them speeds
     * are read in box heights a second, which understates walking towards or
     * away from the camera on a far arm.
     */
    ground: Type.Optional(Type.Array(GroundPointT, { minItems: 4, maxItems: 64, description: 'ground points' })),
  },
  { additionalProperties: false },
);

const CameraT = Type.Object(
  {
    code: Code,
    name: Type.Optional(Type.String({ maxLength: 200 })),
    resolution: Type.Object(
      { width: Type.Integer({ minimum: 16, maximum: 8192 }), height: Type.Integer({ minimum: 16, maximum: 8192 }) },
      { additionalProperties: false },
    ),
    /** Absent until the camera is calibrated; windows of such a camera fail with a stated reason. */
    calibration: Type.Optional(CalibrationSchema),
  },
  { additionalProperties: false },
);

const IntersectionT = Type.Object(
  {
    code: Code,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    district: Type.Optional(Type.String({ maxLength: 200 })),
    responsible_unit: Type.Optional(Type.String({ maxLength: 200 })),
    /** IANA zone; recordings' file names and sampling hours are in this zone. */
    time_zone: Type.Optional(Type.String({ minLength: 1 })),
    cameras: Type.Array(CameraT, { minItems: 1, maxItems: 64 }),
  },
  { additionalProperties: false },
);

export const SitesSchema = Type.Object(
  {
    format: Type.Literal(SITES_FORMAT),
    intersections: Type.Array(IntersectionT, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type SitesFile = Static<typeof SitesSchema>;
export type IntersectionSite = SitesFile['intersections'][number];
export type CameraSite = IntersectionSite['cameras'][number];
export type Calibration = Static<typeof CalibrationSchema>;
export type Approach = Calibration['approaches'][number];
export type Lane = Approach['lanes'][number];
export type VehicleSignal = Approach['signals'][number];
export type Crosswalk = Calibration['crosswalks'][number];
export type PedestrianSignal = Crosswalk['signal'];
export type SignalRegion = VehicleSignal['region'];
export type GroundPoint = NonNullable<Calibration['ground']>[number];
