/**
 * The part of autocannon (which declares no types of its own) that scripts/bench-rest.js uses:
 * a run of `amount` requests over `connections` keep-alive connections, each request built from
 * the one-element `requests`, with a `response` event per response.
 */
declare module 'autocannon' {
  namespace autocannon {
    interface RequestStep {
      method: string;
      path: string;
      /** Builds each request from the step (e.g. a fresh body). */
      setupRequest?: (request: Record<string, unknown>) => Record<string, unknown>;
    }
    interface Options {
      url: string;
      connections: number;
      amount: number;
      /** Seconds. */
      timeout: number;
      headers: Record<string, string>;
      requests: [RequestStep];
    }
    interface Result {
      non2xx: number;
      errors: number;
      timeouts: number;
    }
    /** The run: a promise of its result that also emits per response (`responseTime` in ms). */
    interface Instance extends Promise<Result> {
      on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
    }
  }
  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
