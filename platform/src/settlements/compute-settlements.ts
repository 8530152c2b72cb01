import type { Actor } from '../auth/actor.js';
import type { Database } from '../db/pool.js';
import { withTransaction } from '../db/pool.js';
import { loadSettlementSources } from '../db/settlement-sources.js';
import {
  findLatestVersion,
  insertSettlementVersion,
  rewriteDraft,
  type SettlementSummary,
} from '../db/settlements.js';
import { settleLots } from './settlement-rules.js';

export interface ComputeRequest {
  /** YYYY-MM */
  period: string;
  carrierId?: string;
  /** Recompute approved lots as a new draft version (an explicit act; approved ones are frozen otherwise). */
  newVersion: boolean;
}

export interface ComputeResult {
  /** Drafts created or rewritten. */
  items: SettlementSummary[];
  /** Approved settlements left as they were (ask for `newVersion` to recompute them). */
  frozen: string[];
}

/**
 * Computes the month's settlement of every lot in force (or of one carrier's lots): reads the sources,
 * applies settlement-rules, and writes drafts in one transaction with their audit rows.
 */
export async function computeSettlements(
  db: Database,
  actor: Actor,
  request: ComputeRequest,
): Promise<ComputeResult> {
  const month = `${request.period}-01`;
  return withTransaction(db, async (tx) => {
    // Two computations of one month serialize on the latest version's row lock; two first versions
    // collide on the unique (contract, month, version) and the later one answers 409.
    const sources = await loadSettlementSources(tx, month, request.carrierId);
    const lots = settleLots(sources.lots, sources.facts, sources.unloadings, sources.visits);
    const items: SettlementSummary[] = [];
    const frozen: string[] = [];
    for (const lot of lots) {
      const latest = await findLatestVersion(tx, lot.contractId, month);
      if (!latest) {
        items.push(await insertSettlementVersion(tx, actor, month, 1, lot));
      } else if (latest.status === 'draft') {
        items.push(await rewriteDraft(tx, actor, latest.id, lot));
      } else if (request.newVersion) {
        items.push(await insertSettlementVersion(tx, actor, month, latest.version + 1, lot));
      } else {
        frozen.push(latest.id);
      }
    }
    return { items, frozen };
  });
}
