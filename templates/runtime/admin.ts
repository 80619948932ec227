/**
 * The admin app under `/__mockgen/`, an Express 5 app loaded only when a user extension (`extend`) is
 * installed: the extension adds routes to it, and the handler passes it requests that match no
 * operation, before answering 404. The built-in endpoints (admin-routes.ts) answer here first, with
 * the same bytes as without an extension.
 */
import express from 'express';
import type { Request, Response, NextFunction } from 'express';
import { builtinAdminResponse, unknownAdminResponse } from './admin-routes';
import { problem } from './core/problem';
import { toWire, type WireResponse } from './respond';
import type { StateStore } from './store/state-store';
import type { Manifest, RouteEntry } from './core/types';

export interface AdminOptions {
  manifest: Manifest;
  routes: RouteEntry[];
  /** the handler's state: the journal and reset endpoints answer from it */
  store: StateStore;
  extend?: (app: express.Express) => void;
}

export function createAdminApp(options: AdminOptions): express.Express {
  const { manifest, routes, store } = options;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');

  app.use((req: Request, res: Response, next: NextFunction) => {
    const url = req.originalUrl;
    const q = url.indexOf('?');
    const wire = builtinAdminResponse(
      {
        method: req.method.toUpperCase(),
        path: q < 0 ? url : url.slice(0, q),
        search: q < 0 ? '' : url.slice(q + 1),
        headers: req.headers,
      },
      manifest,
      routes,
      store,
    );
    const answer = (built: WireResponse | undefined): void => {
      if (built) sendWire(res, built);
      else next();
    };
    if (wire instanceof Promise) wire.then(answer, next);
    else answer(wire);
  });

  options.extend?.(app);

  app.use((req: Request, res: Response) => {
    if (req.path.startsWith('/__mockgen')) {
      sendWire(res, unknownAdminResponse(req.method, req.path));
      return;
    }
    send(
      res,
      problem('NO_PATH_MATCHED_ERROR', `The route ${req.path} hasn't been found in the specification file`),
    );
  });

  // Express error handler: four parameters are how Express recognises it
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    send(res, problem('INTERNAL_ERROR', `The admin API failed: ${(err as Error)?.message ?? String(err)}`));
  });

  return app;
}

function send(res: Response, response: ReturnType<typeof problem>): void {
  sendWire(res, toWire(response));
}

function sendWire(res: Response, wire: WireResponse): void {
  res.writeHead(wire.status, wire.headers);
  res.end(wire.body);
}
