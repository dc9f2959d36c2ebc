/**
 * Plays DNS for the real SDK's STS requests: the product code computes the real AWS host names
 * (`https://sts.us-east-1.amazonaws.com`), and the test delivers each request to a local stand-in (moto, the STS
 * error server) through the SDK's public `requestHandler` option, as the e2e tests do with --host-resolver-rules.
 * Never a looser endpoint rule in the product. The Host header stays the AWS name, which is also how moto routes a
 * request to STS. Every request is recorded: where the SDK meant to send it, the action, the SigV4 signing region.
 */
import type { HttpHandlerOptions } from '@smithy/types';
import { FetchHttpHandler } from '@smithy/fetch-http-handler';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface SentRequest {
  /** Where the SDK sent it: `https://sts.us-gov-west-1.amazonaws.com/`. */
  url: string;
  action: string;
  /** The region of the SigV4 credential scope, undefined when unsigned. */
  signingRegion?: string;
}

type Req = { protocol: string; hostname: string; port?: number; path: string; headers: Record<string, string>; body?: unknown };

/**
 * `node`: node:http, as the SDK uses in Node. `fetch`: the SDK's fetch handler, for code bundled for the browser
 * (its stream reader expects fetch's bodies) run in Node.
 */
export type Transport = 'node' | 'fetch';

export class StsRoute {
  readonly sent: SentRequest[] = [];
  private readonly inner: NodeHttpHandler | FetchHttpHandler;
  private readonly target: URL;
  constructor(
    standIn: string,
    timeoutMs = 10_000,
    private readonly transport: Transport = 'node',
  ) {
    this.target = new URL(standIn);
    this.inner =
      transport === 'node'
        ? new NodeHttpHandler({ requestTimeout: timeoutMs, connectionTimeout: timeoutMs, throwOnRequestTimeout: true })
        : new FetchHttpHandler({ requestTimeout: timeoutMs });
  }
  async handle(request: Req, options?: HttpHandlerOptions) {
    const port = request.port ? `:${request.port}` : '';
    this.sent.push({
      url: `${request.protocol}//${request.hostname}${port}${request.path}`,
      action: new URLSearchParams(String(request.body ?? '')).get('Action') ?? '',
      signingRegion: /Credential=[^/]+\/\d{8}\/([^/]+)\/sts\/aws4_request/.exec(request.headers.authorization ?? '')?.[1],
    });
    // fetch sets Host itself (from the URL); moto then routes on the form body's Action, as for any local caller.
    if (this.transport === 'node') request.headers.host = request.hostname;
    request.protocol = this.target.protocol;
    request.hostname = this.target.hostname;
    request.port = Number(this.target.port) || (this.target.protocol === 'https:' ? 443 : 80);
    return this.inner.handle(request as never, options);
  }
  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
  destroy(): void {
    this.inner.destroy();
  }
}

/** STS options that deliver every request to `standIn` (`http://127.0.0.1:PORT`), per-attempt timeout as given. */
export function viaStandIn(standIn: string, timeoutMs = 10_000, transport: Transport = 'node'): { requestHandler: never } {
  return { requestHandler: new StsRoute(standIn, timeoutMs, transport) as never };
}
