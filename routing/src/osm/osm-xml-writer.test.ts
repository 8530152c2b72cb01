import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOsmPbf } from './osm-pbf-writer.js';
import { readOsmData } from './osm-reader.js';
import type { OsmData } from './osm-types.js';
import { formatOsmXml, OsmWriteError, writeOsmXml } from './osm-xml-writer.js';
import { makeTempDir } from './test-fixtures.js';

let dir = '';
let removeDir: () => Promise<void> = async () => undefined;
beforeAll(async () => {
  ({ dir, remove: removeDir } = await makeTempDir());
});
afterAll(() => removeDir());

const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

// Strings weighted towards what breaks writers: XML metacharacters, whitespace that attribute
// normalisation would eat, Cyrillic, astral characters, and anything else Unicode allows.
const tagText = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom('<', '>', '&', '"', "'", '\t', '\n', '\r', ' ', ';', '#', '=', '&amp;', ']]>'),
      fc.constantFrom('а', 'я', 'ё', 'Ё', 'щ', 'Ъ', 'у', 'л', 'и', 'ц', 'а', ' '),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 24,
  })
  .map((s) => s.replace(NOT_XML_CHAR, '?'));
const tags = fc.dictionary(tagText, tagText, { maxKeys: 6 });
const coordinate = (limit: number): fc.Arbitrary<number> =>
  fc.integer({ min: -limit * 1e7, max: limit * 1e7 }).map((units) => units / 1e7);

const dataset: fc.Arbitrary<OsmData> = fc.record({
  nodes: fc.uniqueArray(
    fc.record({ id: fc.integer({ min: -1e12, max: 1e12 }), lat: coordinate(90), lon: coordinate(180), tags }),
    { selector: (node) => node.id, maxLength: 6 },
  ),
  ways: fc.array(
    fc.record({
      id: fc.integer({ min: 1, max: 1e12 }),
      refs: fc.array(fc.integer({ min: 1, max: 1e12 })),
      tags,
    }),
    { maxLength: 4 },
  ),
  relations: fc.array(
    fc.record({
      id: fc.integer({ min: 1, max: 1e12 }),
      members: fc.array(
        fc.record({
          type: fc.constantFrom('node' as const, 'way' as const, 'relation' as const),
          ref: fc.integer({ min: -1e12, max: 1e12 }),
          role: tagText,
        }),
        { maxLength: 4 },
      ),
      tags,
    }),
    { maxLength: 3 },
  ),
});

/** What a reader returns for `data`: nodes carry `tags` only when they have some. */
function asRead(data: OsmData): OsmData {
  return {
    ...data,
    nodes: data.nodes.map(({ tags: nodeTags, ...node }) =>
      nodeTags && Object.keys(nodeTags).length > 0 ? { ...node, tags: nodeTags } : node,
    ),
  };
}

describe('writeOsmXml', () => {
  it('round-trips arbitrary tag strings, roles and ids exactly through XML and PBF (property)', async () => {
    const xmlPath = join(dir, 'prop.osm');
    const pbfPath = join(dir, 'prop.osm.pbf');
    await fc.assert(
      fc.asyncProperty(dataset, async (data) => {
        const expected = asRead(data);
        await writeOsmXml(xmlPath, data);
        const xml = await readOsmData(xmlPath);
        expect({ nodes: xml.nodes, ways: xml.ways, relations: xml.relations }).toEqual(expected);
        await writeOsmPbf(pbfPath, data);
        const pbf = await readOsmData(pbfPath);
        expect({ nodes: pbf.nodes, ways: pbf.ways, relations: pbf.relations }).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('escapes attributes and writes UTF-8', async () => {
    const path = join(dir, 'escaped.osm');
    await writeOsmXml(path, {
      nodes: [{ id: 1, lat: 55.8, lon: 37.6, tags: { name: `улица "Ленина" <1> & 'Ко'\n\t` } }],
    });
    const text = await readFile(path, 'utf8');
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6"')).toBe(true);
    expect(text).toContain('v="улица &quot;Ленина&quot; &lt;1&gt; &amp; &apos;Ко&apos;&#10;&#9;"');
    expect(text).toContain('<node id="1" version="1" lat="55.8" lon="37.6">');
    expect(text.trimEnd().endsWith('</osm>')).toBe(true);
  });

  it('writes coordinates with at most 7 decimals and no exponent', () => {
    const text = [
      ...formatOsmXml({
        nodes: [
          { id: 1, lat: 1e-7, lon: -0 },
          { id: 2, lat: -89.99999994, lon: 179.12345678 },
        ],
      }),
    ].join('');
    expect(text).toContain('<node id="1" version="1" lat="0.0000001" lon="0"/>');
    expect(text).toContain('<node id="2" version="1" lat="-89.9999999" lon="179.1234568"/>');
  });

  it('rejects what XML or OSM cannot hold, and leaves no file behind', async () => {
    const bad: [OsmData['nodes'], string][] = [
      [[{ id: 1, lat: 0, lon: 0, tags: { k: 'bell\u0007' } }], 'U+0007 cannot be written to XML 1.0'],
      [[{ id: 1, lat: 0, lon: 0, tags: { k: 'half \ud800 pair' } }], 'U+D800 cannot be written'],
      [[{ id: 1.5, lat: 0, lon: 0 }], 'id or ref 1.5 is not a safe integer'],
      [[{ id: 1, lat: 91, lon: 0 }], 'coordinate 91 is outside ±90'],
      [[{ id: 1, lat: 0, lon: Number.NaN }], 'coordinate NaN is outside ±180'],
    ];
    for (const [nodes, message] of bad) {
      const path = join(dir, 'bad.osm');
      const err = await writeOsmXml(path, { nodes }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(OsmWriteError);
      expect((err as OsmWriteError).code).toBe('OSM_UNWRITABLE');
      expect((err as Error).message).toContain(message);
      expect((await readdir(dir)).filter((name) => name.startsWith('bad.osm'))).toEqual([]);
    }
  });
});
