import { open, rename, rm } from 'node:fs/promises';
import type { OsmBbox, OsmNode, OsmRelation, OsmWay } from './osm-types.js';

export interface OsmXmlInput {
  nodes?: Iterable<OsmNode>;
  ways?: Iterable<OsmWay>;
  relations?: Iterable<OsmRelation>;
}

export interface OsmXmlWriteOptions {
  /** `generator` attribute of `<osm>`. */
  generator?: string;
  /** Written as `<bounds>`. */
  bbox?: OsmBbox;
}

/** Data that OSM XML cannot represent: a bad id, a coordinate out of range, a non-XML character. */
export class OsmWriteError extends Error {
  readonly code = 'OSM_UNWRITABLE';
  constructor(message: string) {
    super(message);
    this.name = 'OsmWriteError';
  }
}

const FLUSH_CHARS = 1 << 16;
const DEFAULT_GENERATOR = 'msw-fleet routing';

// XML 1.0 §2.2 Char: what a document may contain at all, even escaped. A lone surrogate is
// matched as a code point here (the `u` flag) and so rejected too.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_SPECIAL = /[&<>"'\t\n\r]/g;
const ATTRIBUTE_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // Character references survive attribute-value normalisation (XML 1.0 §3.3.3); raw ones would
  // be read back as spaces.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * Writes OSM XML 0.6 (UTF-8): nodes, then ways, then relations, each in the given order.
 * Coordinates are written with OSM's 7 decimals. The file appears complete or not at all:
 * it is written beside `path` and renamed into place.
 */
export async function writeOsmXml(
  path: string,
  data: OsmXmlInput,
  options: OsmXmlWriteOptions = {},
): Promise<void> {
  const partial = `${path}.${process.pid}.partial`;
  const file = await open(partial, 'w');
  let ok = false;
  try {
    let buffer = '';
    const emit = async (text: string): Promise<void> => {
      buffer += text;
      if (buffer.length >= FLUSH_CHARS) {
        await file.write(buffer);
        buffer = '';
      }
    };
    for (const chunk of formatOsmXml(data, options)) await emit(chunk);
    await file.write(buffer);
    ok = true;
  } finally {
    await file.close();
    if (!ok) await rm(partial, { force: true });
  }
  await rename(partial, path);
}

/** OSM XML 0.6 as a sequence of text pieces (one per element line). */
export function* formatOsmXml(data: OsmXmlInput, options: OsmXmlWriteOptions = {}): Generator<string> {
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<osm version="0.6" generator="${escapeAttribute(options.generator ?? DEFAULT_GENERATOR, 'generator')}">\n`;
  if (options.bbox) {
    const [minLon, minLat, maxLon, maxLat] = options.bbox;
    yield (
      ` <bounds minlat="${formatCoordinate(minLat, 90, 'bounds')}" minlon="${formatCoordinate(minLon, 180, 'bounds')}"` +
      ` maxlat="${formatCoordinate(maxLat, 90, 'bounds')}" maxlon="${formatCoordinate(maxLon, 180, 'bounds')}"/>\n`
    );
  }
  for (const node of data.nodes ?? []) {
    const what = `node ${node.id}`;
    const head =
      ` <node id="${formatId(node.id, what)}" version="1" lat="${formatCoordinate(node.lat, 90, what)}"` +
      ` lon="${formatCoordinate(node.lon, 180, what)}"`;
    const tags = node.tags ? formatTags(node.tags, what) : '';
    yield tags === '' ? `${head}/>\n` : `${head}>\n${tags} </node>\n`;
  }
  for (const way of data.ways ?? []) {
    const what = `way ${way.id}`;
    let body = '';
    for (const ref of way.refs) body += `  <nd ref="${formatId(ref, what)}"/>\n`;
    body += formatTags(way.tags, what);
    const head = ` <way id="${formatId(way.id, what)}" version="1"`;
    yield body === '' ? `${head}/>\n` : `${head}>\n${body} </way>\n`;
  }
  for (const relation of data.relations ?? []) {
    const what = `relation ${relation.id}`;
    let body = '';
    for (const member of relation.members) {
      if (member.type !== 'node' && member.type !== 'way' && member.type !== 'relation') {
        throw new OsmWriteError(`${what}: member type "${String(member.type)}" is not node, way or relation`);
      }
      body +=
        `  <member type="${member.type}" ref="${formatId(member.ref, what)}"` +
        ` role="${escapeAttribute(member.role, what)}"/>\n`;
    }
    body += formatTags(relation.tags, what);
    const head = ` <relation id="${formatId(relation.id, what)}" version="1"`;
    yield body === '' ? `${head}/>\n` : `${head}>\n${body} </relation>\n`;
  }
  yield '</osm>\n';
}

/** Escapes a string for a double-quoted attribute; throws on characters XML cannot carry. */
function escapeAttribute(value: string, what: string): string {
  if (NOT_XML_CHAR.test(value)) {
    const bad = NOT_XML_CHAR.exec(value)![0];
    const code = bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new OsmWriteError(`${what}: U+${code} cannot be written to XML 1.0 (in ${JSON.stringify(value)})`);
  }
  return value.replace(ATTRIBUTE_SPECIAL, (c) => ATTRIBUTE_ESCAPES[c]!);
}

function formatTags(tags: Record<string, string>, what: string): string {
  let out = '';
  for (const key of Object.keys(tags)) {
    const value = tags[key];
    if (typeof value !== 'string') throw new OsmWriteError(`${what}: tag "${key}" has a non-string value`);
    out += `  <tag k="${escapeAttribute(key, what)}" v="${escapeAttribute(value, what)}"/>\n`;
  }
  return out;
}

function formatId(id: number, what: string): string {
  if (!Number.isSafeInteger(id)) throw new OsmWriteError(`${what}: id or ref ${id} is not a safe integer`);
  return String(id);
}

/** 7 decimals (OSM's 1e-7° resolution), trailing zeros dropped. */
function formatCoordinate(value: number, limit: number, what: string): string {
  if (!(Math.abs(value) <= limit))
    throw new OsmWriteError(`${what}: coordinate ${value} is outside ±${limit}`);
  const fixed = value.toFixed(7);
  let end = fixed.length;
  while (fixed.charCodeAt(end - 1) === 0x30) end--;
  if (fixed.charCodeAt(end - 1) === 0x2e) end--;
  const text = fixed.slice(0, end);
  return text === '-0' ? '0' : text;
}
