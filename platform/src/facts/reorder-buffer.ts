/**
 * Puts a stream back into time order within a bounded window of event time. Trackers resend
 * (store-and-forward, lost PUBACKs) and several messages are in flight at once, so records arrive
 * duplicated and slightly out of order; an item is released once the newest time seen is
 * `windowMs` past it. Items older than what was already released are dropped and counted as
 * late; exact repeats (compare = 0) are dropped and counted as duplicates.
 *
 * Mostly-ordered input is the common case: an item is inserted by scanning back from the tail,
 * so in-order items cost O(1) and an item displaced by k positions costs O(k).
 */
export class ReorderBuffer<T extends { timeMs: number }> {
  lateCount = 0;
  duplicateCount = 0;
  private items: T[] = [];
  private head = 0;
  private newestMs = -Infinity;
  private lastReleased: T | undefined;

  constructor(
    private readonly windowMs: number,
    /** Order of items with the same time; 0 means "the same record". */
    private readonly tieBreak: (a: T, b: T) => number,
    private readonly release: (item: T) => void,
  ) {
    if (!(windowMs >= 0)) throw new Error('reorder buffer: windowMs must be >= 0');
  }

  /** Time up to which everything has been released. */
  get watermarkMs(): number {
    return this.newestMs - this.windowMs;
  }

  get pending(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.lastReleased !== undefined) {
      const order = this.compare(item, this.lastReleased);
      if (order === 0) {
        this.duplicateCount++;
        return;
      }
      if (order < 0) {
        this.lateCount++;
        return;
      }
    }
    const { items } = this;
    let j = items.length - 1;
    while (j >= this.head) {
      const order = this.compare(items[j] as T, item);
      if (order === 0) {
        this.duplicateCount++;
        return;
      }
      if (order < 0) break;
      j--;
    }
    if (j === items.length - 1) items.push(item);
    else items.splice(j + 1, 0, item);
    if (item.timeMs > this.newestMs) {
      this.newestMs = item.timeMs;
      this.releaseUpTo(this.newestMs - this.windowMs);
    }
  }

  /** Releases everything held (end of the stream, or the caller knows no more is coming). */
  flush(): void {
    this.releaseUpTo(Infinity);
  }

  private releaseUpTo(limitMs: number): void {
    const { items } = this;
    while (this.head < items.length && (items[this.head] as T).timeMs <= limitMs) {
      const item = items[this.head++] as T;
      this.lastReleased = item;
      this.release(item);
    }
    if (this.head === items.length) {
      items.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
  }

  private compare(a: T, b: T): number {
    return a.timeMs - b.timeMs || this.tieBreak(a, b);
  }
}
