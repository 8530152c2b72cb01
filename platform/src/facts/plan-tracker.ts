import type { CollectionFact } from './types.js';

/** One site of a work order (наряд) with its planned window. */
export interface PlannedVisit {
  siteId: string;
  windowStartMs: number;
  windowEndMs: number;
}

export interface WorkOrder {
  id: string;
  vehicleId: string;
  visits: readonly PlannedVisit[];
}

/**
 * served: arrived by the window's end (early counts as served, deviation negative);
 * late: arrived after it; missed: no accepted fact by the window's end + grace (final at close);
 * pending: the window is still open.
 */
export type VisitStatus = 'pending' | 'served' | 'late' | 'missed';

export interface VisitOutcome {
  workOrderId: string;
  vehicleId: string;
  siteId: string;
  windowStartMs: number;
  windowEndMs: number;
  status: VisitStatus;
  factId?: string;
  /** The vehicle that served it when not the planned one. */
  servedByVehicleId?: string;
  arrivalMs?: number;
  /** Arrival minus window end when late, minus window start when early, else 0; ms. */
  deviationMs?: number;
}

export type PlanAlert =
  | { kind: 'window-closed-not-served'; outcome: VisitOutcome }
  | { kind: 'served-late'; outcome: VisitOutcome }
  | { kind: 'unplanned-visit'; fact: CollectionFact };

export interface PlanReport {
  outcomes: VisitOutcome[];
  unplanned: CollectionFact[];
  served: number;
  late: number;
  missed: number;
  pending: number;
}

export interface PlanTrackerOptions {
  /** Time after a window's end before "not served" is raised: facts are final only a few minutes
   *  after departure (reorder window, lift slack), ms. */
  graceMs: number;
}

/**
 * Plan against actual for a day, incrementally: feed accepted collection facts as they come and
 * advance the clock; alerts come back from both. A fact at a site planned for another vehicle serves
 * that visit (the dispatcher reassigned it); a fact at a site nobody planned is unplanned.
 */
export class PlanTracker {
  private readonly outcomes: VisitOutcome[] = [];
  private readonly bySite = new Map<string, VisitOutcome[]>();
  private readonly unplanned: CollectionFact[] = [];
  private readonly seenFacts = new Set<string>();
  private readonly options: PlanTrackerOptions;

  constructor(orders: readonly WorkOrder[], options: Partial<PlanTrackerOptions> = {}) {
    this.options = { graceMs: 10 * 60_000, ...options };
    for (const order of orders) {
      for (const visit of order.visits) {
        const outcome: VisitOutcome = {
          workOrderId: order.id,
          vehicleId: order.vehicleId,
          siteId: visit.siteId,
          windowStartMs: visit.windowStartMs,
          windowEndMs: visit.windowEndMs,
          status: 'pending',
        };
        this.outcomes.push(outcome);
        let list = this.bySite.get(visit.siteId);
        if (!list) this.bySite.set(visit.siteId, (list = []));
        list.push(outcome);
      }
    }
  }

  /** A new or updated fact. Facts that need review (driver report alone) do not serve a visit. */
  onFact(fact: CollectionFact): PlanAlert[] {
    if (fact.needsReview || this.seenFacts.has(fact.id)) return [];
    this.seenFacts.add(fact.id);
    const candidates = this.bySite.get(fact.siteId);
    if (!candidates) {
      this.unplanned.push(fact);
      return [{ kind: 'unplanned-visit', fact }];
    }
    const outcome = pickOutcome(candidates, fact);
    if (!outcome) return []; // the site was planned and already served: a repeat visit
    const wasMissed = outcome.status === 'missed';
    outcome.factId = fact.id;
    outcome.arrivalMs = fact.arrivalMs;
    if (fact.vehicleId !== outcome.vehicleId) outcome.servedByVehicleId = fact.vehicleId;
    if (fact.arrivalMs > outcome.windowEndMs) {
      outcome.status = 'late';
      outcome.deviationMs = fact.arrivalMs - outcome.windowEndMs;
    } else {
      outcome.status = 'served';
      outcome.deviationMs = Math.min(0, fact.arrivalMs - outcome.windowStartMs);
    }
    return outcome.status === 'late' || wasMissed ? [{ kind: 'served-late', outcome: { ...outcome } }] : [];
  }

  /** Moves the clock: every window closed for longer than the grace without a fact is missed. */
  advanceTo(nowMs: number): PlanAlert[] {
    const alerts: PlanAlert[] = [];
    for (const outcome of this.outcomes) {
      if (outcome.status !== 'pending' || outcome.windowEndMs + this.options.graceMs > nowMs) continue;
      outcome.status = 'missed';
      alerts.push({ kind: 'window-closed-not-served', outcome: { ...outcome } });
    }
    return alerts;
  }

  /** End of the day: whatever is still pending is missed. */
  close(): PlanAlert[] {
    return this.advanceTo(Infinity);
  }

  report(): PlanReport {
    const count = (status: VisitStatus): number => this.outcomes.filter((o) => o.status === status).length;
    return {
      outcomes: this.outcomes.map((outcome) => ({ ...outcome })),
      unplanned: [...this.unplanned],
      served: count('served'),
      late: count('late'),
      missed: count('missed'),
      pending: count('pending'),
    };
  }
}

/**
 * Which planned visit a fact serves: the planned vehicle's own first, then any; among those still
 * open (pending or missed), the one whose window is nearest the arrival.
 */
function pickOutcome(candidates: VisitOutcome[], fact: CollectionFact): VisitOutcome | undefined {
  const open = candidates.filter((o) => o.status === 'pending' || o.status === 'missed');
  const own = open.filter((o) => o.vehicleId === fact.vehicleId);
  const pool = own.length > 0 ? own : open;
  let best: VisitOutcome | undefined;
  let bestGap = Infinity;
  for (const outcome of pool) {
    const gap =
      fact.arrivalMs < outcome.windowStartMs
        ? outcome.windowStartMs - fact.arrivalMs
        : Math.max(0, fact.arrivalMs - outcome.windowEndMs);
    if (gap < bestGap) {
      bestGap = gap;
      best = outcome;
    }
  }
  return best;
}
