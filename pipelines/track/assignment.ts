// Linear assignment with a cost limit, the role lap.lapjv(cost_limit=…) plays
// in ByteTrack's matching.py.
//
// Choice: the Hungarian method (shortest augmenting paths, O(n³)) rather than
// greedy-by-IoU. Greedy takes the best pair first and can strand a neighbour
// that had no other option; where two cars queue side by side or two paths
// cross, that is an ID switch. The matrices here are small (tens of tracks),
// so the cubic cost is microseconds.
//
// The cost limit is applied the way lapjv does it: every row and column may
// also stay unmatched at cost limit/2, so a pair costing more than the limit is
// never worth taking, and the optimum is over the matches that are.

export interface Assignment {
  /** [row, column] pairs, rows ascending. */
  matches: [number, number][];
  unmatchedRows: number[];
  unmatchedCols: number[];
}

/** A cost no real pair reaches; finite so the arithmetic never makes NaN. */
const FORBIDDEN = 1e9;

/**
 * Minimum-cost matching of rows to columns of `cost` (rows × cols) where only
 * pairs with cost <= limit may match.
 *
 * Pairs within the limit form a bipartite graph; rows and columns in different
 * connected parts of it never compete, and the objective adds up over parts,
 * so each part is solved alone. A junction's tracks mostly overlap one
 * detection each: the parts are 1×1 and the cubic step runs only where road
 * users crowd together (it was a measurable share of a window's CPU solved
 * over the whole frame).
 */
export function linearAssignment(cost: readonly (readonly number[])[], cols: number, limit: number): Assignment {
  const rows = cost.length;
  const matches: [number, number][] = [];
  for (const part of components(cost, cols, limit)) {
    if (part.rows.length === 1 && part.cols.length === 1) {
      matches.push([part.rows[0]!, part.cols[0]!]);
      continue;
    }
    const sub = part.rows.map((i) => part.cols.map((j) => cost[i]![j]!));
    for (const [r, c] of solve(sub, part.cols.length, limit)) matches.push([part.rows[r]!, part.cols[c]!]);
  }
  matches.sort((a, b) => a[0] - b[0]);
  const matchedRows = new Set(matches.map(([i]) => i));
  const usedCols = new Set(matches.map(([, j]) => j));
  return {
    matches,
    unmatchedRows: range(rows).filter((i) => !matchedRows.has(i)),
    unmatchedCols: range(cols).filter((j) => !usedCols.has(j)),
  };
}

/** Connected parts of the graph of pairs within the limit (rows and columns ascending in each); lone rows and columns left out. */
function components(cost: readonly (readonly number[])[], cols: number, limit: number): { rows: number[]; cols: number[] }[] {
  const rows = cost.length;
  // Union-find over rows 0..rows-1 and columns rows..rows+cols-1.
  const parent = Int32Array.from({ length: rows + cols }, (_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) k = parent[k] = parent[parent[k]!]!;
    return k;
  };
  const linked = new Uint8Array(rows + cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (!(cost[i]![j]! <= limit)) continue;
      linked[i] = linked[rows + j] = 1;
      const a = find(i);
      const b = find(rows + j);
      if (a !== b) parent[a] = b;
    }
  }
  const parts = new Map<number, { rows: number[]; cols: number[] }>();
  for (let k = 0; k < rows + cols; k++) {
    if (!linked[k]) continue;
    const root = find(k);
    let part = parts.get(root);
    if (!part) parts.set(root, (part = { rows: [], cols: [] }));
    if (k < rows) part.rows.push(k);
    else part.cols.push(k - rows);
  }
  return [...parts.values()];
}

/** One part: Hungarian on the matrix extended so that any row or column may stay unmatched at limit/2. */
function solve(cost: readonly (readonly number[])[], cols: number, limit: number): [number, number][] {
  const rows = cost.length;
  // Extended square matrix (rows + cols): real pairs top-left, "stay unmatched"
  // on the diagonals of the off blocks, dummy-to-dummy free.
  const n = rows + cols;
  const m: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(n).fill(FORBIDDEN);
    for (let j = 0; j < n; j++) {
      if (i < rows && j < cols) {
        const c = cost[i]![j]!;
        row[j] = c <= limit ? c : FORBIDDEN;
      } else if (i < rows) row[j] = j - cols === i ? limit / 2 : FORBIDDEN;
      else if (j < cols) row[j] = i - rows === j ? limit / 2 : FORBIDDEN;
      else row[j] = 0;
    }
    m.push(row);
  }
  const colOfRow = hungarian(m);
  const matches: [number, number][] = [];
  for (let i = 0; i < rows; i++) {
    const j = colOfRow[i]!;
    if (j < cols && m[i]![j]! < FORBIDDEN) matches.push([i, j]);
  }
  return matches;
}

/**
 * Hungarian method for a square matrix (potentials + shortest augmenting
 * path, the classic e-maxx formulation). Returns the column of each row.
 */
export function hungarian(a: readonly (readonly number[])[]): number[] {
  const n = a.length;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1); // p[j]: row matched to column j (1-based, 0 = none)
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = a[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const colOfRow = new Array<number>(n).fill(-1);
  for (let j = 1; j <= n; j++) if (p[j]! > 0) colOfRow[p[j]! - 1] = j - 1;
  return colOfRow;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
