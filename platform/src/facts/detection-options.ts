import { DEFAULT_FUEL_OPTIONS, type FuelDetectionOptions } from './rest-fuel-analyzer.js';
import { DEFAULT_STOP_OPTIONS, type StopDetectorOptions } from './stop-detector.js';
import type { FuelNorm } from './types.js';

export interface DetectionOptions {
  /** How far back in event time records may arrive out of order, ms. */
  reorderWindowMs: number;
  stop: StopDetectorOptions;
  fuel: FuelDetectionOptions;
  /** Lift events this close before a rest or after it belong to it (clocks, the last lift), ms. */
  liftSlackMs: number;
  /** A stop in a site's geofence without lift events is a fact only from this long on, ms. */
  siteDwellMs: number;
  /** A stop in a facility's geofence is an unloading from this long on, ms. */
  unloadMinMs: number;
  /** Lift events outside any stop this far apart belong to different visits, ms. */
  orphanLiftGapMs: number;
  /** Slack added to every geofence for the error of the stop position, metres. */
  geofenceToleranceM: number;
  /** A driver report matches a visit of the same vehicle and site this far from it in time, ms. */
  driverMatchMs: number;
  /** A weighbridge ticket matches an unloading this far from it in time, ms. */
  ticketMatchMs: number;
  /** Fuel norm of a vehicle without one of its own. */
  defaultNorm: FuelNorm;
}

export const DEFAULT_DETECTION_OPTIONS: DetectionOptions = {
  reorderWindowMs: 120_000,
  stop: DEFAULT_STOP_OPTIONS,
  fuel: DEFAULT_FUEL_OPTIONS,
  liftSlackMs: 30_000,
  siteDwellMs: 120_000,
  unloadMinMs: 5 * 60_000,
  orphanLiftGapMs: 3 * 60_000,
  geofenceToleranceM: 10,
  driverMatchMs: 20 * 60_000,
  ticketMatchMs: 60 * 60_000,
  // A rear loader in town (cf. firmware-sim): about 40 L/100 km loaded, less empty.
  defaultNorm: { emptyLPer100Km: 38, loadedLPer100Km: 46, idleLPerHour: 3 },
};

export type DetectionOptionsInput = Partial<Omit<DetectionOptions, 'stop' | 'fuel'>> & {
  stop?: Partial<StopDetectorOptions>;
  fuel?: Partial<FuelDetectionOptions>;
};

export function resolveDetectionOptions(input: DetectionOptionsInput = {}): DetectionOptions {
  return {
    ...DEFAULT_DETECTION_OPTIONS,
    ...input,
    stop: { ...DEFAULT_STOP_OPTIONS, ...input.stop },
    fuel: { ...DEFAULT_FUEL_OPTIONS, ...input.fuel },
  };
}
