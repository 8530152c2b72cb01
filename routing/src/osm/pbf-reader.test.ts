import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { PbfReader, PbfWriter } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeFrame,
  encodeBlob,
  encodeOsmPbf,
  writeOsmPbf,
  type OsmPbfWriteOptions,
} from './osm-pbf-writer.js';
import { OsmReadError, readOsm, readOsmData } from './osm-reader.js';
import { writeOsmXml } from './osm-xml-writer.js';
import { makeTempDir, OSM_DATA_DIR, sampleOsmData } from './test-fixtures.js';

let dir = '';
let removeDir: () => Promise<void> = async () => undefined;
beforeAll(async () => {
  ({ dir, remove: removeDir } = await makeTempDir());
});
afterAll(() => removeDir());

async function readBytes(name: string, bytes: Uint8Array): Promise<Awaited<ReturnType<typeof readOsmData>>> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return readOsmData(path);
}

async function rejectionOf(promise: Promise<unknown>): Promise<OsmReadError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof OsmReadError)) throw new Error(`expected an OsmReadError, got ${String(err)}`);
  return err;
}

/** Byte offsets where blobs start, and the end of the file. */
function blobBoundaries(bytes: Buffer): Set<number> {
  const boundaries = new Set<number>([0]);
  let offset = 0;
  while (offset < bytes.length) {
    const headerLength = bytes.readUInt32BE(offset);
    const header = new PbfReader(bytes.subarray(offset + 4, offset + 4 + headerLength));
    let dataSize = 0;
    header.readFields((tag, _: null, pbf) => {
      if (tag === 3) dataSize = pbf.readVarint();
    }, null);
    offset += 4 + headerLength + dataSize;
    boundaries.add(offset);
  }
  return boundaries;
}

describe('PBF reader on synthetic files', () => {
  const variants: Record<string, OsmPbfWriteOptions> = {
    'zlib, DenseNodes': {},
    'raw blobs': { compression: 'none' },
    'plain Node messages': { denseNodes: false },
    'one entity per block': { entitiesPerBlock: 1 },
    'lat/lon offsets': { latOffset: -12_300_000_000, lonOffset: 37_000_000_000 },
    'granularity 1000 with coarse coordinates': { granularity: 1000 },
  };
  for (const [name, options] of Object.entries(variants)) {
    it(`${name}: reads back exactly what was written`, async () => {
      const sample = sampleOsmData();
      if (options.granularity === 1000) {
        for (const node of sample.nodes) {
          node.lat = Math.round(node.lat * 1e6) / 1e6;
          node.lon = Math.round(node.lon * 1e6) / 1e6;
        }
      }
      const read = await readBytes(
        'variant.osm.pbf',
        encodeOsmPbf(sample, { ...options, bbox: [1, 2, 3, 4] }),
      );
      expect(read.summary).toEqual({ format: 'pbf', nodes: 5, ways: 3, relations: 3, bbox: [1, 2, 3, 4] });
      expect(read.nodes).toEqual(sample.nodes);
      expect(read.ways).toEqual(sample.ways);
      expect(read.relations).toEqual(sample.relations);
      expect(read.nodes[0]).not.toHaveProperty('tags');
      expect(Object.getPrototypeOf(read.nodes[4]!.tags)).toBe(Object.prototype);
      expect(Object.keys(read.nodes[4]!.tags!)).toContain('__proto__');
    });
  }

  it('gives the same entities as the XML of the same data', async () => {
    const sample = sampleOsmData();
    await writeOsmPbf(join(dir, 'same.osm.pbf'), sample);
    await writeOsmXml(join(dir, 'same.osm'), sample);
    const pbf = await readOsmData(join(dir, 'same.osm.pbf'));
    const xml = await readOsmData(join(dir, 'same.osm'));
    expect(xml.summary.format).toBe('xml');
    expect(pbf.summary.format).toBe('pbf');
    expect({ ...xml, summary: undefined }).toEqual({ ...pbf, summary: undefined });
  });

  it('tells the format from the content, not the name', async () => {
    const sample = sampleOsmData();
    await writeOsmPbf(join(dir, 'actually-pbf.osm'), sample);
    await writeOsmXml(join(dir, 'actually-xml.pbf'), sample);
    expect((await readOsm(join(dir, 'actually-pbf.osm'), {})).format).toBe('pbf');
    expect((await readOsm(join(dir, 'actually-xml.pbf'), {})).format).toBe('xml');
  });

  it('skips DenseNodes entirely without a node handler, and still counts them', async () => {
    // keys_vals points at string 7 of a one-entry table: decoding would fail.
    const block = new PbfWriter();
    block.writeMessage(1, (_: null, table: PbfWriter) => table.writeStringField(1, ''), null);
    block.writeMessage(
      2,
      (_: null, group: PbfWriter) =>
        group.writeMessage(
          2,
          (__: null, dense: PbfWriter) => {
            dense.writePackedSVarint(1, [1, 1, 1]);
            dense.writePackedSVarint(8, [0, 0, 0]);
            dense.writePackedSVarint(9, [0, 0, 0]);
            dense.writePackedVarint(10, [7, 8, 0, 0, 0]);
          },
          null,
        ),
      null,
    );
    const bytes = Buffer.concat([
      encodeOsmPbf({}),
      encodeFrame('OSMData', encodeBlob(block.finish(), 'zlib')),
    ]);
    const path = join(dir, 'bad-dense.osm.pbf');
    await writeFile(path, bytes);
    expect(await readOsm(path, { way: () => undefined })).toMatchObject({ nodes: 3 });
    const err = await rejectionOf(readOsm(path, { node: () => undefined }));
    expect(err.code).toBe('OSM_CORRUPT');
    expect(err.message).toContain('string index 7');
    expect(err.message).toContain('blob #1');
  });

  it('lets an exception from a handler through unchanged', async () => {
    const path = join(dir, 'handler.osm.pbf');
    await writeOsmPbf(path, sampleOsmData());
    const stop = new Error('stop here');
    await expect(
      readOsm(path, {
        way: () => {
          throw stop;
        },
      }),
    ).rejects.toBe(stop);
  });

  it('skips blobs of unknown type', async () => {
    const data = encodeOsmPbf(sampleOsmData());
    const extra = encodeFrame('OSMIndex', encodeBlob(Buffer.from('whatever'), 'none'));
    const read = await readBytes('unknown-blob.osm.pbf', Buffer.concat([data, extra]));
    expect(read.summary).toMatchObject({ nodes: 5, ways: 3, relations: 3 });
  });
});

describe('PBF reader rejections', () => {
  for (const [field, compression] of [
    [4, 'lzma'],
    [7, 'zstd'],
    [6, 'lz4'],
  ] as const) {
    it(`rejects ${compression}-compressed blobs naming the compression`, async () => {
      const blob = new PbfWriter();
      blob.writeVarintField(2, 100);
      blob.writeBytesField(field, Buffer.from('not really compressed'));
      const path = join(dir, `${compression}.osm.pbf`);
      await writeFile(path, Buffer.concat([encodeOsmPbf({}), encodeFrame('OSMData', blob.finish())]));
      const err = await rejectionOf(readOsm(path, {}));
      expect(err.code).toBe('OSM_UNSUPPORTED');
      expect(err.message).toContain(path);
      expect(err.message).toContain(`${compression}-compressed`);
      expect(err.message).toContain('blob #1');
    });
  }

  for (const feature of ['HistoricalInformation', 'LocationsOnWays']) {
    it(`rejects the required feature ${feature} by name`, async () => {
      const path = join(dir, `${feature}.osm.pbf`);
      await writeOsmPbf(path, sampleOsmData(), {
        requiredFeatures: ['OsmSchema-V0.6', 'DenseNodes', feature],
      });
      const err = await rejectionOf(readOsm(path, {}));
      expect(err.code).toBe('OSM_UNSUPPORTED');
      expect(err.message).toContain(`"${feature}"`);
      expect(err.message).toContain('blob #0 at byte 0 (OSMHeader)');
    });
  }

  it('rejects a truncated extract with the file, the blob and the offsets', async () => {
    const monaco = await readFile(`${OSM_DATA_DIR}/monaco.osm.pbf`);
    for (const cut of [10, 200, Math.floor(monaco.length / 2), monaco.length - 1]) {
      const path = join(dir, `monaco-cut-${cut}.osm.pbf`);
      await writeFile(path, monaco.subarray(0, cut));
      const err = await rejectionOf(readOsm(path, { node: () => undefined }));
      expect(err.code).toBe('OSM_TRUNCATED');
      expect(err.message).toMatch(
        /^.*monaco-cut-\d+\.osm\.pbf: truncated PBF: blob #\d+ at byte \d+ needs \d+ bytes/,
      );
      expect(err.message).toContain(`the file ends at byte ${cut}`);
    }
  });

  it('rejects corrupt zlib data naming the blob', async () => {
    const monaco = Buffer.from(await readFile(`${OSM_DATA_DIR}/monaco.osm.pbf`));
    const middle = Math.floor(monaco.length / 2);
    monaco.fill(0x55, middle, middle + 32);
    const path = join(dir, 'monaco-corrupt.osm.pbf');
    await writeFile(path, monaco);
    const err = await rejectionOf(readOsm(path, {}));
    expect(err.code).toBe('OSM_CORRUPT');
    expect(err.message).toMatch(/corrupt PBF: blob #\d+ at byte \d+ \((OSMData|BlobHeader)\)/);
  });

  it('rejects a length prefix that cannot be a BlobHeader', async () => {
    const data = encodeOsmPbf(sampleOsmData());
    const garbage = Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
    const path = join(dir, 'bad-prefix.osm.pbf');
    await writeFile(path, Buffer.concat([data, garbage]));
    const err = await rejectionOf(readOsm(path, {}));
    expect(err.code).toBe('OSM_CORRUPT');
    expect(err.message).toContain(`at byte ${data.length} announces a BlobHeader of 2147483647 bytes`);
  });

  it('rejects files that are not OSM, naming why', async () => {
    const cases: [string, Uint8Array, string, string][] = [
      ['empty.osm.pbf', new Uint8Array(0), 'OSM_UNKNOWN_FORMAT', 'the file is empty'],
      ['noise.osm.pbf', Buffer.from('PK\x03\x04 zip, not osm'), 'OSM_UNKNOWN_FORMAT', 'not an OSM file'],
      ['map.osm.bz2', Buffer.from('BZh91AY&SY'), 'OSM_UNSUPPORTED', 'bzip2-compressed'],
      ['map.osm.zst', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0]), 'OSM_UNSUPPORTED', 'zstd-compressed'],
    ];
    for (const [name, bytes, code, message] of cases) {
      const path = join(dir, name);
      await writeFile(path, bytes);
      const err = await rejectionOf(readOsm(path, {}));
      expect(err.code).toBe(code);
      expect(err.message).toContain(message);
    }
  });

  it('never hangs and only rejects with OsmReadError on truncation or corruption (property)', async () => {
    const encodings = [
      encodeOsmPbf(sampleOsmData(), { compression: 'none', entitiesPerBlock: 2 }),
      encodeOsmPbf(sampleOsmData(), { compression: 'zlib', entitiesPerBlock: 2, denseNodes: false }),
    ];
    const path = join(dir, 'fuzz.osm.pbf');
    const handlers = { node: () => undefined, way: () => undefined, relation: () => undefined };
    for (const bytes of encodings) {
      const boundaries = blobBoundaries(bytes);
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: bytes.length - 1 }), async (cut) => {
          await writeFile(path, bytes.subarray(0, cut));
          const outcome = await readOsm(path, handlers).then(
            () => 'read',
            (e: unknown) => e,
          );
          if (outcome === 'read') expect(boundaries.has(cut) && cut > 0).toBe(true);
          else expect(outcome).toBeInstanceOf(OsmReadError);
        }),
        { numRuns: 150 },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: bytes.length - 1 }),
          fc.integer({ min: 0, max: 255 }),
          async (at, value) => {
            const corrupted = Buffer.from(bytes);
            corrupted[at] = value;
            await writeFile(path, corrupted);
            const outcome = await readOsm(path, handlers).then(
              () => 'read',
              (e: unknown) => e,
            );
            if (outcome !== 'read') expect(outcome).toBeInstanceOf(OsmReadError);
          },
        ),
        { numRuns: 300 },
      );
    }
  });
});
