/**
 * The admin API under `/__mockgen/`, an Express 5 app (loaded on the first admin request only):
 *
 *   GET    /__mockgen/health      200 {status: 'ok', title, contractVersion, operations}
 *   GET    /__mockgen/routes      the operations the mock serves
 *   GET    /__mockgen/requests    the request journal, oldest first (`?session=` filters)
 *   DELETE /__mockgen/requests    clears the journal
 *   POST   /__mockgen/reset       resets state and sequences: every session, or only the one named by
 *                                 `?session=` / `X-Mockgen-Session`; a full reset clears the journal too
 *
 * A user extension (`extend`) may add routes to the same app; when one is installed the handler also
 * passes requests that match no operation here, before answering 404.
 */
import express from 'express';
import type { Request, Response, NextFunction } from 'express';
import { clearJournal, getJournal } from './journal';
import { problem } from './problem';
import { toWire } from './respond';
import { resetSessions } from './session';
import type { Manifest, RouteEntry } from './types';

export interface AdminOptions {
  manifest: Manifest;
  routes: RouteEntry[];
  extend?: (app: express.Express) => void;
}

function sessionOf(req: Request): string | undefined {
  const query = req.query.session;
  if (typeof query === 'string') return query;
  const header = req.headers['x-mockgen-session'];
  return typeof header === 'string' ? header : undefined;
}

export function createAdminApp(options: AdminOptions): express.Express {
  const { manifest, routes } = options;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');

  app.get('/__mockgen/health', (_req, res) => {
    res.json({
      status: 'ok',
      title: manifest.title,
      contractVersion: manifest.contractVersion,
      operations: routes.length,
    });
  });

  app.get('/__mockgen/routes', (_req, res) => {
    res.json(
      routes.map((r) => ({
        id: r.id,
        method: r.method.toUpperCase(),
        path: `${manifest.basePath ?? ''}${r.path}`,
      })),
    );
  });

  app.get('/__mockgen/requests', (req, res) => {
    const session = typeof req.query.session === 'string' ? req.query.session : undefined;
    res.json(getJournal(session === undefined ? undefined : { session }));
  });

  app.delete('/__mockgen/requests', (_req, res) => {
    clearJournal();
    res.status(204).end();
  });

  app.post('/__mockgen/reset', (req, res) => {
    const session = sessionOf(req);
    resetSessions(session);
    if (session === undefined) clearJournal();
    res.json({ status: 'reset', session: session ?? null });
  });

  options.extend?.(app);

  app.use((req: Request, res: Response) => {
    const admin = req.path.startsWith('/__mockgen');
    send(
      res,
      problem(
        admin ? 'NOT_FOUND' : 'NO_PATH_MATCHED_ERROR',
        admin
          ? `No admin endpoint ${req.method} ${req.path}; see GET /__mockgen/health, /__mockgen/routes, /__mockgen/requests, POST /__mockgen/reset.`
          : `The route ${req.path} hasn't been found in the specification file`,
      ),
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
  const wire = toWire(response);
  res.writeHead(wire.status, wire.headers);
  res.end(wire.body);
}
