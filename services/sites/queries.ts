// SQL for the tables this service owns (intersections, cameras), each query
// built here as { text, values }.
import type { CameraSite, IntersectionSite } from '../../pipelines/sites/schema.ts';

export const sitesSql = {
  upsertIntersection: (ix: IntersectionSite, timeZone: string) => ({
    text: `INSERT INTO intersections (code, name, district, responsible_unit, time_zone)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (code) DO UPDATE SET
             name = EXCLUDED.name, district = EXCLUDED.district, responsible_unit = EXCLUDED.responsible_unit,
             time_zone = EXCLUDED.time_zone, updated_at = now()
           RETURNING id, (xmax = 0) AS inserted`,
    values: [ix.code, ix.name, ix.district ?? null, ix.responsible_unit ?? null, timeZone],
  }),
  upsertCamera: (cam: CameraSite, intersectionId: string) => ({
    text: `INSERT INTO cameras (code, intersection_id, name, width, height, calibration)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (code) DO UPDATE SET
             intersection_id = EXCLUDED.intersection_id, name = EXCLUDED.name, width = EXCLUDED.width,
             height = EXCLUDED.height, calibration = EXCLUDED.calibration, updated_at = now()
           RETURNING id, (xmax = 0) AS inserted`,
    values: [cam.code, intersectionId, cam.name ?? null, cam.resolution.width, cam.resolution.height, cam.calibration ? JSON.stringify(cam.calibration) : null],
  }),
  list: () => ({
    text: `SELECT i.code AS intersection, i.name, i.district, i.responsible_unit, i.time_zone,
                  c.code AS camera, c.name AS camera_name, c.width, c.height, c.calibration IS NOT NULL AS calibrated,
                  c.calibration ? 'ground' AS ground_mapped
             FROM intersections i LEFT JOIN cameras c ON c.intersection_id = i.id
            ORDER BY i.code, c.code`,
    values: [],
  }),
  /** Camera code → its intersection's time zone, for the catalog. */
  cameraZones: () => ({
    text: `SELECT c.code, i.time_zone FROM cameras c JOIN intersections i ON i.id = c.intersection_id`,
    values: [],
  }),
};
