import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import sax, { type Tag } from 'sax';
import { OsmReadError } from './osm-read-error.js';
import {
  setTag,
  type OsmBbox,
  type OsmHandlers,
  type OsmMember,
  type OsmMemberType,
  type OsmReadSummary,
} from './osm-types.js';

const READ_CHUNK_BYTES = 1 << 20;

// What the current element's children belong to.
const OUTSIDE = 0;
const NODE = 1;
const WAY = 2;
const RELATION = 3;
/** Inside an entity whose kind has no handler: children are not looked at. */
const SKIPPED = 4;

const MEMBER_TYPES: ReadonlySet<string> = new Set<OsmMemberType>(['node', 'way', 'relation']);

/**
 * Streams an OSM XML file (already opened; the caller closes it), gunzipping when `gzip`.
 * `name` is used in error messages.
 */
export async function readOsmXml(
  file: FileHandle,
  name: string,
  gzip: boolean,
  handlers: OsmHandlers,
): Promise<OsmReadSummary> {
  const { node: onNode, way: onWay, relation: onRelation } = handlers;
  const parser = sax.parser(true, { position: true });
  let nodes = 0;
  let ways = 0;
  let relations = 0;
  let bbox: OsmBbox | undefined;
  let depth = 0;
  let inside = OUTSIDE;
  let id = 0;
  let lat = 0;
  let lon = 0;
  let tags: Record<string, string> | undefined;
  let refs: number[] = [];
  let members: OsmMember[] = [];
  let closing = false;

  const invalid = (message: string): OsmReadError =>
    new OsmReadError('OSM_INVALID', name, `invalid OSM XML at line ${parser.line + 1}: ${message}`);

  const readId = (value: string | undefined, what: string): number => {
    const n = Number(value);
    if (value === undefined || value === '' || !Number.isSafeInteger(n)) {
      throw invalid(`${what} ${value === undefined ? 'is missing' : `"${value}" is not an integer`}`);
    }
    return n;
  };

  const readCoordinate = (value: string | undefined, what: string, limit: number): number => {
    const n = Number(value);
    if (value === undefined || value === '' || !(Math.abs(n) <= limit)) {
      throw invalid(
        `node ${id}: ${what} ${value === undefined ? 'is missing' : `"${value}" is out of range`}`,
      );
    }
    return n;
  };

  parser.onopentag = (qualified) => {
    // Without the xmlns option sax gives plain string attributes.
    const tag = qualified as Tag;
    const a: Record<string, string | undefined> = tag.attributes;
    if (depth === 0 && tag.name !== 'osm') {
      throw new OsmReadError(
        'OSM_UNSUPPORTED',
        name,
        `root element <${tag.name}> is not <osm>; only OSM XML data files are read (not osmChange or other documents)`,
      );
    }
    depth += 1;
    switch (tag.name) {
      case 'node':
        nodes += 1;
        if (!onNode) {
          inside = SKIPPED;
          break;
        }
        inside = NODE;
        id = readId(a.id, 'node id');
        lat = readCoordinate(a.lat, 'lat', 90);
        lon = readCoordinate(a.lon, 'lon', 180);
        tags = undefined;
        break;
      case 'way':
        ways += 1;
        if (!onWay) {
          inside = SKIPPED;
          break;
        }
        inside = WAY;
        id = readId(a.id, 'way id');
        refs = [];
        tags = {};
        break;
      case 'relation':
        relations += 1;
        if (!onRelation) {
          inside = SKIPPED;
          break;
        }
        inside = RELATION;
        id = readId(a.id, 'relation id');
        members = [];
        tags = {};
        break;
      case 'tag': {
        if (inside === OUTSIDE || inside === SKIPPED) break;
        const k = a.k;
        const v = a.v;
        if (k === undefined || v === undefined) throw invalid(`<tag> without k or v in entity ${id}`);
        tags ??= {};
        setTag(tags, k, v);
        break;
      }
      case 'nd':
        if (inside === WAY) refs.push(readId(a.ref, `way ${id}: nd ref`));
        break;
      case 'member': {
        if (inside !== RELATION) break;
        const type = a.type;
        if (type === undefined || !MEMBER_TYPES.has(type)) {
          throw invalid(`relation ${id}: member type "${type ?? ''}" is not node, way or relation`);
        }
        members.push({
          type: type as OsmMemberType,
          ref: readId(a.ref, `relation ${id}: member ref`),
          role: a.role ?? '',
        });
        break;
      }
      case 'bounds':
        if (depth === 2) {
          bbox = [
            readCoordinate(a.minlon, 'bounds minlon', 180),
            readCoordinate(a.minlat, 'bounds minlat', 90),
            readCoordinate(a.maxlon, 'bounds maxlon', 180),
            readCoordinate(a.maxlat, 'bounds maxlat', 90),
          ];
        }
        break;
    }
  };

  parser.onclosetag = (tagName) => {
    depth -= 1;
    if (inside === OUTSIDE) return;
    if (tagName === 'node') {
      if (inside === NODE) onNode!(tags ? { id, lat, lon, tags } : { id, lat, lon });
      inside = OUTSIDE;
    } else if (tagName === 'way') {
      if (inside === WAY) onWay!({ id, refs, tags: tags! });
      inside = OUTSIDE;
    } else if (tagName === 'relation') {
      if (inside === RELATION) onRelation!({ id, members, tags: tags! });
      inside = OUTSIDE;
    }
  };

  parser.onerror = (err) => {
    const reason = err.message.split('\n')[0] ?? err.message;
    const where = `line ${parser.line + 1}, column ${parser.column + 1}`;
    if (closing) {
      throw new OsmReadError(
        'OSM_TRUNCATED',
        name,
        `truncated OSM XML (${reason}) at ${where}`,
        undefined,
        err,
      );
    }
    throw new OsmReadError('OSM_CORRUPT', name, `malformed OSM XML at ${where}: ${reason}`, undefined, err);
  };

  const input = file.createReadStream({ start: 0, highWaterMark: READ_CHUNK_BYTES, autoClose: false });
  let source: Readable = input;
  if (gzip) {
    const gunzip = createGunzip({ chunkSize: READ_CHUNK_BYTES });
    input.on('error', (err) => gunzip.destroy(err));
    source = input.pipe(gunzip);
  }
  // Decodes UTF-8 sequences split across chunks.
  source.setEncoding('utf8');
  try {
    for await (const chunk of source) parser.write(chunk as string);
    closing = true;
    parser.close();
  } catch (err) {
    throw toReadError(err, name);
  } finally {
    source.destroy();
    input.destroy();
  }
  const summary: OsmReadSummary = { format: 'xml', nodes, ways, relations };
  if (bbox) summary.bbox = bbox;
  return summary;
}

/** zlib failures become OsmReadErrors; everything else (handler errors included) passes through. */
function toReadError(err: unknown, name: string): unknown {
  if (!(err instanceof Error) || err instanceof OsmReadError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR') {
    return new OsmReadError('OSM_TRUNCATED', name, `truncated gzip stream (${err.message})`, undefined, err);
  }
  if (code?.startsWith('Z_')) {
    return new OsmReadError('OSM_CORRUPT', name, `corrupt gzip stream (${err.message})`, undefined, err);
  }
  return err;
}
