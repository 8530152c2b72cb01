export type OsmReadErrorCode =
  /** The content is neither PBF, OSM XML nor gzip-compressed OSM XML. */
  | 'OSM_UNKNOWN_FORMAT'
  /** The file ends inside a blob, a gzip stream or an open XML element. */
  | 'OSM_TRUNCATED'
  /** Bytes that cannot be decoded: bad lengths, bad zlib data, malformed XML. */
  | 'OSM_CORRUPT'
  /** Well-formed, but uses a compression or a required feature this reader does not implement. */
  | 'OSM_UNSUPPORTED'
  /** Well-formed, but an entity lacks what OSM requires (an id, a coordinate, a member type). */
  | 'OSM_INVALID';

/** Every failure to read an OSM file; the message names the file and where in it. */
export class OsmReadError extends Error {
  readonly code: OsmReadErrorCode;
  readonly file: string;
  /** Byte offset in the file (PBF: start of the blob) when known. */
  readonly offset: number | undefined;

  constructor(code: OsmReadErrorCode, file: string, message: string, offset?: number, cause?: unknown) {
    super(`${file}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'OsmReadError';
    this.code = code;
    this.file = file;
    this.offset = offset;
  }
}
