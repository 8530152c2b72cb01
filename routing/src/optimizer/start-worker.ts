/**
 * Starts a worker thread on a sibling module. From TypeScript sources (tsx, vitest) the worker first
 * registers tsx's ESM hooks in its own thread — Node 20 does not apply the parent's `--import tsx` before
 * a worker's entry module.
 */
import { Worker } from 'node:worker_threads';

/** `moduleName` without extension, relative to the caller's `import.meta.url`. */
export function startModuleWorker(callerUrl: string, moduleName: string, workerData: unknown): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${moduleName}.js`, callerUrl), { workerData });
  const entry = new URL(`./${moduleName}.ts`, callerUrl).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData });
}
