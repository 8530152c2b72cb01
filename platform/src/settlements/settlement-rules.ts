import { Exact, fixed, toKopecks, toThousandths } from './exact-decimal.js';

/**
 * The arithmetic of a monthly carrier settlement (расчёт с перевозчиком), pure: the database loader
 * (db/settlement-sources.ts) supplies the facts, unloadings and planned visits, already mapped to
 * their lot (vehicle → carrier, site → municipality → the carrier's contract in force that day).
 *
 * Rounding happens at these points only, half-up:
 *  1. a fact's volume, to 0.001 m³ (only mixed-container sites produce more digits);
 *  2. a lot's mass, to 0.001 t (the shares of each weighbridge mass stay exact until then);
 *  3. the accrual = quantity × tariff, to kopecks;
 *  4. a percentage deduction, to kopecks.
 */

export type TariffUnit = 'm3' | 'tonne' | 'trip';
export type DeductionRule = 'none' | 'fixed' | 'percent';
export type DisputeStatus = 'open' | 'accepted' | 'rejected';

export interface SiteContainer {
  count: number;
  volumeM3: string;
}

export interface LotTerms {
  contractId: string;
  carrierId: string;
  /** The contract's period clipped to the month, local dates. */
  periodFrom: string;
  periodTo: string;
  tariffUnit: TariffUnit;
  tariffRub: string;
  confidenceThreshold: string;
  deductionRule: DeductionRule;
  /** RUB per visit ('fixed') or percent of the accrual per visit ('percent'). */
  missedVisitDeduction: string;
  lateVisitDeduction: string;
  lateToleranceMin: number;
}

export interface FactInput {
  id: string;
  /** collection_facts.vehicle_id: groups a vehicle's facts and unloadings into trips. */
  vehicleKey: string;
  carrierId: string;
  siteId: string;
  /** The lot the fact belongs to; null when the carrier has no contract there that day. */
  contractId: string | null;
  localDate: string;
  /** HH:MM, local. */
  localTime: string;
  arrivalMs: number;
  containerCount: number;
  confidence: string;
  siteContainers: readonly SiteContainer[];
  review?: 'accepted' | 'rejected';
  /** The open dispute, else the latest resolved one. */
  dispute?: { status: DisputeStatus; claimedContainerCount: number | null };
}

export interface UnloadingInput {
  id: string;
  vehicleKey: string;
  arrivalMs: number;
  /** Weighbridge net mass, kg; null until the ticket is entered. */
  netKg: string | null;
}

export interface VisitInput {
  id: string;
  siteId: string;
  carrierId: string;
  contractId: string | null;
  visitDate: string;
  windowFrom: string | null;
  windowTo: string | null;
  dispute?: { status: DisputeStatus };
}

/** The contracts' default (migration: confidence_threshold DEFAULT 0.900). */
const DEFAULT_THRESHOLD = '0.9';

export type FactVerdict = 'verified' | 'accepted' | 'low-confidence' | 'rejected' | 'disputed';
export type VisitOutcome = 'served' | 'late' | 'missed' | 'excused';

export interface FactLine {
  factId: string;
  siteId: string;
  localDate: string;
  localTime: string;
  verdict: FactVerdict;
  counted: boolean;
  containerCount: number;
  volumeM3: string;
  /** The fact's share of its trip's weighbridge mass, kg (exact); null when not weighed. */
  massKg: string | null;
  unloadingId: string | null;
}

export interface VisitLine {
  visitId: string;
  siteId: string;
  visitDate: string;
  outcome: VisitOutcome;
  factId: string | null;
  disputeStatus: DisputeStatus | null;
}

export interface LotSettlement {
  contractId: string;
  carrierId: string;
  periodFrom: string;
  periodTo: string;
  tariffUnit: TariffUnit;
  tariffRub: string;
  factsCounted: number;
  factsPending: number;
  factsExcluded: number;
  volumeM3: string;
  massT: string;
  unweighedFacts: number;
  trips: number;
  quantity: string;
  accrualRub: string;
  visitsPlanned: number;
  visitsServed: number;
  visitsLate: number;
  visitsMissed: number;
  visitsExcused: number;
  deductionRule: DeductionRule;
  deductionRub: string;
  totalRub: string;
  facts: FactLine[];
  visits: VisitLine[];
}

/**
 * Volume of one fact: containers collected × the site's mean container volume (the exact container
 * volume when the site has one kind); the whole site when every container was collected.
 */
export function factVolumeM3(containerCount: number, containers: readonly SiteContainer[]): Exact {
  const siteCount = containers.reduce((sum, c) => sum + c.count, 0);
  if (siteCount === 0 || containerCount <= 0) return new Exact(0);
  const siteVolume = containers.reduce(
    (sum, c) => sum.plus(new Exact(c.volumeM3).times(c.count)),
    new Exact(0),
  );
  // Multiply before dividing: count = siteCount gives the site volume exactly.
  return toThousandths(siteVolume.times(containerCount).dividedBy(siteCount));
}

/**
 * Whether a fact counts, in this order: an open dispute holds it out until resolved; an accepted
 * dispute counts it (with the carrier's container count when claimed); a dispatcher's review decides
 * next; otherwise confidence ≥ the contract's threshold.
 */
export function judgeFact(
  fact: Pick<FactInput, 'confidence' | 'containerCount' | 'review' | 'dispute'>,
  threshold: string,
): { verdict: FactVerdict; counted: boolean; containerCount: number } {
  const { dispute } = fact;
  if (dispute?.status === 'open')
    return { verdict: 'disputed', counted: false, containerCount: fact.containerCount };
  if (dispute?.status === 'accepted') {
    return {
      verdict: 'accepted',
      counted: true,
      containerCount: dispute.claimedContainerCount ?? fact.containerCount,
    };
  }
  if (fact.review === 'accepted')
    return { verdict: 'accepted', counted: true, containerCount: fact.containerCount };
  if (fact.review === 'rejected')
    return { verdict: 'rejected', counted: false, containerCount: fact.containerCount };
  return new Exact(fact.confidence).greaterThanOrEqualTo(threshold)
    ? { verdict: 'verified', counted: true, containerCount: fact.containerCount }
    : { verdict: 'low-confidence', counted: false, containerCount: fact.containerCount };
}

export interface Trip {
  unloading: UnloadingInput;
  /** The vehicle's facts since its previous unloading, in time order. */
  factIds: string[];
}

/** A trip (рейс) = a vehicle's facts between two unloadings; facts after the last one have no trip yet. */
export function groupTrips(facts: readonly FactInput[], unloadings: readonly UnloadingInput[]): Trip[] {
  const byVehicle = new Map<string, UnloadingInput[]>();
  for (const unloading of unloadings) {
    const list = byVehicle.get(unloading.vehicleKey) ?? [];
    list.push(unloading);
    byVehicle.set(unloading.vehicleKey, list);
  }
  for (const list of byVehicle.values()) list.sort((a, b) => a.arrivalMs - b.arrivalMs);
  const trips = new Map<UnloadingInput, string[]>();
  for (const fact of [...facts].sort((a, b) => a.arrivalMs - b.arrivalMs)) {
    const unloading = byVehicle.get(fact.vehicleKey)?.find((u) => u.arrivalMs > fact.arrivalMs);
    if (!unloading) continue;
    const list = trips.get(unloading) ?? [];
    list.push(fact.id);
    trips.set(unloading, list);
  }
  return [...trips].map(([unloading, factIds]) => ({ unloading, factIds }));
}

/**
 * Shares a trip's weighbridge mass among its facts in proportion to their volume (equally when no
 * fact has a volume). Every fact of the trip takes its share, counted or not, so a fact that does not
 * count does not shift its mass onto the ones that do.
 */
export function allocateTripMass(netKg: string, volumes: readonly Exact[]): Exact[] {
  const total = volumes.reduce((sum, v) => sum.plus(v), new Exact(0));
  const mass = new Exact(netKg);
  if (total.isZero()) return volumes.map(() => mass.dividedBy(volumes.length));
  return volumes.map((v) => mass.times(v).dividedBy(total));
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/**
 * Planned visits against counted facts: each visit takes the earliest unused counted fact of the same
 * carrier at the same site on the same local date. On time up to the window's end + tolerance
 * (an early arrival is on time); no fact: missed. An accepted dispute excuses a missed or late visit;
 * an open one leaves the verdict in force until resolved.
 */
export function judgeVisits(
  visits: readonly VisitInput[],
  countedFacts: readonly FactInput[],
  lateToleranceMin: number,
): VisitLine[] {
  const used = new Set<string>();
  const ordered = [...visits].sort(
    (a, b) =>
      a.visitDate.localeCompare(b.visitDate) || (a.windowFrom ?? '').localeCompare(b.windowFrom ?? ''),
  );
  const facts = [...countedFacts].sort((a, b) => a.arrivalMs - b.arrivalMs);
  return ordered.map((visit) => {
    const fact = facts.find(
      (f) =>
        !used.has(f.id) &&
        f.carrierId === visit.carrierId &&
        f.siteId === visit.siteId &&
        f.localDate === visit.visitDate,
    );
    if (fact) used.add(fact.id);
    let outcome: VisitOutcome = 'missed';
    if (fact) {
      const late =
        visit.windowTo !== null && minutesOf(fact.localTime) > minutesOf(visit.windowTo) + lateToleranceMin;
      outcome = late ? 'late' : 'served';
    }
    if (outcome !== 'served' && visit.dispute?.status === 'accepted') outcome = 'excused';
    return {
      visitId: visit.id,
      siteId: visit.siteId,
      visitDate: visit.visitDate,
      outcome,
      factId: fact?.id ?? null,
      disputeStatus: visit.dispute?.status ?? null,
    };
  });
}

/**
 * Deductions for missed and late visits: 'fixed' — RUB per visit; 'percent' — that percentage of the
 * (rounded) accrual per visit, rounded to kopecks. Never more than the accrual: a month's settlement
 * is never negative.
 */
export function deductionRub(terms: LotTerms, accrual: Exact, missed: number, late: number): Exact {
  const missedRate = new Exact(terms.missedVisitDeduction).times(missed);
  const lateRate = new Exact(terms.lateVisitDeduction).times(late);
  let deduction = new Exact(0);
  if (terms.deductionRule === 'fixed') deduction = missedRate.plus(lateRate);
  if (terms.deductionRule === 'percent')
    deduction = toKopecks(accrual.times(missedRate.plus(lateRate)).dividedBy(100));
  return Exact.min(deduction, accrual);
}

function inPeriod(date: string, terms: LotTerms): boolean {
  return date >= terms.periodFrom && date <= terms.periodTo;
}

/**
 * Settles every lot of a month. `facts` and `unloadings` may reach beyond the month (trips cross
 * midnight and month ends); only facts dated inside a lot's period are settled there.
 */
export function settleLots(
  lots: readonly LotTerms[],
  facts: readonly FactInput[],
  unloadings: readonly UnloadingInput[],
  visits: readonly VisitInput[],
): LotSettlement[] {
  const termsByContract = new Map(lots.map((lot) => [lot.contractId, lot]));
  const judged = new Map(
    facts.map((fact) => {
      // A fact outside the month's lots only shapes trips; the contract default threshold judges it.
      const threshold = termsByContract.get(fact.contractId ?? '')?.confidenceThreshold ?? DEFAULT_THRESHOLD;
      const judgement = judgeFact(fact, threshold);
      return [fact.id, { ...judgement, volume: factVolumeM3(judgement.containerCount, fact.siteContainers) }];
    }),
  );
  const factById = new Map(facts.map((fact) => [fact.id, fact]));

  // Mass shares and the trips each lot is paid for.
  const massKg = new Map<string, Exact>();
  const unloadingOf = new Map<string, string>();
  const tripsByContract = new Map<string, number>();
  for (const trip of groupTrips(facts, unloadings)) {
    const volumes = trip.factIds.map((id) => judged.get(id)!.volume);
    const shares =
      trip.unloading.netKg === null ? undefined : allocateTripMass(trip.unloading.netKg, volumes);
    trip.factIds.forEach((id, i) => {
      unloadingOf.set(id, trip.unloading.id);
      if (shares) massKg.set(id, shares[i]!);
    });
    const winner = tripLot(trip, factById, judged);
    const winnerTerms = winner && termsByContract.get(winner.contractId);
    if (winner && winnerTerms && inPeriod(winner.lastDate, winnerTerms)) {
      tripsByContract.set(winner.contractId, (tripsByContract.get(winner.contractId) ?? 0) + 1);
    }
  }

  const countedFacts = facts.filter((fact) => judged.get(fact.id)!.counted);
  return lots.map((terms) => {
    const lotFacts = facts
      .filter((f) => f.contractId === terms.contractId && inPeriod(f.localDate, terms))
      .sort((a, b) => a.arrivalMs - b.arrivalMs);
    let volume = new Exact(0);
    let mass = new Exact(0);
    let unweighed = 0;
    const lines: FactLine[] = lotFacts.map((fact) => {
      const j = judged.get(fact.id)!;
      const share = massKg.get(fact.id);
      if (j.counted) {
        volume = volume.plus(j.volume);
        if (share) mass = mass.plus(share);
        else unweighed += 1;
      }
      return {
        factId: fact.id,
        siteId: fact.siteId,
        localDate: fact.localDate,
        localTime: fact.localTime,
        verdict: j.verdict,
        counted: j.counted,
        containerCount: j.containerCount,
        volumeM3: fixed(j.volume, 3),
        massKg: share ? share.toString() : null,
        unloadingId: unloadingOf.get(fact.id) ?? null,
      };
    });
    const massT = toThousandths(mass.dividedBy(1000));
    const trips = tripsByContract.get(terms.contractId) ?? 0;
    const quantity =
      terms.tariffUnit === 'm3' ? volume : terms.tariffUnit === 'tonne' ? massT : new Exact(trips);
    const accrual = toKopecks(quantity.times(terms.tariffRub));

    const lotVisits = visits.filter((v) => v.contractId === terms.contractId && inPeriod(v.visitDate, terms));
    const visitLines = judgeVisits(lotVisits, countedFacts, terms.lateToleranceMin);
    const count = (outcome: VisitOutcome): number => visitLines.filter((v) => v.outcome === outcome).length;
    const deduction = deductionRub(terms, accrual, count('missed'), count('late'));

    return {
      contractId: terms.contractId,
      carrierId: terms.carrierId,
      periodFrom: terms.periodFrom,
      periodTo: terms.periodTo,
      tariffUnit: terms.tariffUnit,
      tariffRub: fixed(new Exact(terms.tariffRub), 2),
      factsCounted: lines.filter((l) => l.counted).length,
      factsPending: lines.filter((l) => l.verdict === 'disputed').length,
      factsExcluded: lines.filter((l) => !l.counted && l.verdict !== 'disputed').length,
      volumeM3: fixed(volume, 3),
      massT: fixed(massT, 3),
      unweighedFacts: unweighed,
      trips,
      quantity: fixed(quantity, 3),
      accrualRub: fixed(accrual, 2),
      visitsPlanned: visitLines.length,
      visitsServed: count('served'),
      visitsLate: count('late'),
      visitsMissed: count('missed'),
      visitsExcused: count('excused'),
      deductionRule: terms.deductionRule,
      deductionRub: fixed(deduction, 2),
      totalRub: fixed(accrual.minus(deduction), 2),
      facts: lines,
      visits: visitLines,
    };
  });
}

/**
 * The lot a trip is paid to: the one with the largest counted volume in it (ties: the lot of the
 * trip's earliest counted fact), dated by that lot's last fact in the trip. No counted fact: none.
 */
function tripLot(
  trip: Trip,
  factById: ReadonlyMap<string, FactInput>,
  judged: ReadonlyMap<string, { counted: boolean; volume: Exact }>,
): { contractId: string; lastDate: string } | undefined {
  const byLot = new Map<string, { volume: Exact; lastDate: string }>();
  for (const id of trip.factIds) {
    const fact = factById.get(id)!;
    const judgement = judged.get(id)!;
    if (!judgement.counted || fact.contractId === null) continue;
    const lot = byLot.get(fact.contractId) ?? { volume: new Exact(0), lastDate: fact.localDate };
    byLot.set(fact.contractId, { volume: lot.volume.plus(judgement.volume), lastDate: fact.localDate });
  }
  let best: { contractId: string; lastDate: string; volume: Exact } | undefined;
  for (const [contractId, lot] of byLot) {
    if (!best || lot.volume.greaterThan(best.volume)) best = { contractId, ...lot };
  }
  return best;
}
