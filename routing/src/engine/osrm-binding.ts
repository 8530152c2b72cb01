import type {
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

/** The part of the `@project-osrm/osrm` (node-osrm) binding we call. */
interface OsrmBinding {
  route(options: object, callback: (error: Error | null, result: unknown) => void): void;
  table(options: object, callback: (error: Error | null, result: unknown) => void): void;
  nearest(options: object, callback: (error: Error | null, result: unknown) => void): void;
  match(options: object, callback: (error: Error | null, result: unknown) => void): void;
}

const BINDING_PACKAGE = '@project-osrm/osrm';

/**
 * Loads the node-osrm binding when it is installed (it downloads its binaries at install time,
 * which these machines cannot, so it is optional and never a dependency). Undefined when absent.
 */
export async function loadOsrmBinding(dataPath: string): Promise<RoutingEngine | undefined> {
  let module: { default?: new (options: object) => OsrmBinding };
  try {
    // A variable specifier: the package is optional, so nothing may resolve it at build time.
    const specifier: string = BINDING_PACKAGE;
    module = (await import(specifier)) as typeof module;
  } catch {
    return undefined;
  }
  const Osrm = module.default;
  if (!Osrm) return undefined;
  return new OsrmBindingBackend(new Osrm({ path: dataPath, algorithm: 'MLD' }));
}

/** Our parsed requests passed to the binding, whose options carry OSRM's own names. */
class OsrmBindingBackend implements RoutingEngine {
  constructor(private readonly osrm: OsrmBinding) {}

  route(request: RouteRequest): Promise<RouteResponse | OsrmError> {
    return this.call('route', request, {
      alternatives: request.alternatives,
      steps: request.steps,
      annotations: request.annotations,
      geometries: request.geometries,
      overview: request.overview,
      ...(request.continue_straight !== null ? { continue_straight: request.continue_straight } : {}),
      ...(request.waypoints.length ? { waypoints: request.waypoints } : {}),
    });
  }

  table(request: TableRequest): Promise<TableResponse | OsrmError> {
    return this.call('table', request, {
      ...(request.sources.length ? { sources: request.sources } : {}),
      ...(request.destinations.length ? { destinations: request.destinations } : {}),
      annotations: request.annotations,
      ...(request.fallback_speed !== undefined
        ? { fallback_speed: request.fallback_speed, fallback_coordinate: request.fallback_coordinate }
        : {}),
      scale_factor: request.scale_factor,
    });
  }

  nearest(request: NearestRequest): Promise<NearestResponse | OsrmError> {
    return this.call('nearest', request, { number: request.number });
  }

  match(request: MatchRequest): Promise<MatchResponse | OsrmError> {
    return this.call('match', request, {
      steps: request.steps,
      annotations: request.annotations,
      geometries: request.geometries,
      overview: request.overview,
      gaps: request.gaps,
      tidy: request.tidy,
      ...(request.timestamps.length ? { timestamps: request.timestamps } : {}),
      ...(request.waypoints.length ? { waypoints: request.waypoints } : {}),
    });
  }

  private call<T>(service: keyof OsrmBinding, request: OsrmRequest, options: object): Promise<T | OsrmError> {
    const general = {
      coordinates: request.coordinates,
      ...(request.radiuses.length
        ? { radiuses: request.radiuses.map((r) => (r === Infinity ? null : r)) }
        : {}),
      ...(request.bearings.length
        ? { bearings: request.bearings.map((b) => (b ? [b.value, b.range] : null)) }
        : {}),
      ...(request.exclude.length ? { exclude: request.exclude } : {}),
      generate_hints: request.generate_hints,
    };
    return new Promise((resolve) => {
      this.osrm[service]({ ...general, ...options }, (error, result) => {
        if (error) {
          // node-osrm reports OSRM errors as Error messages "Code: message" (e.g. "NoRoute").
          const [code, ...rest] = error.message.split(':');
          resolve({
            code: (code?.trim() || 'InvalidQuery') as OsrmError['code'],
            message: rest.join(':').trim() || error.message,
          });
        } else {
          resolve({ code: 'Ok', ...(result as object) } as T);
        }
      });
    });
  }
}
