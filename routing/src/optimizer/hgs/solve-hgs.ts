// Hybrid genetic search with adaptive diversity control (Vidal, Crainic, Gendreau, Lahrichi & Rei 2012;
// Vidal 2022, "Hybrid genetic search for the CVRP: Open-source implementation and SWAP* neighborhood").
// Loop: binary tournaments → OX crossover → Split → granular local search → insertion into the feasible or
// infeasible subpopulation; half of the infeasible offspring are repaired with 10× penalties; penalties adapt
// every 100 local-search outcomes towards 20 % feasible ones; the population restarts after nbIterRestart
// iterations without improvement. Deterministic for a seed: the only clock reads are the time-limit checks.
//
// 'vehicles-then-distance' is handled by fleet-limit decrements (route elimination), not by a large cost
// per route: once a feasible solution with R routes is known, the fleet is limited to R − 1 routes (Split
// and the local search cannot open more) and the population is rebuilt from the best solutions re-split
// into R − 1 routes; on success the limit drops again, and after a failed attempt or half of the time budget
// the rest of the time minimises distance with the smallest fleet found. Solutions compare by (routes,
// cost) in that mode.

import { crossoverOx } from './crossover.js';
import { Individual } from './individual.js';
import { Instance, type HgsParameters } from './instance.js';
import { LocalSearch } from './local-search.js';
import { Population, type Penalties } from './population.js';
import { Prng } from './prng.js';
import {
  validateProblem,
  type SolveOptions,
  type SolverProblem,
  type SolverSolution,
  type SolveStats,
} from './problem.js';
import { RouteEvaluator } from './route-evaluation.js';
import { Split } from './split.js';

export interface HgsRun {
  solution: SolverSolution;
  stats: SolveStats;
}

/** Solves a CVRP / VRPTW instance; see SolverProblem for the model. */
export function solveHgs(problem: SolverProblem, options: SolveOptions): SolverSolution {
  return runHgs(problem, options).solution;
}

/** solveHgs with run statistics and optional parameter overrides (benchmarks, tuning). */
export function runHgs(
  problem: SolverProblem,
  options: SolveOptions,
  params?: Partial<HgsParameters>,
): HgsRun {
  validateProblem(problem, options);
  const started = performance.now();
  if (problem.nodeCount === 1) {
    return {
      solution: { routes: [], cost: 0, feasible: true },
      stats: { iterations: 0, restarts: 0, elapsedMs: performance.now() - started, fleetLimit: 0 },
    };
  }
  const search = new HgsSearch(problem, options, params, started);
  return search.run();
}

class HgsSearch {
  private readonly inst: Instance;
  private readonly options: SolveOptions;
  private readonly rng: Prng;
  private readonly split: Split;
  private readonly ls: LocalSearch;
  private readonly pop: Population;
  private readonly ev: RouteEvaluator;
  private readonly offspring: Individual;
  private readonly best: Individual;
  private readonly seeds: Individual[] = [];
  private readonly seen: Uint8Array;
  private readonly pen: Penalties;
  private readonly started: number;
  private readonly deadline: number;
  private readonly vehiclesFirst: boolean;
  private hasBest = false;
  private fleetLimit: number;
  private iterations = 0;
  private restarts = 0;
  private nonProductive = 1;
  private sinceImprovement = 0;
  private educated = 0;

  constructor(
    problem: SolverProblem,
    options: SolveOptions,
    params: Partial<HgsParameters> | undefined,
    started: number,
  ) {
    this.inst = new Instance(problem, params);
    this.options = options;
    this.rng = new Prng(options.seed);
    this.split = new Split(this.inst);
    this.ls = new LocalSearch(this.inst, this.rng);
    this.pop = new Population(this.inst, this.rng);
    this.ev = new RouteEvaluator(this.inst, 0);
    this.offspring = new Individual(this.inst, -1);
    this.best = new Individual(this.inst, -1);
    this.seen = new Uint8Array(this.inst.nodeCount);
    this.started = started;
    this.deadline = started + options.timeLimitMs;
    this.vehiclesFirst = problem.objective === 'vehicles-then-distance';
    this.fleetLimit = this.inst.routeSlots;
    // HGS-CVRP's initial penalty scale: one unit of excess costs about one maximal edge.
    const inst = this.inst;
    const pc = inst.maxDemand > 0 && inst.maxDist > 0 ? inst.maxDist / inst.maxDemand : 1;
    const ptw = inst.maxDur > 0 && inst.maxDist > 0 ? inst.maxDist / inst.maxDur : 1;
    this.pen = { pc, ptw, pcMin: pc * 0.01, pcMax: pc * 1e4, ptwMin: ptw * 0.01, ptwMax: ptw * 1e4 };
  }

  run(): HgsRun {
    if (this.inst.customerCount === 1) return this.finish();
    if (!this.vehiclesFirst) {
      this.initialPopulation(4 * this.inst.params.mu, this.initialDeadline());
      this.evolve(() => false);
      return this.finish();
    }
    // Route elimination: find any feasible solution, then repeatedly ask for one route fewer. An attempt
    // ends when it succeeds, after nbIterRestart (or maxIterationsWithoutImprovement) iterations, or when
    // half of the time budget is spent.
    const reductionDeadline = this.started + 0.5 * this.options.timeLimitMs;
    const attemptBudget = Math.min(
      this.inst.params.nbIterRestart,
      this.options.maxIterationsWithoutImprovement ?? Infinity,
    );
    this.initialPopulation(4 * this.inst.params.mu, this.initialDeadline());
    this.evolve(() => this.hasBest || performance.now() >= reductionDeadline);
    while (this.hasBest && performance.now() < reductionDeadline) {
      const target = this.best.nbRoutes - 1;
      if (target < Math.max(1, this.inst.minRoutes)) break;
      this.restartWithFleet(target, reductionDeadline);
      const startIter = this.iterations;
      this.evolve(
        () =>
          this.best.nbRoutes <= target ||
          performance.now() >= reductionDeadline ||
          this.iterations - startIter >= attemptBudget,
        false,
      );
      if (this.best.nbRoutes > target) break;
    }
    // Distance phase with the smallest fleet found; the early-stop counter restarts here.
    this.sinceImprovement = 0;
    if (!this.shouldStop()) {
      this.restartWithFleet(this.hasBest ? this.best.nbRoutes : this.inst.routeSlots);
      this.evolve(() => false);
    }
    return this.finish();
  }

  private shouldStop(useEarlyStop = true): boolean {
    if (performance.now() >= this.deadline) return true;
    const maxIt = this.options.maxIterationsWithoutImprovement;
    return useEarlyStop && maxIt !== undefined && this.sinceImprovement >= maxIt;
  }

  /** Runs generations until the time limit, the early-stop criterion (if used) or `phaseDone()`. */
  private evolve(phaseDone: () => boolean, useEarlyStop = true): void {
    const params = this.inst.params;
    while (!this.shouldStop(useEarlyStop) && !phaseDone()) {
      const p1 = this.pop.tournament();
      const p2 = this.pop.tournament();
      crossoverOx(this.offspring.tour, p1.tour, p2.tour, this.rng, this.seen);
      this.split.run(this.offspring, p1.nbRoutes, this.fleetLimit, this.pen.pc, this.pen.ptw);
      const improved = this.educate(this.offspring);
      this.iterations++;
      this.sinceImprovement++;
      this.nonProductive = improved ? 1 : this.nonProductive + 1;
      if (this.nonProductive >= params.nbIterRestart) {
        this.restarts++;
        this.pop.clear();
        this.initialPopulation(4 * this.inst.params.mu, this.initialDeadline());
        this.nonProductive = 1;
      }
    }
  }

  /**
   * Building the initial population may use at most a quarter of the time limit, so that large instances
   * (where one local search from a random tour takes a sizeable fraction of a second) still evolve.
   */
  private initialDeadline(): number {
    return Math.min(this.deadline, performance.now() + 0.25 * this.options.timeLimitMs);
  }

  /** `count` (default 4·mu) random giant tours, split and educated; at least one even past the time limit. */
  private initialPopulation(count = 4 * this.inst.params.mu, until = this.deadline): void {
    const n = this.inst.customerCount;
    const tour = this.offspring.tour;
    for (let i = 0; i < count && (i === 0 || performance.now() < until); i++) {
      for (let k = 0; k < n; k++) tour[k] = k + 1;
      this.rng.shuffle(tour);
      this.split.run(this.offspring, this.inst.routeSlots, this.fleetLimit, this.pen.pc, this.pen.ptw);
      this.educate(this.offspring);
    }
  }

  /**
   * Changes the fleet limit and rebuilds the population from the best solution and the best members of the
   * current population, each re-split into at most `limit` routes and educated again (much cheaper than
   * educating random tours on instances with long routes); random individuals fill up to mu.
   */
  private restartWithFleet(limit: number, until = this.deadline): void {
    const mu = this.inst.params.mu;
    const seeds = this.seeds;
    while (seeds.length < mu) seeds.push(new Individual(this.inst, -1));
    let count = 0;
    if (this.hasBest) seeds[count++]!.copyFrom(this.best);
    const { feasible, infeasible } = this.pop;
    for (let i = 0; count < mu && (i < feasible.length || i < infeasible.length); i++) {
      if (i < feasible.length) seeds[count++]!.copyFrom(feasible[i]!);
      if (count < mu && i < infeasible.length) seeds[count++]!.copyFrom(infeasible[i]!);
    }
    this.fleetLimit = limit;
    this.pop.clear();
    this.nonProductive = 1;
    for (let k = 0; k < count && (k === 0 || performance.now() < until); k++) {
      this.offspring.copyFrom(seeds[k]!);
      this.split.run(this.offspring, limit, limit, this.pen.pc, this.pen.ptw);
      this.educate(this.offspring);
    }
    if (count < mu) this.initialPopulation(mu - count, until);
  }

  /** Local search, insertion, and repair of half of the infeasible outcomes. */
  private educate(ind: Individual): boolean {
    const pen = this.pen;
    this.ls.run(ind, pen.pc, pen.ptw, this.fleetLimit);
    ind.penalise(pen.pc, pen.ptw);
    this.consider(ind);
    let improved = this.pop.add(ind, true);
    // Penalties adapt per local-search outcome, including the initial population (as PyVRP), so that slow
    // iterations on hard instances still reach the feasibility target quickly.
    this.educated++;
    if (this.educated % this.inst.params.nbIterPenaltyManagement === 0) this.pop.managePenalties(pen);
    if (!ind.feasible && this.rng.nextFloat() < this.inst.params.repairProbability) {
      // HGS-CVRP repairs with 10× penalties. Until a first feasible solution is known, the penalties may
      // still be far below the instance's cost scale (short runs, tight windows): escalate to 100×, 1000×.
      for (let boost = 10; ; boost *= 10) {
        this.ls.run(ind, pen.pc * boost, pen.ptw * boost, this.fleetLimit);
        ind.penalise(pen.pc, pen.ptw);
        if (ind.feasible || this.hasBest || boost >= 1000) break;
      }
      if (ind.feasible) {
        this.consider(ind);
        improved = this.pop.add(ind, false) || improved;
      }
    }
    return improved;
  }

  private consider(ind: Individual): void {
    if (!ind.feasible) return;
    if (this.hasBest) {
      const b = this.best;
      if (this.vehiclesFirst && ind.nbRoutes !== b.nbRoutes) {
        if (ind.nbRoutes > b.nbRoutes) return;
      } else if (ind.objective >= b.objective - 1e-9) {
        return;
      }
    }
    this.best.copyFrom(ind);
    this.hasBest = true;
    this.sinceImprovement = 0;
    this.options.onImprovement?.(this.best.objective, performance.now() - this.started);
  }

  private finish(): HgsRun {
    let sol: SolverSolution;
    if (this.inst.customerCount === 1) {
      const one = Int32Array.of(1);
      this.ev.evaluateRoute(one, 0, 1);
      const feasible = this.ev.loadExcess(this.ev.routeLoad) <= 1e-6 && this.ev.routeTimeWarp <= 1e-6;
      sol = { routes: [[1]], cost: this.ev.routeDistance + this.inst.fixedCost, feasible };
    } else if (this.hasBest) {
      sol = { routes: this.best.routes(), cost: this.best.objective, feasible: true };
    } else {
      const fallback = this.pop.infeasible[0] ?? this.pop.feasible[0] ?? this.offspring;
      sol = { routes: fallback.routes(), cost: fallback.objective, feasible: false };
    }
    return {
      solution: sol,
      stats: {
        iterations: this.iterations,
        restarts: this.restarts,
        elapsedMs: performance.now() - this.started,
        fleetLimit: this.fleetLimit,
      },
    };
  }
}
