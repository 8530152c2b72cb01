import type { Logger } from 'pino';
import type { Database } from '../db/pool.js';
import { PgFactStore } from '../facts/fact-store.js';
import { drainAlert, raiseAlerts } from './alerts.js';
import { mergeEvidence, type EvidenceMergeSummary } from './evidence-merge.js';
import { loadFleetDirectory } from './fleet-directory.js';
import { planDeviationAlerts } from './plan-alerts.js';
import { syncPlannedVisits } from './work-order-sync.js';
import { runVehicle } from './vehicle-run.js';

export interface FactProcessorOptions {
  /** Pause between runs, ms. */
  intervalMs: number;
  /** A tracker seen for the first time is processed from this far back, ms. */
  initialLookbackMs: number;
  logger: Logger;
}

export interface RunSummary {
  vehicles: number;
  fixes: number;
  facts: number;
  fuelEvents: number;
  newAlerts: number;
  /** Driver reports and weighbridge tickets merged into the stored facts and unloadings. */
  evidence: EvidenceMergeSummary;
}

/**
 * Turns the gateway's telemetry into stored trips, stops, collection facts, unloadings and fuel
 * events while the day runs, and raises drain and plan-deviation alerts. Every run replays each tracked vehicle from its
 * stored resume point (see runVehicle), then checks today's planned visits; late packets after that point are therefore picked up by the
 * next run, and everything is upserted by deterministic ids.
 */
export class FactProcessor {
  private readonly store: PgFactStore;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly options: FactProcessorOptions,
  ) {
    this.store = new PgFactStore(db);
  }

  /** Runs now and then every interval until close(). */
  start(): void {
    const tick = (): void => {
      if (this.closed) return;
      this.running = this.runOnce().catch((error: unknown) =>
        this.options.logger.error({ err: error }, 'fact processing failed'),
      );
      void this.running.finally(() => {
        if (!this.closed) this.timer = setTimeout(tick, this.options.intervalMs);
      });
    };
    tick();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over every tracked vehicle up to `nowMs`. */
  async runOnce(nowMs = Date.now()): Promise<RunSummary> {
    const directory = await loadFleetDirectory(this.db);
    const marks = await this.db.query<{ device_id: string; resume_ms: string; loaded: boolean }>(
      'SELECT device_id, resume_ms, loaded FROM fact_watermarks',
    );
    const resumeOf = new Map(
      marks.rows.map((r) => [r.device_id, { resumeMs: Number(r.resume_ms), loaded: r.loaded }]),
    );
    const summary: RunSummary = {
      vehicles: 0,
      fixes: 0,
      facts: 0,
      fuelEvents: 0,
      newAlerts: 0,
      evidence: { reportsMerged: 0, driverOnlyFacts: 0, ticketsMatched: 0, ticketOnlyUnloadings: 0 },
    };
    for (const vehicle of directory.vehicles) {
      if (this.closed) break;
      const resume = resumeOf.get(vehicle.deviceId) ?? {
        resumeMs: nowMs - this.options.initialLookbackMs,
        loaded: false,
      };
      const run = await runVehicle(this.db, directory, vehicle, resume, nowMs);
      if (run.fixes === 0) continue;
      // Facts before the watermark: a crash between the two leaves the old watermark, and the
      // next run stores the same items again (upserts), so nothing is lost or doubled.
      await this.store.saveAll(run.output);
      const drains = run.output.fuelEvents.filter((event) => event.kind === 'drain');
      summary.newAlerts += await raiseAlerts(
        this.db,
        drains.map((event) => drainAlert(event, vehicle.carrierId)),
      );
      await this.db.query(
        `INSERT INTO fact_watermarks (device_id, resume_ms, loaded) VALUES ($1, $2, $3)
         ON CONFLICT (device_id) DO UPDATE SET resume_ms = EXCLUDED.resume_ms, loaded = EXCLUDED.loaded,
           updated_at = now()`,
        [vehicle.deviceId, Math.round(run.resumeMs), run.loaded],
      );
      summary.vehicles++;
      summary.fixes += run.fixes;
      summary.facts += run.output.facts.length;
      summary.fuelEvents += run.output.fuelEvents.length;
    }
    // Driver reports and weighbridge tickets join what telemetry stored (they come hours late).
    if (!this.closed) summary.evidence = await mergeEvidence(this.db, directory, nowMs);
    // Deviations from today's plan (missed windows, late visits), once facts are up to date and the
    // published work orders are planned visits.
    await syncPlannedVisits(this.db, nowMs);
    summary.newAlerts += await raiseAlerts(this.db, await planDeviationAlerts(this.db, nowMs));
    if (summary.vehicles > 0) this.options.logger.debug(summary, 'facts processed');
    return summary;
  }
}
