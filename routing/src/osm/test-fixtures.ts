import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OsmData } from './osm-types.js';

/** Reference extracts (read-only; see the README there for counts and licence). */
export const OSM_DATA_DIR = '/work/shared/data/osm';

/**
 * A small dataset that exercises the awkward corners: negative and 11-digit ids, XML
 * metacharacters, whitespace and Cyrillic in tags, an empty key, a `__proto__` key, an astral
 * character, an empty way and relations with relation members and with none.
 */
export function sampleOsmData(): OsmData {
  const protoTags: Record<string, string> = { constructor: 'y', emoji: '🚛 мусоровоз' };
  Object.defineProperty(protoTags, '__proto__', {
    value: 'x',
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return {
    nodes: [
      { id: 1, lat: 55.7512345, lon: 37.6171234 },
      {
        id: 2,
        lat: -33.8688197,
        lon: 151.2092955,
        tags: { name: 'Sydney "Opera" <House> & co', 'name:ru': 'Сидней', quote: "it's" },
      },
      { id: 3, lat: 0, lon: 0 },
      { id: -5, lat: 89.9999999, lon: -179.9999999, tags: { '': '', note: 'tab\there\nline\r\nend ' } },
      { id: 12_345_678_901, lat: 43.7384, lon: 7.4246, tags: protoTags },
    ],
    ways: [
      { id: 10, refs: [1, 2, 3, 1], tags: { highway: 'residential', name: 'улица Ленина', oneway: 'yes' } },
      { id: 11, refs: [], tags: {} },
      { id: -12, refs: [12_345_678_901, -5], tags: { highway: 'service' } },
    ],
    relations: [
      {
        id: 100,
        members: [
          { type: 'way', ref: 10, role: 'from' },
          { type: 'node', ref: 2, role: 'via' },
          { type: 'way', ref: -12, role: 'to' },
        ],
        tags: { type: 'restriction', restriction: 'no_left_turn' },
      },
      { id: 101, members: [{ type: 'relation', ref: 100, role: '' }], tags: { type: 'collection' } },
      { id: 102, members: [], tags: {} },
    ],
  };
}

/** A fresh temporary directory and its removal. */
export async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'osm-test-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
