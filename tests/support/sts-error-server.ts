/**
 * A local stand-in for STS that answers what moto never does: real STS `ErrorResponse` documents with the HTTP
 * status STS uses for each code, scripted per request; plus well-formed successes, so a retry path can be followed
 * to its end. It records every request's form parameters (tests read `DurationSeconds` from them).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface StsRequest {
  action: string;
  params: URLSearchParams;
  /** Whether the request carried a SigV4 Authorization header. */
  signed: boolean;
}

export type StsReply =
  | { kind: 'error'; code: string; message: string; status: number }
  | { kind: 'success'; durationSeconds?: number }
  | { kind: 'raw'; status: number; contentType: string; body: string }
  | { kind: 'hang' };

/** The HTTP status real STS answers with for each error code (botocore model and AWS API reference). */
export const STS_ERROR_STATUS: Readonly<Record<string, number>> = {
  ExpiredTokenException: 400,
  InvalidIdentityToken: 400,
  AccessDenied: 403,
  ValidationError: 400,
  IDPRejectedClaim: 403,
  RegionDisabledException: 403,
  MalformedPolicyDocument: 400,
  PackedPolicyTooLarge: 400,
  IDPCommunicationError: 400,
  Throttling: 400,
  ExpiredToken: 400,
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  InternalFailure: 500,
  ServiceUnavailable: 503,
};

/** The messages real STS sends (as documented or as seen in the wild). */
export const STS_ERROR_MESSAGE: Readonly<Record<string, string>> = {
  ExpiredTokenException: 'Token must be redeemed within 5 minutes of issuance',
  InvalidIdentityToken: 'SAML Assertion doesn\'t contain the requested Role and Metadata in the RoleAttribute',
  AccessDenied: 'Not authorized to perform sts:AssumeRoleWithSAML',
  ValidationError: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
  IDPRejectedClaim: 'Error parsing SAML assertion: the signature does not match any certificate of the SAML provider',
  RegionDisabledException: 'STS is not activated in this region for account:123456789012. Your account administrator can activate STS in this region using the IAM Console.',
  MalformedPolicyDocument: 'The policy document is malformed',
  PackedPolicyTooLarge: 'Session tags exceed the packed size limit',
  IDPCommunicationError: 'The identity provider could not be reached',
  Throttling: 'Rate exceeded',
  ExpiredToken: 'The security token included in the request is expired',
  InvalidClientTokenId: 'The security token included in the request is invalid.',
  SignatureDoesNotMatch: 'The request signature we calculated does not match the signature you provided.',
  InternalFailure: 'An internal error occurred',
  ServiceUnavailable: 'Service is unavailable',
};

export function stsError(code: string, message = STS_ERROR_MESSAGE[code] ?? code, status = STS_ERROR_STATUS[code] ?? 400): StsReply {
  return { kind: 'error', code, message, status };
}

export function stsSuccess(durationSeconds?: number): StsReply {
  return { kind: 'success', durationSeconds };
}

export interface StsErrorServer {
  endpoint: string;
  requests: StsRequest[];
  /** Replies used in order, one per request; when they run out, `fallback` answers. */
  script(...replies: StsReply[]): void;
  fallback: (req: StsRequest) => StsReply;
  close(): Promise<void>;
}

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function errorDocument(code: string, message: string, requestId: string): string {
  return `<ErrorResponse xmlns="${XMLNS}">
  <Error>
    <Type>${code === 'InternalFailure' || code === 'ServiceUnavailable' ? 'Receiver' : 'Sender'}</Type>
    <Code>${escapeXml(code)}</Code>
    <Message>${escapeXml(message)}</Message>
  </Error>
  <RequestId>${requestId}</RequestId>
</ErrorResponse>
`;
}

function successDocument(req: StsRequest, durationSeconds: number, requestId: string): string {
  const roleArn = req.params.get('RoleArn') ?? 'arn:aws:iam::123456789012:role/unknown';
  const account = /::(\d{12}):/.exec(roleArn)?.[1] ?? '123456789012';
  const roleName = roleArn.split('/').pop() ?? 'unknown';
  const session = req.params.get('RoleSessionName') ?? 'saml-user@example.com';
  const expiration = new Date(Date.now() + durationSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const result = req.action === 'AssumeRole' ? 'AssumeRoleResult' : 'AssumeRoleWithSAMLResult';
  const samlExtras =
    req.action === 'AssumeRole'
      ? ''
      : `<Subject>${escapeXml(session)}</Subject><SubjectType>persistent</SubjectType><Issuer>https://idp.example.com/</Issuer>
    <Audience>https://signin.aws.amazon.com/saml</Audience><NameQualifier>SbdGOnUkh1i4+EXAMPLExL/jEvs=</NameQualifier>`;
  return `<${req.action}Response xmlns="${XMLNS}">
  <${result}>
    <Credentials>
      <AccessKeyId>ASIAERRSERVEREXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYERRSERVERKEY</SecretAccessKey>
      <SessionToken>FwoGZXIvYXdzEXAMPLETOKENFROMTHEERRORSERVER</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROAEXAMPLEROLEID:${escapeXml(session)}</AssumedRoleId>
      <Arn>arn:aws:sts::${account}:assumed-role/${escapeXml(roleName)}/${escapeXml(session)}</Arn>
    </AssumedRoleUser>
    ${samlExtras}
  </${result}>
  <ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>
</${req.action}Response>
`;
}

export async function startStsErrorServer(): Promise<StsErrorServer> {
  const queue: StsReply[] = [];
  const requests: StsRequest[] = [];
  const sockets = new Set<Socket>();
  let n = 0;
  const state: StsErrorServer = {
    endpoint: '',
    requests,
    script: (...replies) => {
      queue.length = 0;
      queue.push(...replies);
    },
    fallback: () => stsError('InternalFailure'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const request: StsRequest = { action: params.get('Action') ?? '', params, signed: !!req.headers.authorization };
      requests.push(request);
      const reply = queue.shift() ?? state.fallback(request);
      const requestId = `00000000-0000-4000-8000-${(++n).toString().padStart(12, '0')}`;
      switch (reply.kind) {
        case 'hang':
          return; // never answer; the client's timeout has to end it
        case 'raw':
          res.writeHead(reply.status, { 'content-type': reply.contentType });
          res.end(reply.body);
          return;
        case 'error':
          res.writeHead(reply.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
          res.end(errorDocument(reply.code, reply.message, requestId));
          return;
        case 'success': {
          const asked = Number(params.get('DurationSeconds') ?? '3600');
          res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
          res.end(successDocument(request, reply.durationSeconds ?? asked, requestId));
          return;
        }
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
