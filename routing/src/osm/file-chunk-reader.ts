import type { FileHandle } from 'node:fs/promises';

const DEFAULT_CHUNK_BYTES = 1 << 20;

/**
 * Sequential reads of exact byte counts from a file, served from one reused buffer that is
 * refilled a chunk at a time. A returned view is only valid until the next `read`.
 */
export class FileChunkReader {
  /** File offset of the next byte `read` returns. */
  offset = 0;
  readonly size: number;
  private readonly file: FileHandle;
  private buf: Buffer;
  private start = 0;
  private end = 0;
  /** File offset of `buf[end]`. */
  private filePos = 0;

  constructor(file: FileHandle, size: number, chunkBytes = DEFAULT_CHUNK_BYTES) {
    this.file = file;
    this.size = size;
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  get remaining(): number {
    return this.size - this.offset;
  }

  /** Exactly `n` bytes, or `null` when the file holds fewer than `n` more. */
  async read(n: number): Promise<Buffer | null> {
    if (n > this.remaining) return null;
    if (this.end - this.start < n && !(await this.fill(n))) return null;
    const view = this.buf.subarray(this.start, this.start + n);
    this.start += n;
    this.offset += n;
    return view;
  }

  private async fill(n: number): Promise<boolean> {
    const kept = this.end - this.start;
    if (n > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
      this.buf.copy(grown, 0, this.start, this.end);
      this.buf = grown;
    } else if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
    }
    this.start = 0;
    this.end = kept;
    while (this.end < n) {
      const { bytesRead } = await this.file.read(
        this.buf,
        this.end,
        this.buf.length - this.end,
        this.filePos,
      );
      // The file shrank after it was opened.
      if (bytesRead === 0) return false;
      this.end += bytesRead;
      this.filePos += bytesRead;
    }
    return true;
  }
}
