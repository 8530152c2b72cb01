/**
 * A uniform grid over bounding boxes, packed into typed arrays (cell -> item ids, CSR): built once
 * from the registry, queried per stop. Results are integer item ids, never objects; a query
 * allocates nothing.
 */
export class SpatialGrid {
  readonly itemCount: number;
  private readonly minLon: number;
  private readonly minLat: number;
  private readonly cellLon: number;
  private readonly cellLat: number;
  private readonly columns: number;
  private readonly rows: number;
  private readonly cellStart: Uint32Array;
  private readonly cellItems: Uint32Array;

  /**
   * @param boxes [minLon, minLat, maxLon, maxLat] per item
   * @param cellDeg cell size in degrees of latitude (longitude cells are as wide in degrees)
   */
  constructor(boxes: readonly (readonly [number, number, number, number])[], cellDeg: number) {
    if (!(cellDeg > 0)) throw new Error('spatial grid: cellDeg must be positive');
    this.itemCount = boxes.length;
    let minLon = Infinity;
    let minLat = Infinity;
    let maxLon = -Infinity;
    let maxLat = -Infinity;
    for (const [x0, y0, x1, y1] of boxes) {
      minLon = Math.min(minLon, x0);
      minLat = Math.min(minLat, y0);
      maxLon = Math.max(maxLon, x1);
      maxLat = Math.max(maxLat, y1);
    }
    if (boxes.length === 0) minLon = minLat = maxLon = maxLat = 0;
    // A region's registry spans a few hundred km at most; cap the grid so memory stays bounded.
    const maxCells = 4_000_000;
    let cell = cellDeg;
    while (((maxLon - minLon) / cell + 1) * ((maxLat - minLat) / cell + 1) > maxCells) cell *= 2;
    this.minLon = minLon;
    this.minLat = minLat;
    this.cellLon = cell;
    this.cellLat = cell;
    this.columns = Math.floor((maxLon - minLon) / cell) + 1;
    this.rows = Math.floor((maxLat - minLat) / cell) + 1;

    const counts = new Uint32Array(this.columns * this.rows + 1);
    const forEachCell = (
      box: readonly [number, number, number, number],
      visit: (cell: number) => void,
    ): void => {
      const c0 = this.column(box[0]);
      const c1 = this.column(box[2]);
      const r0 = this.row(box[1]);
      const r1 = this.row(box[3]);
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) visit(r * this.columns + c);
    };
    for (const box of boxes) forEachCell(box, (cellIndex) => counts[cellIndex + 1]!++);
    for (let i = 1; i < counts.length; i++) counts[i] = counts[i]! + counts[i - 1]!;
    this.cellStart = counts;
    const fill = Uint32Array.from(counts);
    this.cellItems = new Uint32Array(counts[counts.length - 1]!);
    boxes.forEach((box, item) =>
      forEachCell(box, (cellIndex) => {
        this.cellItems[fill[cellIndex]!++] = item;
      }),
    );
  }

  /**
   * Calls `visit` with each item whose box's cell range covers the point's cell (a superset of the
   * boxes containing the point: callers test the exact shape).
   */
  forEachCandidate(lon: number, lat: number, visit: (item: number) => void): void {
    const c = Math.floor((lon - this.minLon) / this.cellLon);
    const r = Math.floor((lat - this.minLat) / this.cellLat);
    if (c < 0 || r < 0 || c >= this.columns || r >= this.rows) return;
    const cellIndex = r * this.columns + c;
    const end = this.cellStart[cellIndex + 1]!;
    for (let i = this.cellStart[cellIndex]!; i < end; i++) visit(this.cellItems[i]!);
  }

  private column(lon: number): number {
    return Math.min(this.columns - 1, Math.max(0, Math.floor((lon - this.minLon) / this.cellLon)));
  }

  private row(lat: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((lat - this.minLat) / this.cellLat)));
  }
}
