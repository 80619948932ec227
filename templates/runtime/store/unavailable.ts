/** State could not be read or written (a network store is unreachable): answered 503, the request may be retried. */
export class StoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailableError';
  }
}
