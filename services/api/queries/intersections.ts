// SQL for reading sites (intersections, cameras: owned by services/sites; read-only here).
export interface IntersectionRow {
  id: string;
  code: string;
  name: string;
  district: string | null;
  responsible_unit: string | null;
  time_zone: string;
  cameras: number;
}

export interface CameraRow {
  id: string;
  code: string;
  name: string | null;
  width: number;
  height: number;
  calibration: unknown;
}

const COLUMNS = `i.id::text, i.code, i.name, i.district, i.responsible_unit, i.time_zone,
                 (SELECT count(*)::int FROM cameras c WHERE c.intersection_id = i.id) AS cameras`;

export const intersectionsSql = {
  list: () => ({ text: `SELECT ${COLUMNS} FROM intersections i ORDER BY i.code`, values: [] }),
  byCode: (code: string) => ({ text: `SELECT ${COLUMNS} FROM intersections i WHERE i.code = $1`, values: [code] }),
  cameras: (intersectionId: string) => ({
    text: `SELECT id::text, code, name, width, height, calibration FROM cameras WHERE intersection_id = $1 ORDER BY code`,
    values: [intersectionId],
  }),
};
