import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type {
  MatchRequest,
  NearestRequest,
  OsrmError,
  OsrmErrorCode,
  OsrmLimits,
  OsrmRequest,
  RouteRequest,
  TableRequest,
} from './osrm-types.js';
import { DEFAULT_OSRM_LIMITS, isOsrmError, parseRequest } from './parse-request.js';
import { encodePolyline } from './polyline.js';

function parsed<S extends OsrmRequest['service']>(url: string, service: S, limits?: OsrmLimits) {
  const result = parseRequest(url, limits);
  if (isOsrmError(result)) throw new Error(`${url}: ${result.code} ${result.message}`);
  expect(result.service).toBe(service);
  return result as Extract<OsrmRequest, { service: S }>;
}

function expectError(url: string, code: OsrmErrorCode, message: string, limits?: OsrmLimits): void {
  expect(parseRequest(url, limits)).toEqual({ code, message });
}

const limitsWith = (overrides: Partial<OsrmLimits>): OsrmLimits => ({ ...DEFAULT_OSRM_LIMITS, ...overrides });

const BERLIN = '13.388860,52.517037;13.397634,52.529407;13.428555,52.523219';

describe('parseRequest: route', () => {
  it('parses coordinates and fills OSRM defaults', () => {
    const r: RouteRequest = parsed(`/route/v1/driving/${BERLIN}`, 'route');
    expect(r).toEqual({
      service: 'route',
      profile: 'driving',
      coordinates: [
        [13.38886, 52.517037],
        [13.397634, 52.529407],
        [13.428555, 52.523219],
      ],
      bearings: [],
      radiuses: [],
      hints: [],
      approaches: [],
      exclude: [],
      snapping: 'default',
      generate_hints: true,
      alternatives: 0,
      steps: false,
      annotations: [],
      geometries: 'polyline',
      overview: 'simplified',
      continue_straight: null,
      waypoints: [],
    });
  });

  it('accepts the .json suffix and percent-encoded separators', () => {
    const r = parsed('/route/v1/car/1,2%3B3%2C4.json?overview=false', 'route');
    expect(r.coordinates).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(r.overview).toBe('false');
  });

  it('accepts the number forms of the double grammar', () => {
    expect(parsed('/route/v1/car/-1.,.5;+3,-0.25', 'route').coordinates).toEqual([
      [-1, 0.5],
      [3, -0.25],
    ]);
  });

  it('parses every route option', () => {
    const r = parsed(
      `/route/v1/driving/${BERLIN}?alternatives=2&steps=true&annotations=duration,speed&geometries=polyline6` +
        '&overview=full&continue_straight=true&waypoints=0;2&bearings=;200,10;100,5&radiuses=;unlimited;12.5' +
        '&hints=abc-_=;;def&approaches=curb;;unrestricted&exclude=motorway,ferry&snapping=any&generate_hints=false',
      'route',
    );
    expect(r).toMatchObject({
      alternatives: 2,
      steps: true,
      annotations: ['duration', 'speed'],
      geometries: 'polyline6',
      overview: 'full',
      continue_straight: true,
      waypoints: [0, 2],
      bearings: [null, { value: 200, range: 10 }, { value: 100, range: 5 }],
      radiuses: [null, Number.POSITIVE_INFINITY, 12.5],
      hints: ['abc-_=', null, 'def'],
      approaches: ['curb', null, 'unrestricted'],
      exclude: ['motorway', 'ferry'],
      snapping: 'any',
      generate_hints: false,
    });
  });

  it('reads alternatives=true/false as 1/0 and continue_straight=default as null', () => {
    expect(parsed('/route/v1/car/1,2;3,4?alternatives=true', 'route').alternatives).toBe(1);
    expect(parsed('/route/v1/car/1,2;3,4?alternatives=false', 'route').alternatives).toBe(0);
    expect(parsed('/route/v1/car/1,2;3,4?continue_straight=default', 'route').continue_straight).toBeNull();
    expect(parsed('/route/v1/car/1,2;3,4?continue_straight=false', 'route').continue_straight).toBe(false);
  });

  it('expands annotations=true and accumulates repeated annotations like the grammar ORs bits', () => {
    expect(parsed('/route/v1/car/1,2;3,4?annotations=true', 'route').annotations).toEqual([
      'duration',
      'nodes',
      'distance',
      'weight',
      'datasources',
      'speed',
    ]);
    expect(parsed('/route/v1/car/1,2;3,4?annotations=false', 'route').annotations).toEqual([]);
    expect(
      parsed('/route/v1/car/1,2;3,4?annotations=speed&annotations=false&annotations=nodes', 'route')
        .annotations,
    ).toEqual(['nodes', 'speed']);
  });

  it('appends repeated bearings and hints, replaces repeated radiuses (as OSRM does)', () => {
    const r = parsed('/route/v1/car/1,2;3,4?bearings=0,20&bearings=90,10&radiuses=1&radiuses=2;3', 'route');
    expect(r.bearings).toEqual([
      { value: 0, range: 20 },
      { value: 90, range: 10 },
    ]);
    expect(r.radiuses).toEqual([2, 3]);
  });

  it('decodes polyline( ) and polyline6( ) coordinates', () => {
    const r = parsed('/route/v1/driving/polyline(ofp_Ik_vpAilAyu@te@g`E)?overview=false', 'route');
    expect(r.coordinates).toEqual([
      [13.38886, 52.51704],
      [13.39763, 52.52941],
      [13.42855, 52.52322],
    ]);
    const six = encodePolyline(
      [
        [13.388799, 52.517033],
        [13.397631, 52.529432],
      ],
      6,
    );
    expect(parsed(`/route/v1/driving/polyline6(${six})`, 'route').coordinates).toEqual([
      [13.388799, 52.517033],
      [13.397631, 52.529432],
    ]);
  });
});

describe('parseRequest: table, nearest, match', () => {
  it('parses table options', () => {
    const r: TableRequest = parsed(
      `/table/v1/car/${BERLIN}?sources=0;1&destinations=2;0&annotations=duration,distance` +
        '&fallback_speed=2.5&fallback_coordinate=snapped&scale_factor=1.5',
      'table',
    );
    expect(r).toMatchObject({
      sources: [0, 1],
      destinations: [2, 0],
      annotations: ['duration', 'distance'],
      fallback_speed: 2.5,
      fallback_coordinate: 'snapped',
      scale_factor: 1.5,
    });
  });

  it('defaults table to all×all durations, and sources=all leaves the default', () => {
    const r = parsed(`/table/v1/car/${BERLIN}?sources=all&destinations=all`, 'table');
    expect(r).toMatchObject({
      sources: [],
      destinations: [],
      annotations: ['duration'],
      fallback_coordinate: 'input',
      scale_factor: 1,
    });
    expect(r.fallback_speed).toBeUndefined();
    expect(parsed(`/table/v1/car/${BERLIN}?annotations=distance`, 'table').annotations).toEqual(['distance']);
  });

  it('parses nearest (the docs example)', () => {
    const r: NearestRequest = parsed(
      '/nearest/v1/driving/13.388860,52.517037?number=3&bearings=0,20',
      'nearest',
    );
    expect(r).toMatchObject({
      coordinates: [[13.38886, 52.517037]],
      number: 3,
      bearings: [{ value: 0, range: 20 }],
    });
    expect(parsed('/nearest/v1/driving/13.388860,52.517037.json', 'nearest').number).toBe(1);
  });

  it('parses match options including the route-like ones', () => {
    const r: MatchRequest = parsed(
      `/match/v1/car/${BERLIN}?timestamps=100;110;125&radiuses=5;;10&gaps=ignore&tidy=true&steps=true` +
        '&geometries=geojson&overview=false&annotations=true&waypoints=0;2',
      'match',
    );
    expect(r).toMatchObject({
      timestamps: [100, 110, 125],
      radiuses: [5, null, 10],
      gaps: 'ignore',
      tidy: true,
      steps: true,
      geometries: 'geojson',
      overview: 'false',
      waypoints: [0, 2],
    });
    expect(r.annotations).toHaveLength(6);
    expect(parsed(`/match/v1/car/${BERLIN}`, 'match')).toMatchObject({
      gaps: 'split',
      tidy: false,
      timestamps: [],
    });
  });
});

describe('parseRequest: extensions', () => {
  it('reads depart_at as unix seconds or ISO-8601 with a zone', () => {
    const at = (value: string) => parsed(`/route/v1/truck/1,2;3,4?depart_at=${value}`, 'route').depart_at;
    expect(at('1709269200')).toBe(1709269200);
    expect(at('2024-03-01T05:00:00Z')).toBe(1709269200);
    expect(at('2024-03-01T08:00:00%2B03:00')).toBe(1709269200);
    expect(at('2024-03-01T08:00+03:00')).toBe(1709269200);
    expect(at('2024-03-01T04:30:00.5-00:30')).toBe(1709269200.5);
    expect(parsed('/route/v1/truck/1,2;3,4', 'route').depart_at).toBeUndefined();
  });

  it('reads vehicle dimensions on every service', () => {
    const options =
      'vehicle_height=4.1&vehicle_width=2.55&vehicle_length=12&vehicle_weight=26&vehicle_axleload=10';
    const dims = {
      vehicle_height: 4.1,
      vehicle_width: 2.55,
      vehicle_length: 12,
      vehicle_weight: 26,
      vehicle_axleload: 10,
    };
    expect(parsed(`/route/v1/truck/1,2;3,4?${options}`, 'route')).toMatchObject(dims);
    expect(parsed(`/table/v1/truck/1,2;3,4?${options}`, 'table')).toMatchObject(dims);
    expect(parsed(`/nearest/v1/truck/1,2?${options}`, 'nearest')).toMatchObject(dims);
    expect(parsed(`/match/v1/truck/1,2;3,4?${options}`, 'match')).toMatchObject(dims);
  });

  it.each([
    ['an invalid date', '2024-02-30T08:00:00Z', 34],
    ['a missing zone', '2024-03-01T08:00:00', 34],
    ['garbage', 'tomorrow', 34],
    ['a time before 1970', '1969-12-31T23:59:59Z', 34],
  ])('rejects depart_at with %s as InvalidQuery at the value', (_name, value, position) => {
    expectError(
      `/route/v1/truck/1,2;3,4?depart_at=${value}`,
      'InvalidQuery',
      `Query string malformed close to position ${position}`,
    );
  });

  it('rejects non-positive vehicle dimensions', () => {
    expectError('/route/v1/truck/1,2;3,4?vehicle_height=0', 'InvalidOptions', 'vehicle_height must be > 0');
    expectError('/table/v1/truck/1,2;3,4?vehicle_weight=-3', 'InvalidOptions', 'vehicle_weight must be > 0');
    expectError(
      '/route/v1/truck/1,2;3,4?vehicle_axleload=x',
      'InvalidQuery',
      'Query string malformed close to position 41',
    );
  });
});

describe('parseRequest: InvalidUrl, InvalidService, InvalidVersion, NotImplemented', () => {
  // features/testbot/status.feature "Malformed requests"
  it.each([
    ['/nonsense', 'URL string malformed close to position 9: "nse"'],
    ['/', 'URL string malformed close to position 1: "/"'],
    ['//', 'URL string malformed close to position 1: "//"'],
    ['/?', 'URL string malformed close to position 1: "/?"'],
    ['/route/v1/driving', 'URL string malformed close to position 17: "ing"'],
    ['/route/v1/driving/', 'URL string malformed close to position 18: "ng/"'],
    ['', 'URL string malformed close to position 0: ""'],
    ['/route/x1/driving/1,2;3,4', 'URL string malformed close to position 7: "te/x1/"'],
    ['/route/v99999999999/driving/1,2;3,4', 'URL string malformed close to position 8: "e/v999"'],
    ['/route/v1/driving/1,2;3,4 ', 'URL string malformed close to position 25: "3,4 "'],
    ['/route/v1/driving/1,2;3,4%20', 'URL string malformed close to position 25: "3,4 "'],
    ['/route/v1/driving/1,2;3,4%25zz', 'URL string malformed close to position 26: ",4%zz"'],
    ['/route/v1/driving/1,2;3,4/', 'URL string malformed close to position 25: "3,4/"'],
  ])('%s → InvalidUrl', (url, message) => {
    expectError(url, 'InvalidUrl', message);
  });

  it('answers an unknown service and an unknown version with the same message', () => {
    expectError('/nonsense/v1/driving/1,1;1,2', 'InvalidService', 'Service nonsense not found!');
    expectError('/route/v2/driving/1,1;1,2', 'InvalidVersion', 'Service route not found!');
    expectError('/nonsense/v2/driving/1,1;1,2', 'InvalidService', 'Service nonsense not found!');
  });

  it('recognises trip and tile but does not implement them, nor flatbuffers output', () => {
    expectError('/trip/v1/driving/1,1;1,2', 'NotImplemented', 'Service trip is not implemented.');
    expectError('/tile/v1/car/tile(1310,3166,13).mvt', 'NotImplemented', 'Service tile is not implemented.');
    expectError(
      '/route/v1/driving/1,1;1,2.0.flatbuffers',
      'NotImplemented',
      'Flatbuffers output is not implemented, use .json or no suffix.',
    );
    // OSRM's number grammar keeps only a dot before `json` out of the number: `2.` is read as 2.
    expectError(
      '/route/v1/driving/1,1;1,2.flatbuffers',
      'InvalidQuery',
      'Query string malformed close to position 26',
    );
  });
});

describe('parseRequest: InvalidQuery', () => {
  // features/testbot/status.feature "Malformed requests"
  it.each([
    ['/route/v1/driving/-74697224,5.191564', 18],
    ['/route/v1/driving/1', 19],
    ['/route/v1/driving/1,1,1', 21],
    ['/route/v1/driving/x', 18],
    ['/route/v1/driving/x,y', 18],
    ['/route/v1/driving/1,1;', 21],
    ['/route/v1/driving/1,1;1', 23],
    ['/route/v1/driving/1,1;1,1,1', 25],
    ['/route/v1/driving/1,1;x', 21],
    ['/route/v1/driving/1,1;x,y', 21],
  ])('%s → position %i', (url, position) => {
    expectError(url, 'InvalidQuery', `Query string malformed close to position ${position}`);
  });

  // unit_tests/server/parameters_parser.cpp: positions within the query string.
  it.each([
    ['route', 'a;3,4', 0],
    ['route', '120;3,4', 3],
    ['route', '90000000,2;3,4', 0],
    ['route', '1,2;3,4?overview=false&bla=foo', 22],
    ['route', '1,2;3,4?overview=false&bearings=foo', 32],
    ['route', '1,2;3,4?overview=false&continue_straight=foo', 41],
    ['route', '1,2;3,4?overview=false&radiuses=foo', 32],
    ['route', '1,2;3,4?overview=false&approaches=foo', 34],
    ['route', '1,2;3,4?generate_hints=notboolean', 23],
    ['route', '1,2;3,4?overview=false&geometries=foo', 34],
    ['route', '1,2;3,4?overview=false&overview=foo', 32],
    ['route', '1,2;3,4?overview=false&alternatives=foo', 36],
    ['route', '1,2;3,4?overview=false&alternatives=-1', 36],
    ['route', '1,2;3.4.unsupported', 7],
    ['route', '1,2;3,4.json?nooptions', 13],
    ['route', '1,2;3,4..json?nooptions', 14],
    ['route', '1,2;3,4.0.json?nooptions', 15],
    ['route', '1,2;3,4?annotations=distances', 28],
    ['route', '1,2;3,4?annotations=', 20],
    ['route', '1,2;3,4?annotations=true,false', 24],
    ['route', '1,2;3,4?annotations=&overview=simplified', 20],
    ['table', '1,2;3,4?sources=1&bla=foo', 17],
    ['table', '1,2;3,4?destinations=1&bla=foo', 22],
    ['table', '1,2;3,4?sources=1&destinations=1&bla=foo', 32],
    ['table', '1,2;3,4?sources=foo', 16],
    ['table', '1,2;3,4?destinations=foo', 21],
    ['table', '1,2;3,4?sources=all&destinations=all&annotations=bla', 49],
    ['table', '1,2;3,4?fallback_coordinate=asdf', 28],
    ['table', '1,2;3,4?fallback_coordinate=10', 28],
    ['table', '1,2;3,4?annotations=durations&scale_factor=-1', 28],
    ['table', '1,2;3,4?annotations=true', 20],
    ['match', '1,2;3,4?waypoints=0,4', 19],
    ['match', '1,2;3,4?waypoints=x;4', 18],
    ['match', '1,2;3,4?waypoints=0;3.5', 21],
    ['match', '1,2;3,4?alternatives=1', 8],
    ['nearest', '1,2?steps=true', 4],
    ['nearest', '1,2?number=-1', 11],
    ['route', '1,2;3,4?', 8],
    ['route', '1,2;3,4?steps=true&', 18],
    ['route', 'polyline()', 9],
    ['route', 'polyline(_ibE?_seK', 18],
    ['route', 'polyline(_ibE?_seK)', 0],
    ['route', '1,2;3,4?bearings=0,', 19],
    ['route', '1,2;3,4?bearings=40000,10', 17],
    ['route', '1,2;3,4?waypoints=18446744073709551616', 18],
    // url_parser.cpp decodes %XX a second time: %2541 → %41 → A.
    ['route', '1,2;3,4%2541', 7],
  ])('%s %s → query position %i', (service, query, position) => {
    const prefix = `/${service}/v1/car/`;
    expectError(
      prefix + query,
      'InvalidQuery',
      `Query string malformed close to position ${prefix.length + position}`,
    );
  });
});

describe('parseRequest: InvalidOptions', () => {
  it.each(['hints=a;b;c', 'bearings=0,20;0,20;0,20', 'radiuses=1;2;3', 'approaches=curb;curb;curb'])(
    'route %s with 2 coordinates names the list and both sizes',
    (option) => {
      const name = option.slice(0, option.indexOf('='));
      expectError(
        `/route/v1/car/1,2;3,4?${option}`,
        'InvalidOptions',
        `Number of elements in ${name} size 3 does not match coordinate size 2`,
      );
    },
  );

  it('reports the first mismatch in the order hints, bearings, radiuses, approaches', () => {
    expectError(
      '/route/v1/car/1,2;3,4?approaches=curb&radiuses=1',
      'InvalidOptions',
      'Number of elements in radiuses size 1 does not match coordinate size 2',
    );
  });

  it('needs two coordinates for route, table and match', () => {
    for (const service of ['route', 'table', 'match']) {
      expectError(
        `/${service}/v1/car/1,2`,
        'InvalidOptions',
        'Number of coordinates needs to be at least two.',
      );
    }
  });

  it('checks timestamps against the coordinates in match', () => {
    expectError(
      '/match/v1/car/1,2;3,4?timestamps=1;2;3',
      'InvalidOptions',
      'Number of elements in timestamps size 3 does not match coordinate size 2',
    );
  });

  it('lets the later table checks overwrite earlier messages, as table_service.cpp does', () => {
    expectError('/table/v1/car/1,2;3,4?fallback_speed=0', 'InvalidOptions', 'fallback_speed must be > 0');
    expectError('/table/v1/car/1,2;3,4?scale_factor=-1', 'InvalidOptions', 'scale_factor must be > 0');
    expectError(
      '/table/v1/car/1,2?radiuses=1;2&fallback_speed=-1',
      'InvalidOptions',
      'fallback_speed must be > 0',
    );
    expectError(
      '/table/v1/car/1,2?fallback_speed=0&scale_factor=0',
      'InvalidOptions',
      'scale_factor must be > 0',
    );
  });

  it('reports the last mismatch for nearest (nearest_service.cpp does not short-circuit)', () => {
    expectError(
      '/nearest/v1/car/1,2?hints=a;b&radiuses=1;2',
      'InvalidOptions',
      'Number of elements in radiuses size 2 does not match coordinate size 1',
    );
  });

  it('explains the failures OSRM reports with an empty message', () => {
    expectError(
      '/route/v1/car/1,2;3,4?bearings=0,20;400,10',
      'InvalidOptions',
      'Bearing 400,10 is invalid: value must be 0..360 and range 0..180',
    );
    expectError(
      '/route/v1/car/1,2;3,4?waypoints=0;2',
      'InvalidOptions',
      'Waypoint index 2 is out of range for 2 coordinates',
    );
    expectError(
      '/table/v1/car/1,2;3,4?sources=0;5',
      'InvalidOptions',
      'Source index 5 is out of range for 2 coordinates',
    );
    expectError(
      '/table/v1/car/1,2;3,4?destinations=2',
      'InvalidOptions',
      'Destination index 2 is out of range for 2 coordinates',
    );
    expectError(
      '/nearest/v1/car/1,2?number=0',
      'InvalidOptions',
      'Number of results needs to be at least one.',
    );
    expectError(
      '/match/v1/car/1,2;3,4?approaches=curb',
      'InvalidOptions',
      'Number of elements in approaches size 1 does not match coordinate size 2',
    );
  });

  it('rejects negative radiuses (our check; OSRM lets them snap nowhere)', () => {
    expectError(
      '/route/v1/car/1,2;3,4?radiuses=-1;',
      'InvalidOptions',
      'Radiuses need to be non-negative numbers or unlimited',
    );
    expectError(
      '/route/v1/car/1,2;3,4?radiuses=nan;',
      'InvalidOptions',
      'Radiuses need to be non-negative numbers or unlimited',
    );
    expect(parsed('/route/v1/car/1,2;3,4?radiuses=1e2;inf', 'route').radiuses).toEqual([
      100,
      Number.POSITIVE_INFINITY,
    ]);
  });

  it('validates nearest coordinates in the plugin', () => {
    expectError('/nearest/v1/car/1,2;3,4', 'InvalidOptions', 'Only one input coordinate is supported');
    expectError('/nearest/v1/car/181,2', 'InvalidOptions', 'Coordinates are invalid');
    expectError('/table/v1/car/1,91;3,4', 'InvalidOptions', 'Coordinates are invalid');
  });
});

describe('parseRequest: InvalidValue', () => {
  it.each(['200,5.191564;44,5', '1,2;3,-90.0000006', '-180.1,0;1,1'])(
    'route %s → Invalid coordinate value.',
    (coords) => {
      expectError(`/route/v1/driving/${coords}`, 'InvalidValue', 'Invalid coordinate value.');
    },
  );

  it('compares micro-degrees like OSRM: 180.0000004 rounds to 180', () => {
    expect(parsed('/route/v1/driving/180.0000004,90;-180,-90', 'route').coordinates).toHaveLength(2);
  });

  it('requires the first and last coordinates among route and match waypoints', () => {
    const message = 'First and last coordinates must be specified as waypoints.';
    expectError(`/route/v1/car/${BERLIN}?waypoints=0;1`, 'InvalidValue', message);
    expectError(`/route/v1/car/${BERLIN}?waypoints=1;2`, 'InvalidValue', message);
    expectError(`/match/v1/car/${BERLIN}?waypoints=0;1`, 'InvalidValue', message);
    // With tidy=true OSRM checks the tidied trace; that is the engine's to decide.
    expect(parsed(`/match/v1/car/${BERLIN}?waypoints=0;1&tidy=true`, 'match').waypoints).toEqual([0, 1]);
  });

  it('requires non-decreasing match timestamps', () => {
    expectError(
      `/match/v1/car/${BERLIN}?timestamps=10;9;11`,
      'InvalidValue',
      'Timestamps need to be monotonically increasing.',
    );
    expect(parsed(`/match/v1/car/${BERLIN}?timestamps=10;10;11`, 'match').timestamps).toEqual([10, 10, 11]);
    expectError('/match/v1/car/1,2;300,4', 'InvalidValue', 'Invalid coordinate value.');
  });
});

describe('parseRequest: TooBig and limits', () => {
  const coords = (n: number) =>
    Array.from({ length: n }, (_, i) => `${(i % 360) - 179.5},${(i % 90) / 2}`).join(';');

  it("uses osrm-routed's defaults", () => {
    expect(DEFAULT_OSRM_LIMITS).toEqual({
      maxViarouteSize: 500,
      maxTableSize: 100,
      maxMatchingSize: 100,
      maxNearestSize: 100,
      maxAlternatives: 3,
      maxMatchingRadius: -1,
    });
    expect(parsed(`/route/v1/car/${coords(500)}`, 'route').coordinates).toHaveLength(500);
    expectError(
      `/route/v1/car/${coords(501)}`,
      'TooBig',
      'Number of entries 501 is higher than current maximum (500)',
    );
    expect(parsed(`/table/v1/car/${coords(100)}`, 'table').coordinates).toHaveLength(100);
    expectError(`/table/v1/car/${coords(101)}`, 'TooBig', 'Too many table coordinates');
    expectError(`/match/v1/car/${coords(101)}`, 'TooBig', 'Too many trace coordinates');
    expectError(
      '/nearest/v1/car/1,2?number=101',
      'TooBig',
      'Number of results 101 is higher than current maximum (100)',
    );
    expectError(
      '/route/v1/car/1,2;3,4?alternatives=4',
      'TooBig',
      'Requested number of alternatives is higher than current maximum (3)',
    );
  });

  it('bounds table by sources × destinations against the square of the limit', () => {
    const limits = limitsWith({ maxTableSize: 2 });
    expect(
      parsed(`/table/v1/car/${coords(4)}?sources=0&destinations=0;1;2;3`, 'table', limits).sources,
    ).toEqual([0]);
    expectError(
      `/table/v1/car/${coords(4)}?sources=0;1&destinations=0;1;2`,
      'TooBig',
      'Too many table coordinates',
      limits,
    );
  });

  it('checks size before coordinate values in route, values before size in table', () => {
    const limits = limitsWith({ maxViarouteSize: 2, maxTableSize: 1 });
    expectError(
      '/route/v1/car/1,2;3,4;500,0',
      'TooBig',
      'Number of entries 3 is higher than current maximum (2)',
      limits,
    );
    expectError('/table/v1/car/1,2;500,0', 'InvalidOptions', 'Coordinates are invalid', limits);
  });

  it('forbids any alternative when maxAlternatives is 0 and allows any when negative', () => {
    expectError(
      '/route/v1/car/1,2;3,4?alternatives=true',
      'TooBig',
      'Requested number of alternatives is higher than current maximum (0)',
      limitsWith({ maxAlternatives: 0 }),
    );
    expect(
      parsed('/route/v1/car/1,2;3,4?alternatives=50', 'route', limitsWith({ maxAlternatives: -1 }))
        .alternatives,
    ).toBe(50);
  });

  it('limits match radiuses only when maxMatchingRadius > 0', () => {
    const url = '/match/v1/car/1,2;3,4?radiuses=10;unlimited';
    expect(parsed(url, 'match').radiuses).toEqual([10, Number.POSITIVE_INFINITY]);
    expectError(
      url,
      'TooBig',
      'Radius search size is too large for map matching.',
      limitsWith({ maxMatchingRadius: 50 }),
    );
  });

  it('treats limits ≤ 0 as unlimited', () => {
    const unlimited = limitsWith({
      maxViarouteSize: 0,
      maxTableSize: -1,
      maxMatchingSize: 0,
      maxNearestSize: 0,
    });
    expect(parsed(`/route/v1/car/${coords(600)}`, 'route', unlimited).coordinates).toHaveLength(600);
    expect(parsed(`/table/v1/car/${coords(120)}`, 'table', unlimited).coordinates).toHaveLength(120);
    expect(parsed('/nearest/v1/car/1,2?number=1000', 'nearest', unlimited).number).toBe(1000);
  });
});

const ERROR_CODES: ReadonlySet<string> = new Set<OsrmErrorCode>([
  'InvalidUrl',
  'InvalidService',
  'InvalidVersion',
  'InvalidOptions',
  'InvalidQuery',
  'InvalidValue',
  'NoSegment',
  'TooBig',
  'NoRoute',
  'NoTable',
  'NoMatch',
  'NoTrips',
  'NotImplemented',
]);

/** Fragments of OSRM URLs, so random concatenations reach deep into the grammar. */
const urlToken = fc.constantFrom(
  '/',
  'route',
  'table',
  'nearest',
  'match',
  'trip',
  'v1',
  'v2',
  'car',
  '13.388860',
  '-52.5',
  '1e5',
  '.',
  ',',
  ';',
  '?',
  '&',
  '=',
  '%',
  '%2C',
  '%3B',
  '%25',
  '%zz',
  '.json',
  '.flatbuffers',
  'polyline(',
  'polyline6(',
  '_ibE?_seK',
  ')',
  'steps=',
  'true',
  'false',
  'radiuses=',
  'unlimited',
  'bearings=',
  '0,20',
  'hints=',
  'sources=',
  'destinations=',
  'all',
  'annotations=',
  'duration,distance',
  'waypoints=',
  'number=',
  'timestamps=',
  'alternatives=',
  'depart_at=',
  '2024-03-01T08:00:00Z',
  '+03:00',
  'vehicle_height=',
  '4294967296',
  '99999999999999999999',
  ' ',
  '\u0000',
  'ж',
);

function assertWellFormed(result: OsrmRequest | OsrmError): void {
  if (isOsrmError(result)) {
    expect(ERROR_CODES.has(result.code)).toBe(true);
    expect(typeof result.message).toBe('string');
  } else {
    expect(['route', 'table', 'nearest', 'match']).toContain(result.service);
    expect(result.coordinates.length).toBeGreaterThan(0);
  }
}

describe('parseRequest on garbage', () => {
  it('copes with a URL of the size the server admits (256 KiB)', () => {
    const hints = ';'.repeat(256 * 1024);
    expectError(
      `/route/v1/car/1,2;3,4?hints=${hints}`,
      'InvalidOptions',
      `Number of elements in hints size ${hints.length + 1} does not match coordinate size 2`,
    );
    const coordinates = Array.from({ length: 20000 }, () => '1,2').join(';');
    expectError(
      `/route/v1/car/${coordinates}`,
      'TooBig',
      'Number of entries 20000 is higher than current maximum (500)',
    );
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (url) => {
        assertWellFormed(parseRequest(url));
        assertWellFormed(parseRequest(`/route/v1/car/${url}`));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on random concatenations of OSRM fragments', () => {
    fc.assert(
      fc.property(
        fc.array(urlToken, { maxLength: 40 }),
        fc.constantFrom('', '/route/v1/car/', '/table/v1/car/', '/match/v1/car/', '/nearest/v1/car/'),
        (tokens, prefix) => {
          assertWellFormed(parseRequest(prefix + tokens.join('')));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('gives back the coordinates and indices a client sent', () => {
    const coordinate = fc.tuple(
      fc.double({ min: -180, max: 180, noNaN: true, noDefaultInfinity: true }),
      fc.double({ min: -90, max: 90, noNaN: true, noDefaultInfinity: true }),
    );
    fc.assert(
      fc.property(
        fc.array(coordinate, { minLength: 2, maxLength: 20 }),
        fc.boolean(),
        (points, usePolyline) => {
          // JavaScript prints tiny numbers with an exponent, which OSRM's grammar does not read.
          const text = (x: number) => x.toFixed(7);
          const expected = usePolyline ? null : points.map(([x, y]) => [Number(text(x)), Number(text(y))]);
          const path = usePolyline
            ? `polyline(${encodePolyline(points)})`
            : points.map(([x, y]) => `${text(x)},${text(y)}`).join(';');
          const last = points.length - 1;
          const r = parsed(`/table/v1/car/${path}?sources=${last};0&destinations=0`, 'table');
          expect(r.sources).toEqual([last, 0]);
          expect(r.coordinates).toHaveLength(points.length);
          if (expected !== null) expect(r.coordinates).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
