/**
 * The mock server's request handler. The pipeline lives in server/ (see server/README.md); this
 * module is the entry point the emitted server and tests import.
 */
export { createMockHandler, type MockHandler, type MockHandlerOptions } from './server/handler';
export type { AdminApp } from './server/context';
export { normalizePath } from './server/route';
