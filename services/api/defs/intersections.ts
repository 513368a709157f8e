import { Type } from '@sinclair/typebox';
import { Nullable, Rate, Text } from './common.ts';

export const RatingSummary = Type.Object({
  month: Text('Local month of the rating'),
  band: Type.String({ description: "A..E or 'unrated' (too few exposures)" }),
  rank: Nullable(Type.Integer()),
  redFlag: Type.Boolean(),
  blackFlag: Type.Boolean(),
  compliance: Rate,
});

const IntersectionFields = {
  id: Text('Id'),
  code: Text('Intersection code'),
  name: Type.String(),
  district: Nullable(Type.String()),
  responsibleUnit: Nullable(Type.String()),
  timeZone: Type.String({ description: 'IANA zone; days, weeks and months are counted in it' }),
  cameras: Type.Integer({ description: 'Number of cameras' }),
  rating: RatingSummary,
};

export const IntersectionList = Type.Object({ items: Type.Array(Type.Object(IntersectionFields)) });

export const Camera = Type.Object({
  id: Text('Id'),
  code: Text('Camera code'),
  name: Nullable(Type.String()),
  width: Type.Integer(),
  height: Type.Integer(),
  calibrated: Type.Boolean(),
  calibration: Nullable(Type.Object({}, { additionalProperties: true, description: 'The sites-file calibration' })),
});

export const IntersectionDetail = Type.Object({ ...IntersectionFields, cameraList: Type.Array(Camera) });
