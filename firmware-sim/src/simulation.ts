import { createChaos, DEFAULT_CHAOS_RATES, type ChaosMode, type ChaosRates } from './chaos.js';
import { createRandom, deriveSeed } from './prng.js';
import type { FleetProgress } from './progress.js';
import type { DeviceCredential } from './provision.js';
import type { RoadNetwork } from './road-network.js';
import { TrackerLink, type LinkStats, type TrackerLinkOptions } from './tracker-link.js';
import { VirtualTruck } from './virtual-truck.js';

export interface SimulationOptions {
  mqttUrl: string;
  rateHz: number;
  durationS: number;
  seed: number;
  chaos: readonly ChaosMode[];
  drainTimeoutS: number;
  chaosRates?: ChaosRates;
  /** Overrides for every link (buffer size, in-flight limit, timeouts). */
  link?: Partial<Omit<TrackerLinkOptions, 'url' | 'deviceId' | 'secret' | 'random' | 'chaos'>>;
}

export interface SimulationHooks {
  onProgress?: (progress: FleetProgress) => void;
  /** Ends the driving early; buffered records are still drained. */
  stopDriving?: AbortSignal;
  /** Skips (the rest of) the drain. */
  stopDraining?: AbortSignal;
}

/** The run's outcome, printed as one JSON line by main.ts: the links' counters summed, and more. */
export interface SimulationSummary extends Omit<LinkStats, 'lastError'> {
  /** True when every generated record was acknowledged by the gateway. */
  complete: boolean;
  vehicles: number;
  rateHz: number;
  durationS: number;
  seed: number;
  chaos: ChaosMode[];
  network: { source: string; nodes: number; edges: number };
  mqttUrl: string;
  elapsedS: number;
  /** Generated but not acknowledged when the run ended. */
  buffered: number;
  containerEvents: number;
  containerStops: number;
  refuels: number;
  garbageSent: number;
  duplicatesSent: number;
  clockSkewed: number;
  storms: number;
  lastError?: string;
}

// Chaos draws from its own stream, so enabling it does not change the trucks' routes.
const CHAOS_STREAM = 0x0c4a05;
const LINK_STREAM = 1_000_000;
const PROGRESS_EVERY_MS = 1_000;

/**
 * Drives one truck per device for `durationS` of wall-clock time (fix times are real times: the
 * gateway refuses records from the future), then waits for the buffers to drain and disconnects.
 */
export async function runSimulation(
  network: RoadNetwork,
  devices: readonly DeviceCredential[],
  options: SimulationOptions,
  hooks: SimulationHooks = {},
): Promise<SimulationSummary> {
  const intervalMs = 1000 / options.rateHz;
  const startMs = Date.now();
  const endMs = startMs + options.durationS * 1000;
  const chaos = createChaos(
    options.chaos,
    createRandom(deriveSeed(options.seed, CHAOS_STREAM)),
    startMs,
    options.chaosRates ?? DEFAULT_CHAOS_RATES,
  );
  const trucks = devices.map((device, index) => {
    const seed = deriveSeed(options.seed, index);
    // Trackers are not synchronised: each reports at its own phase within the interval.
    const phaseMs = createRandom(seed ^ 0x5eed)() * intervalMs;
    return new VirtualTruck(network, {
      seed,
      startTimeMs: startMs + phaseMs,
      intervalMs,
      lastSeq: device.lastSeq,
      resumeAt: device.lastPosition,
    });
  });
  const links = devices.map(
    (device, index) =>
      new TrackerLink({
        ...options.link,
        url: options.mqttUrl,
        deviceId: device.deviceId,
        secret: device.secret,
        random: createRandom(deriveSeed(options.seed, LINK_STREAM + index)),
        chaos,
      }),
  );
  // Spread the first connections: each costs the gateway one scrypt verification.
  const spreadMs = Math.min(5_000, devices.length * 10);
  links.forEach((link, index) => link.start((index * spreadMs) / Math.max(1, links.length)));

  const progress = (): FleetProgress => {
    const p: FleetProgress = {
      elapsedS: (Date.now() - startMs) / 1000,
      vehicles: links.length,
      connected: 0,
      generated: 0,
      acknowledged: 0,
      buffered: 0,
      dropped: 0,
      refused: 0,
      errors: 0,
    };
    for (const link of links) {
      if (link.isConnected) p.connected++;
      p.generated += link.stats.generated;
      p.acknowledged += link.stats.acknowledged;
      p.buffered += link.bufferedRecords;
      p.dropped += link.stats.dropped;
      p.refused += link.stats.refused;
      p.errors += link.stats.errors;
    }
    return p;
  };
  const progressTimer = setInterval(() => hooks.onProgress?.(progress()), PROGRESS_EVERY_MS);

  try {
    await drive();
    await drain();
  } finally {
    clearInterval(progressTimer);
    await Promise.all(links.map((link) => link.close(2_000)));
  }
  const last = progress();
  hooks.onProgress?.(last);
  return summarize(last);

  function drive(): Promise<void> {
    return new Promise((resolve) => {
      const tick = (): void => {
        const now = Date.now();
        const until = Math.min(now, endMs);
        for (let i = 0; i < trucks.length; i++) {
          const truck = trucks[i] as VirtualTruck;
          const link = links[i] as TrackerLink;
          while (truck.nextFixTimeMs <= until && truck.nextFixTimeMs < endMs) {
            link.enqueue(chaos.onRecord(truck.nextFix()));
          }
        }
        if (chaos.isStormDue(now)) for (const link of links) link.dropConnection();
        if (now >= endMs || hooks.stopDriving?.aborted) {
          clearInterval(timer);
          resolve();
        }
      };
      const timer = setInterval(tick, Math.min(200, Math.max(20, intervalMs / 2)));
      tick();
    });
  }

  async function drain(): Promise<void> {
    const deadline = Date.now() + options.drainTimeoutS * 1000;
    while (Date.now() < deadline && !hooks.stopDraining?.aborted) {
      if (links.every((link) => link.bufferedRecords === 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  function summarize(p: FleetProgress): SimulationSummary {
    const sum = (pick: (link: TrackerLink) => number): number => links.reduce((n, link) => n + pick(link), 0);
    const truckSum = (pick: (truck: VirtualTruck) => number): number =>
      trucks.reduce((n, truck) => n + pick(truck), 0);
    const lastError = links.map((link) => link.stats.lastError).find(Boolean);
    return {
      complete: p.acknowledged === p.generated,
      vehicles: links.length,
      rateHz: options.rateHz,
      durationS: options.durationS,
      seed: options.seed,
      chaos: [...options.chaos],
      network: { source: network.source, nodes: network.nodeCount, edges: network.edgeCount },
      mqttUrl: options.mqttUrl,
      elapsedS: Math.round(p.elapsedS * 10) / 10,
      generated: p.generated,
      acknowledged: p.acknowledged,
      buffered: p.buffered,
      dropped: p.dropped,
      publishes: sum((link) => link.stats.publishes),
      connects: sum((link) => link.stats.connects),
      disconnects: sum((link) => link.stats.disconnects),
      refused: p.refused,
      errors: p.errors,
      commandsReceived: sum((link) => link.stats.commandsReceived),
      containerEvents: truckSum((truck) => truck.stats.containerEvents),
      containerStops: truckSum((truck) => truck.stats.containerStops),
      refuels: truckSum((truck) => truck.stats.refuels),
      garbageSent: chaos.stats.garbageSent,
      duplicatesSent: chaos.stats.duplicatesSent,
      clockSkewed: chaos.stats.clockSkewed,
      storms: chaos.stats.storms,
      ...(lastError ? { lastError } : {}),
    };
  }
}
