import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOsmPbf } from './osm-pbf-writer.js';
import { OsmReadError, readOsm, readOsmData } from './osm-reader.js';
import type { OsmData } from './osm-types.js';
import { writeOsmXml } from './osm-xml-writer.js';
import { makeTempDir, OSM_DATA_DIR, sampleOsmData } from './test-fixtures.js';

let dir = '';
let removeDir: () => Promise<void> = async () => undefined;
beforeAll(async () => {
  ({ dir, remove: removeDir } = await makeTempDir());
});
afterAll(() => removeDir());

async function rejectionOf(promise: Promise<unknown>): Promise<OsmReadError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof OsmReadError)) throw new Error(`expected an OsmReadError, got ${String(err)}`);
  return err;
}

async function readXmlText(name: string, text: string): Promise<Awaited<ReturnType<typeof readOsmData>>> {
  const path = join(dir, name);
  await writeFile(path, text);
  return readOsmData(path);
}

/** Entity lists compared element by element: a failure shows one entity, not 180 000. */
function expectSameEntities(actual: OsmData, expected: OsmData): void {
  for (const kind of ['nodes', 'ways', 'relations'] as const) {
    const a: unknown[] = actual[kind];
    const b: unknown[] = expected[kind];
    expect(a.length, kind).toBe(b.length);
    for (let i = 0; i < a.length; i++) {
      if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) expect(a[i], `${kind}[${i}]`).toEqual(b[i]);
    }
  }
}

describe('OSM XML reader', () => {
  it('reads plain and gzip-compressed XML alike', async () => {
    const sample = sampleOsmData();
    const plain = join(dir, 'sample.osm');
    await writeOsmXml(plain, sample, { bbox: [37.5, 55.7, 37.7, 55.9] });
    const gz = join(dir, 'sample.osm.gz');
    await writeFile(gz, gzipSync(await readFile(plain)));
    const fromPlain = await readOsmData(plain);
    const fromGz = await readOsmData(gz);
    expect(fromPlain.summary).toEqual({
      format: 'xml',
      nodes: 5,
      ways: 3,
      relations: 3,
      bbox: [37.5, 55.7, 37.7, 55.9],
    });
    expectSameEntities(fromPlain, sample);
    expectSameEntities(fromGz, sample);
  });

  it('andorra.osm.pbf and its XML re-encoding give identical entities', async () => {
    const fromPbf = await readOsmData(`${OSM_DATA_DIR}/andorra.osm.pbf`);
    const path = join(dir, 'andorra.osm');
    await writeOsmXml(path, fromPbf);
    const fromXml = await readOsmData(path);
    expect(fromXml.summary).toMatchObject({ format: 'xml', nodes: 69_644, ways: 2725, relations: 74 });
    expectSameEntities(fromXml, fromPbf);
  });

  it('moscow-ostankino.osm.gz and its PBF re-encoding give identical entities', async () => {
    const fromXml = await readOsmData(`${OSM_DATA_DIR}/moscow-ostankino.osm.gz`);
    expect(fromXml.summary).toMatchObject({ format: 'xml', nodes: 8402, ways: 1652, relations: 272 });
    const path = join(dir, 'moscow.osm.pbf');
    await writeOsmPbf(path, fromXml);
    const fromPbf = await readOsmData(path);
    expect(fromPbf.summary).toMatchObject({ format: 'pbf', nodes: 8402, ways: 1652, relations: 272 });
    expectSameEntities(fromPbf, fromXml);
  });

  it('decodes entities and character references, and ignores unknown elements', async () => {
    const read = await readXmlText(
      'entities.osm',
      `\ufeff<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="JOSM">
  <note>ignored</note>
  <meta osm_base="2024-01-01T00:00:00Z"/>
  <node id="7" lat="55.75" lon="37.62" visible="true" version="3">
    <tag k="name" v="&#1052;&#1086;&#1089;&#1082;&#1074;&#1072; &amp; &lt;co&gt;"/>
    <tag k='single' v='quoted "value"'/>
  </node>
  <way id="8"><nd ref="7"/><nd ref="7"/></way>
  <relation id="9"><member type="way" ref="8"/></relation>
</osm>`,
    );
    expect(read.nodes).toEqual([
      { id: 7, lat: 55.75, lon: 37.62, tags: { name: 'Москва & <co>', single: 'quoted "value"' } },
    ]);
    expect(read.ways).toEqual([{ id: 8, refs: [7, 7], tags: {} }]);
    expect(read.relations).toEqual([{ id: 9, members: [{ type: 'way', ref: 8, role: '' }], tags: {} }]);
  });

  it('rejects truncated XML', async () => {
    const text = await readFile(join(dir, 'sample.osm'), 'utf8');
    const err = await rejectionOf(readXmlText('cut.osm', text.slice(0, Math.floor(text.length / 2))));
    expect(err.code).toBe('OSM_TRUNCATED');
    expect(err.message).toMatch(/cut\.osm: truncated OSM XML \(.*\) at line \d+/);
  });

  it('rejects a truncated gzip stream', async () => {
    const gz = await readFile(`${OSM_DATA_DIR}/moscow-ostankino.osm.gz`);
    const path = join(dir, 'moscow-cut.osm.gz');
    await writeFile(path, gz.subarray(0, Math.floor(gz.length / 2)));
    const err = await rejectionOf(readOsm(path, { node: () => undefined }));
    expect(err.code).toBe('OSM_TRUNCATED');
    expect(err.message).toContain('moscow-cut.osm.gz: truncated gzip stream');
  });

  it('rejects a corrupt gzip stream', async () => {
    const gz = Buffer.from(await readFile(`${OSM_DATA_DIR}/moscow-ostankino.osm.gz`));
    gz.fill(0xff, 5000, 5064);
    const path = join(dir, 'moscow-corrupt.osm.gz');
    await writeFile(path, gz);
    const err = await rejectionOf(readOsm(path, {}));
    expect(['OSM_CORRUPT', 'OSM_TRUNCATED']).toContain(err.code);
    expect(err.message).toContain('moscow-corrupt.osm.gz: ');
  });

  it('rejects malformed XML with its line', async () => {
    const err = await rejectionOf(
      readXmlText('malformed.osm', '<osm version="0.6">\n<node id="1" lat="1" lon="2">\n</way>\n</osm>'),
    );
    expect(err.code).toBe('OSM_CORRUPT');
    expect(err.message).toMatch(
      /malformed\.osm: malformed OSM XML at line 3, column \d+: Unexpected close tag/,
    );
  });

  it('rejects entities without what OSM requires', async () => {
    const cases: [string, string][] = [
      ['<node id="1" lon="2"/>', 'node 1: lat is missing'],
      ['<node id="x1" lat="1" lon="2"/>', 'node id "x1" is not an integer'],
      ['<node id="1" lat="91" lon="2"/>', 'lat "91" is out of range'],
      ['<way id="2"><nd/></way>', 'way 2: nd ref is missing'],
      ['<relation id="3"><member type="area" ref="1" role=""/></relation>', 'member type "area"'],
      ['<way id="4"><tag k="highway"/></way>', '<tag> without k or v'],
    ];
    for (const [body, message] of cases) {
      const err = await rejectionOf(readXmlText('invalid.osm', `<osm version="0.6">\n${body}\n</osm>`));
      expect(err.code).toBe('OSM_INVALID');
      expect(err.message).toContain(message);
      expect(err.message).toContain('line 2');
    }
  });

  it('rejects documents that are not OSM data files', async () => {
    const err = await rejectionOf(
      readXmlText('change.osc', '<osmChange version="0.6"><create/></osmChange>'),
    );
    expect(err.code).toBe('OSM_UNSUPPORTED');
    expect(err.message).toContain('<osmChange>');
  });

  it('lets an exception from a handler through unchanged', async () => {
    const stop = new Error('stop here');
    await expect(
      readOsm(`${OSM_DATA_DIR}/moscow-ostankino.osm.gz`, {
        relation: () => {
          throw stop;
        },
      }),
    ).rejects.toBe(stop);
  });
});
