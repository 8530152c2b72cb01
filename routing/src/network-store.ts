import { existsSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { generateDemoTown } from './osm/demo-town.js';
import {
  loadPreparedNetwork,
  prepareNetwork,
  preparedFileOf,
  savePreparedNetwork,
  type PreparedNetwork,
} from './prepare.js';

export interface NetworkSource {
  osmFile: string;
  preparedFile: string;
  /** True when it was built now (not loaded from an up-to-date prepared file). */
  built: boolean;
  isDemoTown: boolean;
}

/**
 * The prepared network for an extract: loaded from `DATA_DIR/routing/<name>.mswroute` when that file
 * was built from the same extract (size and modification time), else built and saved. Without an
 * extract, a demo town is generated as a real OSM file first.
 */
export async function openNetwork(
  osmFile: string | undefined,
  dataDir: string,
  log: (message: string, details?: Record<string, unknown>) => void = () => undefined,
): Promise<{ network: PreparedNetwork; source: NetworkSource }> {
  const dir = path.join(dataDir, 'routing');
  let file = osmFile;
  const isDemoTown = !file;
  if (!file) {
    file = path.join(dir, 'demo-town.osm');
    if (!existsSync(file)) {
      await mkdir(dir, { recursive: true });
      await generateDemoTown(file);
      log('demo town generated', { file });
    }
  }
  const info = await stat(file).catch(() => {
    throw new Error(`ROUTING_OSM: cannot read ${file}`);
  });
  const fingerprint = `${info.size}:${Math.floor(info.mtimeMs)}`;
  const preparedFile = preparedFileOf(file, dir);
  if (existsSync(preparedFile)) {
    try {
      const loaded = await loadPreparedNetwork(preparedFile);
      if (loaded.meta['sourceFingerprint'] === fingerprint) {
        return { network: loaded, source: { osmFile: file, preparedFile, built: false, isDemoTown } };
      }
    } catch (error) {
      log('prepared network unreadable; rebuilding', { file: preparedFile, err: (error as Error).message });
    }
  }
  const started = performance.now();
  const { network, timings } = await prepareNetwork(file);
  network.meta['sourceFingerprint'] = fingerprint;
  await savePreparedNetwork(preparedFile, network);
  log('network prepared', {
    file,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    ...timings.stats,
  });
  return { network, source: { osmFile: file, preparedFile, built: true, isDemoTown } };
}
