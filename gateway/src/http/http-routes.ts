import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  database: 'up' | 'down';
  broker: 'up' | 'down';
  queuedRecords: number;
  reason?: string;
}

export interface HttpRouteDependencies {
  health: () => Promise<HealthReport>;
  metrics: Registry;
}

/** GET /health and GET /metrics; socket.io and MQTT-over-WebSocket attach to the same server. */
export function createHttpHandler(deps: HttpRouteDependencies) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const path = (request.url ?? '/').split('?')[0];
    // socket.io answers its own path on the same server.
    if (path?.startsWith('/socket.io/')) return;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendJson(response, 405, { code: 'METHOD_NOT_ALLOWED', message: 'Метод не поддерживается' });
    }
    if (path === '/health') {
      deps.health().then(
        (report) => sendJson(response, report.status === 'ok' ? 200 : 503, report),
        (error: unknown) =>
          sendJson(response, 503, { status: 'unavailable', reason: (error as Error).message }),
      );
      return;
    }
    if (path === '/metrics') {
      deps.metrics.metrics().then(
        (text) => {
          response.writeHead(200, { 'content-type': deps.metrics.contentType });
          response.end(text);
        },
        () => sendJson(response, 500, { code: 'INTERNAL', message: 'metrics unavailable' }),
      );
      return;
    }
    sendJson(response, 404, { code: 'NOT_FOUND', message: 'Не найдено / Not found' });
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}
