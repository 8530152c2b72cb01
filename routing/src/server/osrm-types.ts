/**
 * OSRM v5 HTTP API (service version `v1`) as TypeScript types: parsed requests, responses, errors and
 * the engine interface the HTTP server calls. Field names are OSRM's (snake_case), so a response object
 * serialises to exactly what OSRM clients (osrm-frontend, VROOM, …) read.
 *
 * Reference: OSRM docs/http.md (v5.24) and osrm-backend `include/engine/api/*_parameters.hpp`.
 */

/** `[longitude, latitude]` in WGS84 degrees, OSRM's order. */
export type LonLat = [lon: number, lat: number];

// ---------------------------------------------------------------------------------------------------
// Errors

/** Every `code` OSRM v5 can answer besides `Ok` (docs/http.md "Responses" plus the service-specific ones). */
export type OsrmErrorCode =
  | 'InvalidUrl'
  | 'InvalidService'
  | 'InvalidVersion'
  | 'InvalidOptions'
  | 'InvalidQuery'
  | 'InvalidValue'
  | 'NoSegment'
  | 'TooBig'
  | 'NoRoute'
  | 'NoTable'
  | 'NoMatch'
  | 'NoTrips'
  | 'NotImplemented';

/**
 * OSRM's error body. osrm-routed answers every one of these with HTTP 400 (request_handler.cpp: any
 * status other than Ok is `bad_request`), including the engine's NoRoute/NoSegment/NoTable/NoMatch.
 */
export interface OsrmError {
  code: OsrmErrorCode;
  message: string;
}

// ---------------------------------------------------------------------------------------------------
// Requests (already parsed and validated by parse-request.ts)

export type OsrmService = 'route' | 'table' | 'nearest' | 'match';

/** `bearings={value},{range}`: value 0..360, range 0..180 degrees clockwise from true north. */
export interface Bearing {
  value: number;
  range: number;
}

export type Approach = 'unrestricted' | 'curb';
export type Snapping = 'default' | 'any';
export type Geometries = 'polyline' | 'polyline6' | 'geojson';
export type Overview = 'simplified' | 'full' | 'false';
/** Route/match `annotations=`; `true` is parsed as all six, `false` as none. */
export type RouteAnnotation = 'duration' | 'nodes' | 'distance' | 'weight' | 'datasources' | 'speed';
export type TableAnnotation = 'duration' | 'distance';
export type FallbackCoordinate = 'input' | 'snapped';
export type Gaps = 'split' | 'ignore';

/**
 * General options shared by all services. Per-coordinate lists follow OSRM: an empty array means the
 * option was not given; otherwise the list has exactly one entry per coordinate and `null` marks an
 * empty element (`bearings=;90,10` → `[null, {value: 90, range: 10}]`), i.e. "use the default".
 */
export interface BaseRequest {
  /** The `{profile}` path segment. osrm-routed ignores it; our engine may use it to pick a graph. */
  profile: string;
  coordinates: LonLat[];
  bearings: Array<Bearing | null>;
  /** Metres; `unlimited` is `Infinity`. Match reads them as GPS standard deviations (default 5 m). */
  radiuses: Array<number | null>;
  /** Accepted and passed through; the engine may ignore them (OSRM: base64 snapping hints). */
  hints: Array<string | null>;
  approaches: Array<Approach | null>;
  /** Road classes to avoid (`exclude=motorway,ferry`). */
  exclude: string[];
  snapping: Snapping;
  generate_hints: boolean;
  // Our extensions (not OSRM): see README.md "Extensions".
  /** Departure time, unix seconds (UTC), for traffic-aware durations. */
  depart_at?: number;
  /** Vehicle height, metres. */
  vehicle_height?: number;
  /** Vehicle width, metres. */
  vehicle_width?: number;
  /** Vehicle length, metres. */
  vehicle_length?: number;
  /** Gross vehicle weight, tonnes. */
  vehicle_weight?: number;
  /** Axle load, tonnes. */
  vehicle_axleload?: number;
}

export interface RouteRequest extends BaseRequest {
  service: 'route';
  /** Number of alternatives requested; `alternatives=true` is 1, `false` is 0. */
  alternatives: number;
  steps: boolean;
  /** Empty when annotations were not requested; otherwise in the order duration,nodes,distance,weight,datasources,speed. */
  annotations: RouteAnnotation[];
  geometries: Geometries;
  overview: Overview;
  /** `null` = `default`: the profile decides. */
  continue_straight: boolean | null;
  /** Indices of the coordinates that are waypoints (legs end there); empty = all. */
  waypoints: number[];
}

export interface TableRequest extends BaseRequest {
  service: 'table';
  /** Empty = all coordinates. Indices may repeat (OSRM allows it). */
  sources: number[];
  /** Empty = all coordinates. */
  destinations: number[];
  /** Default `['duration']`. */
  annotations: TableAnnotation[];
  /** m/s; absent = no fallback (OSRM's INVALID_FALLBACK_SPEED). */
  fallback_speed?: number;
  fallback_coordinate: FallbackCoordinate;
  /** Multiplies durations; default 1. */
  scale_factor: number;
}

export interface NearestRequest extends BaseRequest {
  service: 'nearest';
  /** Number of nearest segments to return, ≥ 1, default 1. */
  number: number;
}

export interface MatchRequest extends BaseRequest {
  service: 'match';
  steps: boolean;
  annotations: RouteAnnotation[];
  geometries: Geometries;
  overview: Overview;
  /** Empty = every input coordinate is a waypoint. */
  waypoints: number[];
  /** Unix seconds, one per coordinate, or empty. Non-decreasing (validated). */
  timestamps: number[];
  gaps: Gaps;
  tidy: boolean;
}

export type OsrmRequest = RouteRequest | TableRequest | NearestRequest | MatchRequest;

// ---------------------------------------------------------------------------------------------------
// Responses

export interface Waypoint {
  /** Present unless `generate_hints=false`. */
  hint?: string;
  /** Metres from the input coordinate to the snapped location. */
  distance: number;
  /** Name of the street the coordinate snapped to. */
  name: string;
  location: LonLat;
}

export interface NearestWaypoint extends Waypoint {
  /** OSM node ids of the snapped segment's ends (0 where not applicable). */
  nodes: [number, number];
}

export interface Tracepoint extends Waypoint {
  /** Index into `matchings` of the sub-trace this point belongs to. */
  matchings_index: number;
  /** Index of this point among the waypoints of that matching. */
  waypoint_index: number;
  /** Number of probable alternative matchings for this point; 0 = matched unambiguously. */
  alternatives_count: number;
}

export interface GeoJsonLineString {
  type: 'LineString';
  coordinates: LonLat[];
}

/** Encoded polyline (precision 5 or 6, lat/lon order inside) or GeoJSON, per `geometries=`. */
export type Geometry = string | GeoJsonLineString;

export interface Annotation {
  distance?: number[];
  duration?: number[];
  datasources?: number[];
  nodes?: number[];
  weight?: number[];
  speed?: number[];
  metadata?: { datasource_names: string[] };
}

export type ManeuverType =
  | 'turn'
  | 'new name'
  | 'depart'
  | 'arrive'
  | 'merge'
  | 'ramp'
  | 'on ramp'
  | 'off ramp'
  | 'fork'
  | 'end of road'
  | 'use lane'
  | 'continue'
  | 'roundabout'
  | 'rotary'
  | 'roundabout turn'
  | 'notification'
  | 'exit roundabout'
  | 'exit rotary';

export type ManeuverModifier =
  'uturn' | 'sharp right' | 'right' | 'slight right' | 'straight' | 'slight left' | 'left' | 'sharp left';

export interface StepManeuver {
  location: LonLat;
  /** 0..359 */
  bearing_before: number;
  /** 0..359 */
  bearing_after: number;
  type: ManeuverType;
  modifier?: ManeuverModifier;
  /** Roundabout/rotary exit number. */
  exit?: number;
}

export interface Lane {
  indications: Array<ManeuverModifier | 'none'>;
  valid: boolean;
}

export interface Intersection {
  location: LonLat;
  bearings: number[];
  classes?: string[];
  entry: boolean[];
  /** Index into bearings/entry of the road we come from; absent on depart. */
  in?: number;
  /** Index into bearings/entry of the road we leave by; absent on arrive. */
  out?: number;
  lanes?: Lane[];
}

export interface RouteStep {
  distance: number;
  duration: number;
  weight: number;
  geometry: Geometry;
  name: string;
  ref?: string;
  pronunciation?: string;
  destinations?: string;
  exits?: string;
  mode: string;
  maneuver: StepManeuver;
  intersections: Intersection[];
  rotary_name?: string;
  rotary_pronunciation?: string;
  driving_side?: 'left' | 'right';
}

export interface RouteLeg {
  distance: number;
  duration: number;
  weight: number;
  summary: string;
  /** Empty unless `steps=true`. */
  steps: RouteStep[];
  /** Present when annotations were requested. */
  annotation?: Annotation;
}

export interface Route {
  /** Metres. */
  distance: number;
  /** Seconds. */
  duration: number;
  weight: number;
  weight_name: string;
  /** Absent when `overview=false`. */
  geometry?: Geometry;
  legs: RouteLeg[];
}

export interface MatchRoute extends Route {
  /** 0..1 */
  confidence: number;
}

interface OkResponse {
  code: 'Ok';
  /** Timestamp of the OSM data, when known. */
  data_version?: string;
}

export interface RouteResponse extends OkResponse {
  waypoints: Waypoint[];
  routes: Route[];
}

export interface TableResponse extends OkResponse {
  /** Seconds, `durations[i][j]` from sources[i] to destinations[j]; null = no route. */
  durations?: Array<Array<number | null>>;
  /** Metres, same layout. */
  distances?: Array<Array<number | null>>;
  sources: Waypoint[];
  destinations: Waypoint[];
  /** `[row, column]` of cells estimated with `fallback_speed`; absent when it was not used. */
  fallback_speed_cells?: Array<[number, number]>;
}

export interface NearestResponse extends OkResponse {
  waypoints: NearestWaypoint[];
}

export interface MatchResponse extends OkResponse {
  matchings: MatchRoute[];
  /** One per input coordinate; `null` for points dropped as outliers. */
  tracepoints: Array<Tracepoint | null>;
}

// ---------------------------------------------------------------------------------------------------
// Engine and limits

/**
 * What the HTTP server needs from a routing engine. Requests arrive parsed and past OSRM's request
 * guards (syntax, option consistency, coordinate ranges, size limits), so an implementation starts
 * at snapping and answers NoSegment/NoRoute/NoTable/NoMatch (or NotImplemented) itself.
 * A thrown error or rejected promise becomes a generic HTTP 500.
 */
export interface RoutingEngine {
  route(request: RouteRequest): Promise<RouteResponse | OsrmError>;
  table(request: TableRequest): Promise<TableResponse | OsrmError>;
  nearest(request: NearestRequest): Promise<NearestResponse | OsrmError>;
  match(request: MatchRequest): Promise<MatchResponse | OsrmError>;
}

/**
 * Request size limits, named after osrm-routed's flags and with its defaults. Like osrm-routed, a
 * value ≤ 0 means unlimited — except `maxAlternatives`, where 0 forbids alternatives and a negative
 * value means unlimited (viaroute.cpp compares it as unsigned).
 */
export interface OsrmLimits {
  /** `--max-viaroute-size` (500): coordinates in a route request. */
  maxViarouteSize: number;
  /** `--max-table-size` (100): sources × destinations may not exceed its square. */
  maxTableSize: number;
  /** `--max-matching-size` (100): coordinates in a match request. */
  maxMatchingSize: number;
  /** `--max-nearest-size` (100): the `number` of a nearest request. */
  maxNearestSize: number;
  /** `--max-alternatives` (3). */
  maxAlternatives: number;
  /** `--max-matching-radius` (-1, unlimited): metres, for match `radiuses`. */
  maxMatchingRadius: number;
}
