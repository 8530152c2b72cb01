import type {
  Approach,
  BaseRequest,
  Bearing,
  FallbackCoordinate,
  Gaps,
  Geometries,
  LonLat,
  MatchRequest,
  NearestRequest,
  OsrmError,
  OsrmErrorCode,
  OsrmLimits,
  OsrmRequest,
  Overview,
  RouteAnnotation,
  RouteRequest,
  Snapping,
  TableAnnotation,
  TableRequest,
} from './osrm-types.js';
import { decodePolyline, type PolylinePrecision } from './polyline.js';

/**
 * URL → parsed OSRM request, or the OSRM error osrm-routed would answer. Three stages, as in OSRM:
 *
 * 1. `request_handler.cpp` + `url_parser.cpp`: percent-decode the whole URL, split
 *    `/{service}/v{version}/{profile}/{query}` (InvalidUrl), look up the service (InvalidService) and
 *    version (InvalidVersion).
 * 2. `server/service/*_service.cpp`: the Spirit grammar of `*_parameters_grammar.hpp` (InvalidQuery,
 *    "Query string malformed close to position N") then `*Parameters::IsValid()` with the message of
 *    `getWrongOptionHelp` (InvalidOptions).
 * 3. `engine/plugins/*.cpp`: each plugin's guard clauses before snapping — size limits (TooBig) and
 *    coordinate/value checks (InvalidValue/InvalidOptions) — in the plugin's order.
 *
 * What is left for the engine starts at snapping: NoSegment, NoRoute, NoTable, NoMatch.
 */

/** osrm-routed's defaults (src/tools/routed.cpp). */
export const DEFAULT_OSRM_LIMITS: Readonly<OsrmLimits> = Object.freeze({
  maxViarouteSize: 500,
  maxTableSize: 100,
  maxMatchingSize: 100,
  maxNearestSize: 100,
  maxAlternatives: 3,
  maxMatchingRadius: -1,
});

/** Services osrm-routed knows; trip and tile are recognised but not implemented here. */
const KNOWN_SERVICES: ReadonlySet<string> = new Set(['route', 'table', 'nearest', 'match', 'trip', 'tile']);
const SERVICE_VERSION = 1;

export function parseRequest(
  url: string,
  limits: Readonly<OsrmLimits> = DEFAULT_OSRM_LIMITS,
): OsrmRequest | OsrmError {
  const decoded = uriDecode(url);
  const parsedUrl = parseUrl(decoded);
  if (!('query' in parsedUrl)) return parsedUrl;
  const { service, version, profile, query, prefixLength } = parsedUrl;

  // service_handler.cpp: the same message for an unknown service and an unknown version.
  if (!KNOWN_SERVICES.has(service)) return osrmError('InvalidService', `Service ${service} not found!`);
  if (version !== SERVICE_VERSION) return osrmError('InvalidVersion', `Service ${service} not found!`);

  switch (service) {
    case 'route':
      return parseRoute(profile, query, prefixLength, limits);
    case 'table':
      return parseTable(profile, query, prefixLength, limits);
    case 'nearest':
      return parseNearest(profile, query, prefixLength, limits);
    case 'match':
      return parseMatch(profile, query, prefixLength, limits);
    default:
      return osrmError('NotImplemented', `Service ${service} is not implemented.`);
  }
}

export function isOsrmError(value: OsrmRequest | OsrmError): value is OsrmError {
  return 'code' in value;
}

function osrmError(code: OsrmErrorCode, message: string): OsrmError {
  return { code, message };
}

// ---------------------------------------------------------------------------------------------------
// Stage 1: URL (util/string_util.hpp URIDecode, server/api/url_parser.cpp)

/** OSRM's URIDecode: `%XX` with two hex digits becomes that byte; anything else (including '+') stays. */
function uriDecode(input: string): string {
  let out = '';
  let run = 0;
  let i = input.indexOf('%');
  while (i !== -1) {
    if (isHexDigit(input.charCodeAt(i + 1)) && isHexDigit(input.charCodeAt(i + 2))) {
      out += input.slice(run, i) + String.fromCharCode(parseInt(input.slice(i + 1, i + 3), 16));
      run = i + 3;
      i = input.indexOf('%', run);
    } else {
      i = input.indexOf('%', i + 1);
    }
  }
  return run === 0 ? input : out + input.slice(run);
}

interface ParsedUrl {
  service: string;
  version: number;
  profile: string;
  /** Everything after the profile's slash, percent sequences decoded once more (url_parser.cpp). */
  query: string;
  /** Length of `/{service}/v{version}/{profile}/` in the decoded URL; query positions add it. */
  prefixLength: number;
}

function parseUrl(s: string): ParsedUrl | OsrmError {
  if (s.charCodeAt(0) !== SLASH) return invalidUrl(s, 0);
  let pos = 1;

  const serviceEnd = scanWhile(s, pos, isIdentifierChar);
  if (serviceEnd === pos) return invalidUrl(s, pos);
  const service = s.slice(pos, serviceEnd);
  pos = serviceEnd;

  if (s.charCodeAt(pos) !== SLASH) return invalidUrl(s, pos);
  pos++;
  if (s[pos] !== 'v') return invalidUrl(s, pos);
  pos++;
  const versionEnd = scanWhile(s, pos, isDigit);
  const version = Number(s.slice(pos, versionEnd));
  // qi::uint_: at least one digit, fits 32 bits.
  if (versionEnd === pos || version > UINT32_MAX) return invalidUrl(s, pos);
  pos = versionEnd;

  if (s.charCodeAt(pos) !== SLASH) return invalidUrl(s, pos);
  pos++;
  const profileEnd = scanWhile(s, pos, isIdentifierChar);
  if (profileEnd === pos) return invalidUrl(s, pos);
  const profile = s.slice(pos, profileEnd);
  pos = profileEnd;

  if (s.charCodeAt(pos) !== SLASH) return invalidUrl(s, pos);
  pos++;
  const prefixLength = pos;

  let query = '';
  let run = pos;
  while (pos < s.length) {
    const c = s.charCodeAt(pos);
    if (isQueryChar(c)) {
      pos++;
      continue;
    }
    if (c !== PERCENT) break;
    // percent_encoding = '%' > two hex digits: an expectation, so it fails right after the '%'.
    if (!isHexDigit(s.charCodeAt(pos + 1)) || !isHexDigit(s.charCodeAt(pos + 2))) {
      return invalidUrl(s, pos + 1);
    }
    query += s.slice(run, pos) + String.fromCharCode(parseInt(s.slice(pos + 1, pos + 3), 16));
    pos += 3;
    run = pos;
  }
  query += s.slice(run, pos);
  if (query.length === 0 || pos !== s.length) return invalidUrl(s, pos);
  return { service, version, profile, query, prefixLength };
}

function invalidUrl(s: string, position: number): OsrmError {
  const context = s.slice(Math.max(0, position - 3), Math.min(position + 3, s.length));
  return osrmError('InvalidUrl', `URL string malformed close to position ${position}: "${context}"`);
}

// ---------------------------------------------------------------------------------------------------
// Stage 2a: the query grammar (server/api/*_parameters_grammar.hpp)

/** A Spirit expectation failure (`a > b` where b did not match): reported at `position`. */
class ExpectationFailure {
  constructor(readonly position: number) {}
}

/**
 * A semantic action threw (a coordinate beyond the 32-bit fixed-point range: boost bad_numeric_cast).
 * Spirit leaves the iterator where parsing started, so OSRM reports the query's first position.
 */
class SemanticFailure {}

/**
 * Spirit-style scanner. Each `try` method either consumes its token and returns it, or returns
 * `undefined` and leaves `pos` untouched (soft failure, so alternatives can be tried). `expect*`
 * turns a soft failure into an ExpectationFailure at the current position.
 */
class QueryScanner {
  pos = 0;

  constructor(readonly s: string) {}

  lit(text: string): boolean {
    if (!this.s.startsWith(text, this.pos)) return false;
    this.pos += text.length;
    return true;
  }

  expectLit(text: string): void {
    if (!this.lit(text)) throw new ExpectationFailure(this.pos);
  }

  expect<T>(value: T | undefined): T {
    if (value === undefined) throw new ExpectationFailure(this.pos);
    return value;
  }

  /** qi::symbols: the longest of `options` that matches here. */
  symbol<T extends string>(options: readonly T[]): T | undefined {
    let best: T | undefined;
    for (const option of options) {
      if (this.s.startsWith(option, this.pos) && (best === undefined || option.length > best.length)) {
        best = option;
      }
    }
    if (best !== undefined) this.pos += best.length;
    return best;
  }

  /** qi::bool_: exactly `true` or `false`. */
  bool(): boolean | undefined {
    if (this.lit('true')) return true;
    if (this.lit('false')) return false;
    return undefined;
  }

  /** qi::uint_ (unsigned 32-bit): digits only, overflow fails. */
  uint32(): number | undefined {
    const end = scanWhile(this.s, this.pos, isDigit);
    if (end === this.pos) return undefined;
    const value = Number(this.s.slice(this.pos, end));
    if (value > UINT32_MAX) return undefined;
    this.pos = end;
    return value;
  }

  /** qi::ulong_long (std::size_t): digits only, overflow of 64 bits fails. */
  sizeT(): number | undefined {
    const end = scanWhile(this.s, this.pos, isDigit);
    if (end === this.pos) return undefined;
    const digits = this.s.slice(this.pos, end);
    if (BigInt(digits) > UINT64_MAX) return undefined;
    this.pos = end;
    // Beyond 2^53 the value is rounded, but any such index is out of range anyway.
    return Number(digits);
  }

  /** qi::short_: optional sign, digits, 16-bit range. */
  short(): number | undefined {
    let i = this.pos;
    if (this.s[i] === '+' || this.s[i] === '-') i++;
    const end = scanWhile(this.s, i, isDigit);
    if (end === i) return undefined;
    const value = Number(this.s.slice(this.pos, end));
    if (value < -32768 || value > 32767) return undefined;
    this.pos = end;
    return value;
  }

  /**
   * OSRM's `double_` for coordinates and table/extension numbers: qi real parser with
   * `no_trailing_dot_policy<'j','s','o','n'>` — sign and leading/trailing dots allowed, no exponent,
   * no nan/inf, and a dot followed by `json` is left for the `.json` format suffix.
   */
  jsonDouble(): number | undefined {
    const s = this.s;
    let i = this.pos;
    if (s[i] === '+' || s[i] === '-') i++;
    const intEnd = scanWhile(s, i, isDigit);
    const hasInt = intEnd > i;
    i = intEnd;
    let hasFraction = false;
    if (s[i] === '.' && !(hasInt && s.startsWith('json', i + 1))) {
      const fractionEnd = scanWhile(s, i + 1, isDigit);
      if (fractionEnd > i + 1) {
        hasFraction = true;
        i = fractionEnd;
      } else if (hasInt) {
        i++; // trailing dot: "4."
      }
    }
    if (!hasInt && !hasFraction) return undefined;
    const value = Number(s.slice(this.pos, i));
    if (!Number.isFinite(value)) return undefined;
    this.pos = i;
    return value;
  }

  /** qi::double_ with default policies (radiuses): exponent, `nan`, `inf`/`infinity` accepted. */
  stdDouble(): number | undefined {
    const s = this.s;
    let i = this.pos;
    let sign = 1;
    if (s[i] === '+' || s[i] === '-') {
      if (s[i] === '-') sign = -1;
      i++;
    }
    const lower = s.slice(i, i + 8).toLowerCase();
    if (lower.startsWith('nan')) {
      this.pos = i + 3;
      return Number.NaN;
    }
    if (lower.startsWith('inf')) {
      this.pos = i + (lower === 'infinity' ? 8 : 3);
      return sign * Number.POSITIVE_INFINITY;
    }
    const intEnd = scanWhile(s, i, isDigit);
    const hasInt = intEnd > i;
    i = intEnd;
    let hasFraction = false;
    if (s[i] === '.') {
      const fractionEnd = scanWhile(s, i + 1, isDigit);
      if (fractionEnd > i + 1) {
        hasFraction = true;
        i = fractionEnd;
      } else if (hasInt) {
        i++;
      }
    }
    if (!hasInt && !hasFraction) return undefined;
    if (s[i] === 'e' || s[i] === 'E') {
      let j = i + 1;
      if (s[j] === '+' || s[j] === '-') j++;
      const exponentEnd = scanWhile(s, j, isDigit);
      if (exponentEnd > j) i = exponentEnd;
    }
    const value = Number(s.slice(this.pos, i));
    this.pos = i;
    return value;
  }

  /** `+char_(set)`: one or more characters of a class. */
  token(isMember: (code: number) => boolean): string | undefined {
    const end = scanWhile(this.s, this.pos, isMember);
    if (end === this.pos) return undefined;
    const token = this.s.slice(this.pos, end);
    this.pos = end;
    return token;
  }

  /** `element % separator`: one or more; a separator not followed by an element is given back. */
  list<T>(element: () => T | undefined, separator: string): T[] | undefined {
    const first = element();
    if (first === undefined) return undefined;
    const out = [first];
    for (;;) {
      const save = this.pos;
      if (!this.lit(separator)) break;
      const next = element();
      if (next === undefined) {
        this.pos = save;
        break;
      }
      out.push(next);
    }
    return out;
  }

  /** `-element % separator`: never fails; empty elements become null (`;;` → two nulls). */
  optionalList<T>(element: () => T | undefined, separator: string): Array<T | null> {
    const out: Array<T | null> = [element() ?? null];
    while (this.lit(separator)) out.push(element() ?? null);
    return out;
  }
}

type OptionHandler<T> = (scanner: QueryScanner, request: T) => void;
/** `key=` (with the '=') → handler for the value. No key is a prefix of another. */
type OptionTable<T> = ReadonlyArray<readonly [string, OptionHandler<T>]>;

type OutputFormat = 'json' | 'flatbuffers';

/**
 * `root_rule = query_rule > format_rule > -('?' > option % '&')`. Returns the coordinates and format
 * (options are written into `request`), or the failure position within the query.
 */
function parseQueryString<T>(
  query: string,
  options: OptionTable<T>,
  request: T,
): { coordinates: LonLat[]; format: OutputFormat } | { failedAt: number } {
  const scanner = new QueryScanner(query);
  try {
    const coordinates = parseCoordinates(scanner);
    if (coordinates === undefined) return { failedAt: scanner.pos };
    const format = scanner.symbol(['.json', '.flatbuffers']) === '.flatbuffers' ? 'flatbuffers' : 'json';
    if (scanner.lit('?')) {
      if (!parseOption(scanner, options, request)) throw new ExpectationFailure(scanner.pos);
      for (;;) {
        const save = scanner.pos;
        if (!scanner.lit('&')) break;
        if (!parseOption(scanner, options, request)) {
          scanner.pos = save;
          break;
        }
      }
    }
    if (scanner.pos !== query.length) return { failedAt: scanner.pos };
    return { coordinates, format };
  } catch (error) {
    if (error instanceof ExpectationFailure) return { failedAt: error.position };
    if (error instanceof SemanticFailure) return { failedAt: 0 };
    throw error;
  }
}

function parseOption<T>(scanner: QueryScanner, options: OptionTable<T>, request: T): boolean {
  for (const [key, handler] of options) {
    if (scanner.lit(key)) {
      handler(scanner, request);
      return true;
    }
  }
  return false;
}

/** `(location % ';') | polyline(...) | polyline6(...)` */
function parseCoordinates(scanner: QueryScanner): LonLat[] | undefined {
  const locations = scanner.list(() => parseLocation(scanner), ';');
  if (locations !== undefined) return locations;
  if (scanner.lit('polyline(')) return parsePolylineBody(scanner, 5);
  if (scanner.lit('polyline6(')) return parsePolylineBody(scanner, 6);
  return undefined;
}

/** `double_ > ',' > double_`, then util::toFixed, which throws beyond the int32 fixed-point range. */
function parseLocation(scanner: QueryScanner): LonLat | undefined {
  const lon = scanner.jsonDouble();
  if (lon === undefined) return undefined;
  scanner.expectLit(',');
  const lat = scanner.expect(scanner.jsonDouble());
  if (!fitsFixedPoint(lon) || !fitsFixedPoint(lat)) throw new SemanticFailure();
  return [lon, lat];
}

function parsePolylineBody(scanner: QueryScanner, precision: PolylinePrecision): LonLat[] {
  const encoded = scanner.expect(scanner.token(isPolylineChar));
  scanner.expectLit(')');
  try {
    return decodePolyline(encoded, precision);
  } catch {
    // OSRM's decoder reads past the end of a truncated polyline (a 500 there); we report it like a
    // failed semantic action instead.
    throw new SemanticFailure();
  }
}

/** unix seconds, or ISO-8601 with seconds optional and a mandatory zone (`Z` or `±hh:mm`). */
function parseDepartAt(scanner: QueryScanner): number {
  const start = scanner.pos;
  const token = scanner.token((code) => code !== AMPERSAND);
  const seconds = token === undefined ? undefined : parseTimestamp(token);
  if (seconds === undefined) throw new ExpectationFailure(start);
  return seconds;
}

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;

function parseTimestamp(text: string): number | undefined {
  if (/^\d{1,12}$/.test(text)) return Number(text);
  const m = ISO_8601.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const fraction = m[7] === undefined ? 0 : Number(m[7]);
  const offsetHours = m[10] === undefined ? 0 : Number(m[10]);
  const offsetMinutes = m[11] === undefined ? 0 : Number(m[11]);
  // Before 1970 is no departure time (and Date.UTC maps years 0..99 to 19xx).
  if (year < 1970 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return undefined;
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000 + fraction - offset;
}

// --- option tables (which keys each service's grammar accepts) -------------------------------------

const APPROACHES: readonly Approach[] = ['unrestricted', 'curb'];
const SNAPPINGS: readonly Snapping[] = ['default', 'any'];
const GEOMETRIES: readonly Geometries[] = ['geojson', 'polyline', 'polyline6'];
const OVERVIEWS: readonly Overview[] = ['simplified', 'full', 'false'];
/** Bit order of RouteParameters::AnnotationsType, which is also our output order. */
const ROUTE_ANNOTATIONS: readonly RouteAnnotation[] = [
  'duration',
  'nodes',
  'distance',
  'weight',
  'datasources',
  'speed',
];
const TABLE_ANNOTATIONS: readonly TableAnnotation[] = ['duration', 'distance'];
const FALLBACK_COORDINATES: readonly FallbackCoordinate[] = ['input', 'snapped'];
const GAPS: readonly Gaps[] = ['split', 'ignore'];

/** base_parameters_grammar.hpp, plus our extensions (depart_at, vehicle_*) accepted by every service. */
const BASE_OPTIONS: OptionTable<BaseRequest> = [
  [
    'radiuses=',
    (sc, r) => {
      r.radiuses = sc.optionalList(
        () => sc.stdDouble() ?? (sc.lit('unlimited') ? Number.POSITIVE_INFINITY : undefined),
        ';',
      );
    },
  ],
  [
    // OSRM wants exactly one engine-specific hint length; we take any base64url token and ignore it.
    'hints=',
    (sc, r) => {
      r.hints = r.hints.concat(sc.optionalList(() => sc.token(isBase64UrlChar), ';'));
    },
  ],
  [
    'bearings=',
    (sc, r) => {
      r.bearings = r.bearings.concat(sc.optionalList(() => parseBearing(sc), ';'));
    },
  ],
  ['generate_hints=', (sc, r) => (r.generate_hints = sc.expect(sc.bool()))],
  ['approaches=', (sc, r) => (r.approaches = sc.optionalList(() => sc.symbol(APPROACHES), ';'))],
  ['exclude=', (sc, r) => (r.exclude = sc.expect(sc.list(() => sc.token(isAlphanumeric), ',')))],
  ['snapping=', (sc, r) => (r.snapping = sc.expect(sc.symbol(SNAPPINGS)))],
  ['depart_at=', (sc, r) => (r.depart_at = parseDepartAt(sc))],
  ['vehicle_height=', (sc, r) => (r.vehicle_height = sc.expect(sc.jsonDouble()))],
  ['vehicle_width=', (sc, r) => (r.vehicle_width = sc.expect(sc.jsonDouble()))],
  ['vehicle_length=', (sc, r) => (r.vehicle_length = sc.expect(sc.jsonDouble()))],
  ['vehicle_weight=', (sc, r) => (r.vehicle_weight = sc.expect(sc.jsonDouble()))],
  ['vehicle_axleload=', (sc, r) => (r.vehicle_axleload = sc.expect(sc.jsonDouble()))],
];

/** `-(short_ > ',' > short_)`: a bearing, or nothing. */
function parseBearing(sc: QueryScanner): Bearing | undefined {
  const value = sc.short();
  if (value === undefined) return undefined;
  sc.expectLit(',');
  const range = sc.expect(sc.short());
  return { value, range };
}

/** The part of route_parameters_grammar.hpp's base_rule that match inherits. */
const ROUTE_LIKE_OPTIONS: OptionTable<RouteRequest | MatchRequest> = [
  ['waypoints=', (sc, r) => (r.waypoints = sc.expect(sc.list(() => sc.sizeT(), ';')))],
  ['steps=', (sc, r) => (r.steps = sc.expect(sc.bool()))],
  ['geometries=', (sc, r) => (r.geometries = sc.expect(sc.symbol(GEOMETRIES)))],
  ['overview=', (sc, r) => (r.overview = sc.expect(sc.symbol(OVERVIEWS)))],
  [
    // Repeated annotations= accumulate (the grammar ORs bits); `false` adds nothing.
    'annotations=',
    (sc, r) => {
      if (sc.lit('true')) r.annotations = [...ROUTE_ANNOTATIONS];
      else if (!sc.lit('false')) {
        const added = sc.expect(sc.list(() => sc.symbol(ROUTE_ANNOTATIONS), ','));
        r.annotations = ROUTE_ANNOTATIONS.filter((a) => r.annotations.includes(a) || added.includes(a));
      }
    },
  ],
];

const ROUTE_OPTIONS: OptionTable<RouteRequest> = [
  [
    'alternatives=',
    (sc, r) => {
      const count = sc.uint32();
      r.alternatives = count ?? (sc.expect(sc.bool()) ? 1 : 0);
    },
  ],
  [
    // `default` leaves the value as it was.
    'continue_straight=',
    (sc, r) => {
      if (!sc.lit('default')) r.continue_straight = sc.expect(sc.bool());
    },
  ],
  ...BASE_OPTIONS,
  ...ROUTE_LIKE_OPTIONS,
];

const TABLE_OPTIONS: OptionTable<TableRequest> = [
  [
    // `all` keeps whatever was there (the grammar assigns only for an index list).
    'destinations=',
    (sc, r) => {
      if (!sc.lit('all')) r.destinations = sc.expect(sc.list(() => sc.sizeT(), ';'));
    },
  ],
  [
    'sources=',
    (sc, r) => {
      if (!sc.lit('all')) r.sources = sc.expect(sc.list(() => sc.sizeT(), ';'));
    },
  ],
  ...BASE_OPTIONS,
  [
    'annotations=',
    (sc, r) => {
      const listed = sc.expect(sc.list(() => sc.symbol(TABLE_ANNOTATIONS), ','));
      r.annotations = TABLE_ANNOTATIONS.filter((a) => listed.includes(a));
    },
  ],
  ['scale_factor=', (sc, r) => (r.scale_factor = sc.expect(sc.jsonDouble()))],
  ['fallback_speed=', (sc, r) => (r.fallback_speed = sc.expect(sc.jsonDouble()))],
  ['fallback_coordinate=', (sc, r) => (r.fallback_coordinate = sc.expect(sc.symbol(FALLBACK_COORDINATES)))],
];

const NEAREST_OPTIONS: OptionTable<NearestRequest> = [
  ['number=', (sc, r) => (r.number = sc.expect(sc.uint32()))],
  ...BASE_OPTIONS,
];

const MATCH_OPTIONS: OptionTable<MatchRequest> = [
  ['timestamps=', (sc, r) => (r.timestamps = sc.expect(sc.list(() => sc.uint32(), ';')))],
  ...BASE_OPTIONS,
  ...ROUTE_LIKE_OPTIONS,
  ['gaps=', (sc, r) => (r.gaps = sc.expect(sc.symbol(GAPS)))],
  ['tidy=', (sc, r) => (r.tidy = sc.expect(sc.bool()))],
];

// ---------------------------------------------------------------------------------------------------
// Per service: grammar → IsValid (InvalidOptions) → plugin guards

function baseDefaults(profile: string): BaseRequest {
  return {
    profile,
    coordinates: [],
    bearings: [],
    radiuses: [],
    hints: [],
    approaches: [],
    exclude: [],
    snapping: 'default',
    generate_hints: true,
  };
}

/**
 * Runs the grammar; on success fills `request.coordinates` and returns null, otherwise the
 * InvalidQuery error (or NotImplemented for `.flatbuffers`, which OSRM supports and we do not).
 */
function parseInto<T extends BaseRequest>(
  request: T,
  options: OptionTable<T>,
  query: string,
  prefixLength: number,
): OsrmError | 'flatbuffers' | null {
  const parsed = parseQueryString(query, options, request);
  if ('failedAt' in parsed) {
    return osrmError(
      'InvalidQuery',
      `Query string malformed close to position ${prefixLength + parsed.failedAt}`,
    );
  }
  request.coordinates = parsed.coordinates;
  return parsed.format === 'flatbuffers' ? 'flatbuffers' : null;
}

const FLATBUFFERS_NOT_IMPLEMENTED: OsrmError = {
  code: 'NotImplemented',
  message: 'Flatbuffers output is not implemented, use .json or no suffix.',
};

function parseRoute(
  profile: string,
  query: string,
  prefixLength: number,
  limits: Readonly<OsrmLimits>,
): RouteRequest | OsrmError {
  const request: RouteRequest = {
    ...baseDefaults(profile),
    service: 'route',
    alternatives: 0,
    steps: false,
    annotations: [],
    geometries: 'polyline',
    overview: 'simplified',
    continue_straight: null,
    waypoints: [],
  };
  const grammar = parseInto(request, ROUTE_OPTIONS, query, prefixLength);
  if (grammar !== null && grammar !== 'flatbuffers') return grammar;
  const n = request.coordinates.length;

  // route_service.cpp: RouteParameters::IsValid, message from getWrongOptionHelp.
  const sizeError = firstSizeMismatch(request, ['hints', 'bearings', 'radiuses', 'approaches']);
  if (sizeError !== undefined) return osrmError('InvalidOptions', sizeError);
  if (n < 2) return osrmError('InvalidOptions', 'Number of coordinates needs to be at least two.');
  const invalid = invalidBearingMessage(request) ?? outOfRangeMessage('Waypoint', request.waypoints, n);
  if (invalid !== undefined) return osrmError('InvalidOptions', invalid);
  const extension = extensionOptionsError(request);
  if (extension !== undefined) return extension;
  if (grammar === 'flatbuffers') return FLATBUFFERS_NOT_IMPLEMENTED;

  // plugins/viaroute.cpp
  if (limits.maxViarouteSize > 0 && n > limits.maxViarouteSize) {
    return osrmError(
      'TooBig',
      `Number of entries ${n} is higher than current maximum (${limits.maxViarouteSize})`,
    );
  }
  const maxAlternatives = limits.maxAlternatives;
  if (
    (maxAlternatives >= 0 && request.alternatives > maxAlternatives) ||
    (request.alternatives > 0 && maxAlternatives === 0)
  ) {
    return osrmError(
      'TooBig',
      `Requested number of alternatives is higher than current maximum (${maxAlternatives})`,
    );
  }
  if (!request.coordinates.every(isValidCoordinate))
    return osrmError('InvalidValue', 'Invalid coordinate value.');
  if (!hasFirstAndLastWaypoints(request.waypoints, n)) {
    return osrmError('InvalidValue', 'First and last coordinates must be specified as waypoints.');
  }
  return request;
}

function parseTable(
  profile: string,
  query: string,
  prefixLength: number,
  limits: Readonly<OsrmLimits>,
): TableRequest | OsrmError {
  const request: TableRequest = {
    ...baseDefaults(profile),
    service: 'table',
    sources: [],
    destinations: [],
    annotations: ['duration'],
    fallback_coordinate: 'input',
    scale_factor: 1,
  };
  const grammar = parseInto(request, TABLE_OPTIONS, query, prefixLength);
  if (grammar !== null && grammar !== 'flatbuffers') return grammar;
  const n = request.coordinates.length;

  // table_service.cpp: later checks overwrite the message of earlier ones, so they run in reverse.
  if (request.scale_factor <= 0) return osrmError('InvalidOptions', 'scale_factor must be > 0');
  if (request.fallback_speed !== undefined && request.fallback_speed <= 0) {
    return osrmError('InvalidOptions', 'fallback_speed must be > 0');
  }
  const sizeError = firstSizeMismatch(request, ['hints', 'bearings', 'radiuses', 'approaches']);
  if (sizeError !== undefined) return osrmError('InvalidOptions', sizeError);
  if (n < 2) return osrmError('InvalidOptions', 'Number of coordinates needs to be at least two.');
  const invalid =
    invalidBearingMessage(request) ??
    outOfRangeMessage('Source', request.sources, n) ??
    outOfRangeMessage('Destination', request.destinations, n);
  if (invalid !== undefined) return osrmError('InvalidOptions', invalid);
  const extension = extensionOptionsError(request);
  if (extension !== undefined) return extension;
  if (grammar === 'flatbuffers') return FLATBUFFERS_NOT_IMPLEMENTED;

  // plugins/table.cpp
  if (!request.coordinates.every(isValidCoordinate))
    return osrmError('InvalidOptions', 'Coordinates are invalid');
  const sources = request.sources.length > 0 ? request.sources.length : n;
  const destinations = request.destinations.length > 0 ? request.destinations.length : n;
  if (limits.maxTableSize > 0 && sources * destinations > limits.maxTableSize * limits.maxTableSize) {
    return osrmError('TooBig', 'Too many table coordinates');
  }
  return request;
}

function parseNearest(
  profile: string,
  query: string,
  prefixLength: number,
  limits: Readonly<OsrmLimits>,
): NearestRequest | OsrmError {
  const request: NearestRequest = { ...baseDefaults(profile), service: 'nearest', number: 1 };
  const grammar = parseInto(request, NEAREST_OPTIONS, query, prefixLength);
  if (grammar !== null && grammar !== 'flatbuffers') return grammar;

  // nearest_service.cpp calls constrainParamSize without short-circuit: the last mismatch wins.
  const sizeError = lastSizeMismatch(request, ['hints', 'bearings', 'radiuses', 'approaches']);
  if (sizeError !== undefined) return osrmError('InvalidOptions', sizeError);
  const invalid =
    invalidBearingMessage(request) ??
    (request.number < 1 ? 'Number of results needs to be at least one.' : undefined);
  if (invalid !== undefined) return osrmError('InvalidOptions', invalid);
  const extension = extensionOptionsError(request);
  if (extension !== undefined) return extension;
  if (grammar === 'flatbuffers') return FLATBUFFERS_NOT_IMPLEMENTED;

  // plugins/nearest.cpp
  if (limits.maxNearestSize > 0 && request.number > limits.maxNearestSize) {
    return osrmError(
      'TooBig',
      `Number of results ${request.number} is higher than current maximum (${limits.maxNearestSize})`,
    );
  }
  if (!request.coordinates.every(isValidCoordinate))
    return osrmError('InvalidOptions', 'Coordinates are invalid');
  if (request.coordinates.length !== 1) {
    return osrmError('InvalidOptions', 'Only one input coordinate is supported');
  }
  return request;
}

function parseMatch(
  profile: string,
  query: string,
  prefixLength: number,
  limits: Readonly<OsrmLimits>,
): MatchRequest | OsrmError {
  const request: MatchRequest = {
    ...baseDefaults(profile),
    service: 'match',
    steps: false,
    annotations: [],
    geometries: 'polyline',
    overview: 'simplified',
    waypoints: [],
    timestamps: [],
    gaps: 'split',
    tidy: false,
  };
  const grammar = parseInto(request, MATCH_OPTIONS, query, prefixLength);
  if (grammar !== null && grammar !== 'flatbuffers') return grammar;
  const n = request.coordinates.length;

  // match_service.cpp: its help text checks timestamps but not approaches.
  const sizeError = firstSizeMismatch(request, ['hints', 'bearings', 'radiuses', 'timestamps']);
  if (sizeError !== undefined) return osrmError('InvalidOptions', sizeError);
  if (n < 2) return osrmError('InvalidOptions', 'Number of coordinates needs to be at least two.');
  const invalid =
    firstSizeMismatch(request, ['approaches']) ??
    invalidBearingMessage(request) ??
    outOfRangeMessage('Waypoint', request.waypoints, n);
  if (invalid !== undefined) return osrmError('InvalidOptions', invalid);
  const extension = extensionOptionsError(request);
  if (extension !== undefined) return extension;
  if (grammar === 'flatbuffers') return FLATBUFFERS_NOT_IMPLEMENTED;

  // plugins/match.cpp
  if (limits.maxMatchingSize > 0 && n > limits.maxMatchingSize) {
    return osrmError('TooBig', 'Too many trace coordinates');
  }
  if (!request.coordinates.every(isValidCoordinate))
    return osrmError('InvalidValue', 'Invalid coordinate value.');
  if (
    limits.maxMatchingRadius > 0 &&
    request.radiuses.some((r) => r !== null && r > limits.maxMatchingRadius)
  ) {
    return osrmError('TooBig', 'Radius search size is too large for map matching.');
  }
  for (let i = 1; i < request.timestamps.length; i++) {
    if ((request.timestamps[i] ?? 0) < (request.timestamps[i - 1] ?? 0)) {
      return osrmError('InvalidValue', 'Timestamps need to be monotonically increasing.');
    }
  }
  // With tidy=true OSRM checks the tidied waypoints, which depends on the tidying (distances between
  // points), so that case is left to the engine.
  if (!request.tidy && !hasFirstAndLastWaypoints(request.waypoints, n)) {
    return osrmError('InvalidValue', 'First and last coordinates must be specified as waypoints.');
  }
  return request;
}

// --- checks -----------------------------------------------------------------------------------------

type PerCoordinateOption = 'hints' | 'bearings' | 'radiuses' | 'approaches' | 'timestamps';

/** services/utils.hpp constrainParamSize: a non-empty list must have one entry per coordinate. */
function sizeMismatch(
  request: BaseRequest & { timestamps?: number[] },
  name: PerCoordinateOption,
): string | undefined {
  const list = name === 'timestamps' ? (request.timestamps ?? []) : request[name];
  const n = request.coordinates.length;
  if (list.length === 0 || list.length === n) return undefined;
  return `Number of elements in ${name} size ${list.length} does not match coordinate size ${n}`;
}

function firstSizeMismatch(request: BaseRequest, names: readonly PerCoordinateOption[]): string | undefined {
  for (const name of names) {
    const message = sizeMismatch(request, name);
    if (message !== undefined) return message;
  }
  return undefined;
}

function lastSizeMismatch(request: BaseRequest, names: readonly PerCoordinateOption[]): string | undefined {
  let last: string | undefined;
  for (const name of names) last = sizeMismatch(request, name) ?? last;
  return last;
}

// OSRM's IsValid rejects these too but getWrongOptionHelp has no text for them (the message is
// empty); we say what is wrong.

function invalidBearingMessage(request: BaseRequest): string | undefined {
  const bad = request.bearings.find(
    (b) => b !== null && !(b.value >= 0 && b.value <= 360 && b.range >= 0 && b.range <= 180),
  );
  if (bad === undefined || bad === null) return undefined;
  return `Bearing ${bad.value},${bad.range} is invalid: value must be 0..360 and range 0..180`;
}

function outOfRangeMessage(what: string, indices: readonly number[], n: number): string | undefined {
  const bad = indices.find((i) => i >= n);
  return bad === undefined ? undefined : `${what} index ${bad} is out of range for ${n} coordinates`;
}

/** Our additions to IsValid: OSRM accepts negative radiuses (they snap nowhere) and has no vehicle_*. */
function extensionOptionsError(request: BaseRequest): OsrmError | undefined {
  if (request.radiuses.some((r) => r !== null && !(r >= 0))) {
    return osrmError('InvalidOptions', 'Radiuses need to be non-negative numbers or unlimited');
  }
  for (const name of VEHICLE_OPTIONS) {
    const value = request[name];
    if (value !== undefined && !(value > 0)) return osrmError('InvalidOptions', `${name} must be > 0`);
  }
  return undefined;
}

const VEHICLE_OPTIONS = [
  'vehicle_height',
  'vehicle_width',
  'vehicle_length',
  'vehicle_weight',
  'vehicle_axleload',
] as const;

function hasFirstAndLastWaypoints(waypoints: readonly number[], n: number): boolean {
  return waypoints.length === 0 || (waypoints[0] === 0 && waypoints[waypoints.length - 1] === n - 1);
}

// OSRM stores coordinates as int32 micro-degrees (util/coordinate.hpp, COORDINATE_PRECISION 1e6).
const COORDINATE_PRECISION = 1e6;
const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

function toFixed(degrees: number): number {
  const scaled = degrees * COORDINATE_PRECISION;
  return scaled < 0 ? -Math.round(-scaled) : Math.round(scaled);
}

function fitsFixedPoint(degrees: number): boolean {
  const fixed = toFixed(degrees);
  return fixed >= INT32_MIN && fixed <= INT32_MAX;
}

/** util::Coordinate::IsValid on the fixed-point values: lon within ±180, lat within ±90. */
function isValidCoordinate([lon, lat]: LonLat): boolean {
  const x = toFixed(lon);
  const y = toFixed(lat);
  return x >= -180e6 && x <= 180e6 && y >= -90e6 && y <= 90e6;
}

// --- character classes ------------------------------------------------------------------------------

const SLASH = 0x2f;
const PERCENT = 0x25;
const AMPERSAND = 0x26;
const UINT32_MAX = 4294967295;
const UINT64_MAX = 18446744073709551615n;

function scanWhile(s: string, from: number, isMember: (code: number) => boolean): number {
  let i = from;
  while (i < s.length && isMember(s.charCodeAt(i))) i++;
  return i;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isAlphanumeric(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** url_parser.cpp identifier: `a-zA-Z0-9_.~:-` (service and profile). */
function isIdentifierChar(c: number): boolean {
  return isAlphanumeric(c) || c === 0x5f || c === 0x2e || c === 0x7e || c === 0x3a || c === 0x2d;
}

/** Lookup table over ASCII: no per-character allocation while scanning a long URL. */
function charClass(chars: string, ranges: ReadonlyArray<readonly [string, string]> = []): Uint8Array {
  const table = new Uint8Array(128);
  for (const [from, to] of ranges) table.fill(1, from.charCodeAt(0), to.charCodeAt(0) + 1);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}

const ALPHANUMERIC_RANGES = [
  ['a', 'z'],
  ['A', 'Z'],
  ['0', '9'],
] as const;

/** base_parameters_grammar.hpp polyline_chars: `a-zA-Z0-9_.-[]{}@?|\%~`^` */
const POLYLINE_CHARS = charClass('_.-[]{}@?|\\%~`^', ALPHANUMERIC_RANGES);

/**
 * url_parser.cpp all_chars: polyline characters (without '%', handled as percent-encoding) plus
 * `=,;:&().`. We also allow '+' for depart_at time zone offsets (`+03:00`); OSRM rejects it.
 */
const QUERY_CHARS = charClass('_.-[]{}@?|\\~`^=,;:&().+', ALPHANUMERIC_RANGES);

function isPolylineChar(c: number): boolean {
  return POLYLINE_CHARS[c] === 1;
}

function isQueryChar(c: number): boolean {
  return QUERY_CHARS[c] === 1;
}

function isBase64UrlChar(c: number): boolean {
  return isAlphanumeric(c) || c === 0x2d || c === 0x5f || c === 0x3d;
}
