import type {
  BaseRequest,
  MatchRequest,
  MatchResponse,
  NearestRequest,
  NearestResponse,
  OsrmError,
  OsrmRequest,
  RouteRequest,
  RouteResponse,
  RoutingEngine,
  TableRequest,
  TableResponse,
} from '../server/osrm-types.js';

/**
 * A real OSRM behind our API (`ROUTING_BACKEND=osrm`): each parsed request is written back as an
 * OSRM v1 URL and sent to `osrm-routed` at OSRM_URL. Our extensions (departure time, vehicle
 * dimensions) are not OSRM's: requests using them are refused rather than silently ignored.
 */
export class OsrmHttpBackend implements RoutingEngine {
  constructor(private readonly baseUrl: string) {}

  route(request: RouteRequest): Promise<RouteResponse | OsrmError> {
    return this.forward<RouteResponse>(request, {
      alternatives: String(request.alternatives > 0 ? request.alternatives : false),
      steps: String(request.steps),
      geometries: request.geometries,
      overview: request.overview,
      ...(request.annotations.length ? { annotations: request.annotations.join(',') } : {}),
      ...(request.continue_straight !== null ? { continue_straight: String(request.continue_straight) } : {}),
      ...(request.waypoints.length ? { waypoints: request.waypoints.join(';') } : {}),
    });
  }

  table(request: TableRequest): Promise<TableResponse | OsrmError> {
    return this.forward<TableResponse>(request, {
      ...(request.sources.length ? { sources: request.sources.join(';') } : {}),
      ...(request.destinations.length ? { destinations: request.destinations.join(';') } : {}),
      annotations: request.annotations.join(','),
      ...(request.fallback_speed !== undefined
        ? { fallback_speed: String(request.fallback_speed), fallback_coordinate: request.fallback_coordinate }
        : {}),
      ...(request.scale_factor !== 1 ? { scale_factor: String(request.scale_factor) } : {}),
    });
  }

  nearest(request: NearestRequest): Promise<NearestResponse | OsrmError> {
    return this.forward<NearestResponse>(request, { number: String(request.number) });
  }

  match(request: MatchRequest): Promise<MatchResponse | OsrmError> {
    return this.forward<MatchResponse>(request, {
      steps: String(request.steps),
      geometries: request.geometries,
      overview: request.overview,
      gaps: request.gaps,
      tidy: String(request.tidy),
      ...(request.timestamps.length ? { timestamps: request.timestamps.join(';') } : {}),
      ...(request.annotations.length ? { annotations: request.annotations.join(',') } : {}),
      ...(request.waypoints.length ? { waypoints: request.waypoints.join(';') } : {}),
    });
  }

  private async forward<T>(
    request: OsrmRequest,
    serviceOptions: Record<string, string>,
  ): Promise<T | OsrmError> {
    if (usesExtensions(request)) {
      return {
        code: 'NotImplemented',
        message:
          'depart_at and vehicle_* are extensions of the embedded engine; the OSRM backend cannot honour them',
      };
    }
    const url = `${this.baseUrl.replace(/\/$/, '')}/${request.service}/v1/${request.profile}/${request.coordinates
      .map(([lon, lat]) => `${lon},${lat}`)
      .join(';')}?${new URLSearchParams({ ...generalOptions(request), ...serviceOptions })}`;
    const response = await fetch(url);
    return (await response.json()) as T | OsrmError;
  }
}

function usesExtensions(request: BaseRequest): boolean {
  return (
    request.depart_at !== undefined ||
    request.vehicle_height !== undefined ||
    request.vehicle_width !== undefined ||
    request.vehicle_length !== undefined ||
    request.vehicle_weight !== undefined ||
    request.vehicle_axleload !== undefined
  );
}

function generalOptions(request: BaseRequest): Record<string, string> {
  const list = <T>(values: (T | null)[], format: (value: T) => string): string | undefined =>
    values.length ? values.map((v) => (v === null ? '' : format(v))).join(';') : undefined;
  const options: Record<string, string | undefined> = {
    bearings: list(request.bearings, (b) => `${b.value},${b.range}`),
    radiuses: list(request.radiuses, (r) => (r === Infinity ? 'unlimited' : String(r))),
    approaches: list(request.approaches, (a) => a),
    ...(request.exclude.length ? { exclude: request.exclude.join(',') } : {}),
    ...(request.snapping !== 'default' ? { snapping: request.snapping } : {}),
    generate_hints: String(request.generate_hints),
  };
  return Object.fromEntries(
    Object.entries(options).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
