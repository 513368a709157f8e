// A valid sites file (one intersection, a calibrated and an uncalibrated
// camera) for tests to copy and break one field at a time.
import type { SitesFile } from '../../pipelines/sites/schema.ts';

export function exampleSites(): SitesFile {
  return {
    format: 'crosswatch-sites/1',
    intersections: [
      {
        code: 'XH-001',
        name: 'Xinhua Rd / Park Ave',
        district: 'Xuhui',
        responsible_unit: 'Traffic Police Brigade 3',
        time_zone: 'Asia/Shanghai',
        cameras: [
          {
            code: 'XH-001-N',
            name: 'north approach',
            resolution: { width: 1920, height: 1080 },
            calibration: {
              carriageway: [[100, 300], [1800, 300], [1900, 1070], [20, 1070]],
              approaches: [
                {
                  id: 'north',
                  stop_line: [[300, 800], [1500, 800]],
                  second_line: [[350, 500], [1450, 500]],
                  lanes: [
                    { id: 'n-left', polygon: [[300, 820], [700, 820], [700, 1060], [300, 1060]], movements: ['left'] },
                    { id: 'n-straight', polygon: [[700, 820], [1500, 820], [1500, 1060], [700, 1060]], movements: ['straight', 'right'] },
                  ],
                  signals: [
                    { id: 'sig-n-left', movements: ['left'], shape: 'arrow', orientation: 'vertical', region: { x: 900, y: 40, width: 30, height: 90 } },
                    { id: 'sig-n-main', movements: ['straight', 'right'], shape: 'ball', orientation: 'vertical', region: { x: 950, y: 40, width: 30, height: 90 } },
                  ],
                },
              ],
              crosswalks: [
                {
                  id: 'cw-north',
                  polygon: [[300, 700], [1500, 700], [1500, 780], [300, 780]],
                  signal: { id: 'ped-north', orientation: 'vertical', region: { x: 1700, y: 200, width: 20, height: 50 } },
                },
              ],
              // The crosswalk's corners taped out: 14 m across, 4 m deep.
              ground: [
                { image: [300, 780], metres: [0, 0] },
                { image: [1500, 780], metres: [14, 0] },
                { image: [1420, 700], metres: [14, 4] },
                { image: [380, 700], metres: [0, 4] },
              ],
            },
          },
          { code: 'XH-001-S', resolution: { width: 1280, height: 720 } },
        ],
      },
    ],
  };
}
