import type { FactEngine } from '../fact-engine.js';
import { fixAt } from './track.js';
import type { TruckDay } from './truck-day.js';

/**
 * Feeds a generated day into the engine the way the gateway would deliver it: fixes and lift events
 * merged in time order (`order` may permute the fix indices to simulate late delivery), then the
 * driver reports and weighbridge tickets (synced later, as from the offline driver app).
 */
export function replayTruckDay(engine: FactEngine, day: TruckDay, order?: ArrayLike<number>): void {
  const { track, containerEvents, vehicleId } = day;
  let e = 0;
  for (let k = 0; k < track.length; k++) {
    const i = order ? (order[k] as number) : k;
    const timeMs = track.timeMs[i] as number;
    while (e < containerEvents.length && (containerEvents[e]!.timeMs as number) <= timeMs) {
      engine.pushContainerEvent(vehicleId, containerEvents[e++]!);
    }
    engine.pushFix(vehicleId, fixAt(track, i));
  }
  while (e < containerEvents.length) engine.pushContainerEvent(vehicleId, containerEvents[e++]!);
  engine.flushVehicle(vehicleId);
  for (const report of day.driverReports) engine.pushDriverReport(report);
  for (const ticket of day.tickets) engine.pushWeighbridgeTicket(ticket);
}
