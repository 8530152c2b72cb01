const POPPED = 0xffffffff;

/**
 * 4-ary min-heap of integer ids 0..capacity-1 with decrease-key, ordered lexicographically by
 * (key, key2). All storage is allocated once; `clear()` is O(1) because an id's slot is valid only when
 * its stamp equals the current generation, so a search costs O(ids touched), never O(capacity).
 *
 * After `pop()` an id keeps its keys (readable through `key`/`key2`) until the next `clear()`: a
 * Dijkstra search reads its settled distances straight from the heap.
 */
export class MinHeap {
  readonly capacity: number;
  private readonly ids: Uint32Array;
  private readonly position: Uint32Array;
  private readonly stamp: Uint32Array;
  /** (key, key2) of id at [2·id, 2·id+1]: both in one cache line. */
  private readonly keys: Float64Array;
  private generation = 1;
  private count = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.ids = new Uint32Array(Math.max(capacity, 1));
    this.position = new Uint32Array(capacity);
    this.stamp = new Uint32Array(capacity);
    this.keys = new Float64Array(2 * capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Forgets every id in O(1). */
  clear(): void {
    this.count = 0;
    this.generation += 1;
    if (this.generation === 0xffffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
  }

  /** Whether the id was pushed since the last clear (queued or popped). */
  has(id: number): boolean {
    return this.stamp[id] === this.generation;
  }

  /** Whether the id is queued (pushed and not yet popped). */
  isQueued(id: number): boolean {
    return this.stamp[id] === this.generation && this.position[id] !== POPPED;
  }

  /** Whether the id was popped since the last clear. */
  isPopped(id: number): boolean {
    return this.stamp[id] === this.generation && this.position[id] === POPPED;
  }

  key(id: number): number {
    return this.keys[2 * id]!;
  }

  key2(id: number): number {
    return this.keys[2 * id + 1]!;
  }

  /** Id with the smallest keys; only when size > 0. */
  peek(): number {
    return this.ids[0]!;
  }

  minKey(): number {
    return this.keys[2 * this.ids[0]!]!;
  }

  minKey2(): number {
    return this.keys[2 * this.ids[0]! + 1]!;
  }

  /** Queues an id not pushed since the last clear. */
  push(id: number, key: number, key2: number): void {
    this.stamp[id] = this.generation;
    this.keys[2 * id] = key;
    this.keys[2 * id + 1] = key2;
    this.siftUp(this.count++, id);
  }

  /**
   * The Dijkstra relaxation: queues the id, or lowers its keys if queued with larger ones. Returns
   * whether anything changed (false for a popped id or keys not better).
   */
  relax(id: number, key: number, key2: number): boolean {
    if (this.stamp[id] !== this.generation) {
      this.push(id, key, key2);
      return true;
    }
    const at = this.position[id]!;
    if (at === POPPED) return false;
    const k = this.keys[2 * id]!;
    if (key < k || (key === k && key2 < this.keys[2 * id + 1]!)) {
      this.keys[2 * id] = key;
      this.keys[2 * id + 1] = key2;
      this.siftUp(at, id);
      return true;
    }
    return false;
  }

  /** Sets new keys of a queued id, larger or smaller. */
  update(id: number, key: number, key2: number): void {
    const at = this.position[id]!;
    const k = this.keys[2 * id]!;
    const larger = key > k || (key === k && key2 > this.keys[2 * id + 1]!);
    this.keys[2 * id] = key;
    this.keys[2 * id + 1] = key2;
    if (larger) this.siftDown(at, id);
    else this.siftUp(at, id);
  }

  /** Removes and returns the id with the smallest keys; only when size > 0. */
  pop(): number {
    const ids = this.ids;
    const top = ids[0]!;
    this.position[top] = POPPED;
    const last = ids[--this.count]!;
    if (this.count > 0) this.siftDown(0, last);
    return top;
  }

  private siftUp(at: number, id: number): void {
    const { ids, position, keys } = this;
    const key = keys[2 * id]!;
    const key2 = keys[2 * id + 1]!;
    while (at > 0) {
      const parentAt = (at - 1) >> 2;
      const parent = ids[parentAt]!;
      const pk = keys[2 * parent]!;
      if (pk < key || (pk === key && keys[2 * parent + 1]! <= key2)) break;
      ids[at] = parent;
      position[parent] = at;
      at = parentAt;
    }
    ids[at] = id;
    position[id] = at;
  }

  private siftDown(at: number, id: number): void {
    const { ids, position, keys } = this;
    const count = this.count;
    const key = keys[2 * id]!;
    const key2 = keys[2 * id + 1]!;
    for (;;) {
      const first = 4 * at + 1;
      if (first >= count) break;
      // Smallest of up to four children.
      let best = first;
      let bestId = ids[first]!;
      let bk = keys[2 * bestId]!;
      let bk2 = keys[2 * bestId + 1]!;
      const end = first + 4 < count ? first + 4 : count;
      for (let c = first + 1; c < end; c++) {
        const cid = ids[c]!;
        const ck = keys[2 * cid]!;
        if (ck < bk || (ck === bk && keys[2 * cid + 1]! < bk2)) {
          best = c;
          bestId = cid;
          bk = ck;
          bk2 = keys[2 * cid + 1]!;
        }
      }
      if (key < bk || (key === bk && key2 <= bk2)) break;
      ids[at] = bestId;
      position[bestId] = at;
      at = best;
    }
    ids[at] = id;
    position[id] = at;
  }
}
