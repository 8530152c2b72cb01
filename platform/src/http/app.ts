import Router from '@koa/router';
import Koa from 'koa';
import type { PlatformServices } from '../platform-services.js';
import { ApiError, apiErrors, fromDatabaseError } from './api-error.js';
import { API_PREFIX, apiRoutes } from './api-routes.js';
import { authenticate } from './authenticate.js';
import { buildOpenApiDocument } from './openapi.js';
import { routeMiddleware } from './route.js';

export interface AppEvents {
  /** A 5xx: logged once by the caller, the client sees a generic message. */
  onServerError(error: unknown, path: string): void;
}

/** The Koa application: errors → `{code, message, message_en, details}`, auth, the API, its OpenAPI. */
export function createApp(services: PlatformServices, events: AppEvents): Koa {
  const app = new Koa();
  // Behind a reverse proxy the client address comes from X-Forwarded-For (login throttling per client).
  app.proxy = services.trustProxy;
  const routes = apiRoutes();
  const openApi = buildOpenApiDocument(routes, API_PREFIX);

  app.use(async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw apiErrors.routeNotFound();
    } catch (error) {
      const known = error instanceof ApiError ? error : fromDatabaseError(error);
      const apiError = known ?? apiErrors.internal();
      if (!known) events.onServerError(error, ctx.path);
      ctx.status = apiError.status;
      if (apiError.headers) ctx.set(apiError.headers);
      ctx.body = apiError.toBody();
    }
  });
  app.use(authenticate(services.jwtSecret));

  const router = new Router();
  router.get('/api/openapi.json', (ctx) => {
    ctx.body = openApi;
  });
  router.get('/health', async (ctx) => {
    await services.db.query('SELECT 1');
    ctx.body = { status: 'ok' };
  });
  for (const route of routes) router[route.method](API_PREFIX + route.path, routeMiddleware(route, services));
  app.use(router.routes());
  app.use(
    router.allowedMethods({
      throw: true,
      methodNotAllowed: () => apiErrors.methodNotAllowed(),
      notImplemented: () => apiErrors.methodNotAllowed(),
    }),
  );
  return app;
}
