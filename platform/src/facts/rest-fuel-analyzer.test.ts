import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRandom, gaussian } from '../../../firmware-sim/src/prng.js';
import { RestFuelAnalyzer, type RestFuelChange } from './rest-fuel-analyzer.js';

interface RestSeries {
  seed: number;
  seconds: number;
  noiseL: number;
  spikeChance: number;
  ignition: boolean;
  /** True level at second s. */
  level: (second: number) => number;
}

function analyze(series: RestSeries, idleLPerHour = 3): RestFuelChange[] {
  const changes: RestFuelChange[] = [];
  const analyzer = new RestFuelAnalyzer((change) => changes.push(change), idleLPerHour);
  const random = createRandom(series.seed);
  analyzer.reset(0);
  for (let s = 0; s < series.seconds; s++) {
    let reading = series.level(s) + series.noiseL * gaussian(random);
    if (random() < series.spikeChance) reading += random() < 0.5 ? -25 : 25;
    analyzer.push(s * 1000, reading, series.ignition);
  }
  analyzer.finish();
  return changes;
}

const ramp = (from: number, startS: number, lPerMin: number, litres: number) => (s: number) =>
  from + Math.sign(lPerMin) * Math.min(litres, Math.max(0, ((s - startS) * Math.abs(lPerMin)) / 60));

const noise = {
  seed: fc.integer(),
  noiseL: fc.double({ min: 0, max: 1, noNaN: true }),
  spikeChance: fc.double({ min: 0, max: 0.003, noNaN: true }),
};

describe('RestFuelAnalyzer', () => {
  // Within 5 %, or 1 L for small amounts (filtered sensor noise is about ±0.5 L).
  const close = (measured: number, truth: number): boolean =>
    Math.abs(measured - truth) <= Math.max(0.05 * truth, 1);

  it('finds a refuel at the pump and measures it within 5 %', () => {
    fc.assert(
      fc.property(
        fc.record({
          ...noise,
          litres: fc.integer({ min: 15, max: 200 }),
          // The first 15 s of a rest are skipped (slosh): at least 15 s of level before the pump starts,
          // as when a driver stops, gets out and opens the tank.
          startS: fc.integer({ min: 30, max: 120 }),
        }),
        (p) => {
          const changes = analyze({
            ...p,
            seconds: p.startS + Math.ceil((p.litres / 50) * 60) + 90,
            ignition: false,
            level: ramp(60, p.startS, 50, p.litres),
          });
          expect(changes).toHaveLength(1);
          const change = changes[0] as RestFuelChange;
          expect(change.kind).toBe('refuel');
          expect(close(change.litres, p.litres)).toBe(true);
          expect(Math.abs(change.startMs / 1000 - p.startS)).toBeLessThanOrEqual(40);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('finds a drain while parked, slow or fast, and measures it within 5 %', () => {
    fc.assert(
      fc.property(
        fc.record({
          ...noise,
          litres: fc.integer({ min: 15, max: 80 }),
          lPerMin: fc.double({ min: 2, max: 15, noNaN: true }),
        }),
        (p) => {
          const changes = analyze({
            ...p,
            seconds: 300 + Math.ceil((p.litres / p.lPerMin) * 60) + 300,
            ignition: false,
            level: ramp(180, 300, -p.lPerMin, p.litres),
          });
          expect(changes.map((c) => c.kind)).toEqual(['drain']);
          expect(close((changes[0] as RestFuelChange).litres, p.litres)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a slow drain (1 L/min) is found as one, within 10 %', () => {
    const changes = analyze({
      seed: 3,
      seconds: 3600,
      noiseL: 0.7,
      spikeChance: 0.001,
      ignition: false,
      level: ramp(180, 300, -1, 30),
    });
    expect(changes.map((c) => c.kind)).toEqual(['drain']);
    expect(Math.abs((changes[0] as RestFuelChange).litres - 30)).toBeLessThan(3);
  });

  it('idling for hours at the norm, with noise and spikes, is neither refuel nor drain', () => {
    fc.assert(
      fc.property(fc.record({ ...noise, hours: fc.double({ min: 0.2, max: 6, noNaN: true }) }), (p) => {
        const changes = analyze({
          ...p,
          seconds: Math.round(p.hours * 3600),
          ignition: true,
          level: (s) => 150 - (3 * s) / 3600,
        });
        expect(changes).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });

  it('reports a drain still under way when the rest ends', () => {
    const changes = analyze({
      seed: 1,
      seconds: 400,
      noiseL: 0.3,
      spikeChance: 0,
      ignition: false,
      level: ramp(100, 200, -10, 1000),
    });
    expect(changes.map((c) => c.kind)).toEqual(['drain']);
    expect((changes[0] as RestFuelChange).litres).toBeGreaterThan(25);
  });
});
