/**
 * Where AWS accepts SAML sign-ins and where STS listens, for every partition. Pure: no browser API.
 *
 * Match patterns cannot say "sts.<region>.amazonaws.com", so STS hosts are listed region by region; a region
 * added later is reached through the optional host permission the options page asks for.
 */

import { follows, REGION } from './aws-names';

export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

interface PartitionInfo {
  /** Sign-in host of the partition's home region (the "global" endpoint). */
  signinHost: string;
  /** DNS suffix of regional sign-in hosts: `<region>.<suffix>`. */
  signinSuffix: string;
  /** DNS suffix of service endpoints: `sts.<region>.<suffix>`. */
  dnsSuffix: string;
  /** Region used when nothing else names one. */
  defaultRegion: string;
  /** Must STS be reached through a regional endpoint? */
  regionalStsOnly: boolean;
  regions: readonly string[];
}

export const PARTITIONS: Readonly<Record<Partition, PartitionInfo>> = {
  aws: {
    signinHost: 'signin.aws.amazon.com',
    signinSuffix: 'signin.aws.amazon.com',
    dnsSuffix: 'amazonaws.com',
    defaultRegion: 'us-east-1',
    regionalStsOnly: false,
    regions: [
      'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
      'af-south-1',
      'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2',
      'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6',
      'ap-southeast-7',
      'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
      'ca-central-1', 'ca-west-1',
      'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'eu-south-1',
      'eu-south-2',
      'il-central-1', 'me-south-1', 'me-central-1', 'mx-central-1', 'sa-east-1',
    ],
  },
  'aws-us-gov': {
    signinHost: 'signin.amazonaws-us-gov.com',
    signinSuffix: 'signin.amazonaws-us-gov.com',
    dnsSuffix: 'amazonaws.com',
    defaultRegion: 'us-gov-west-1',
    regionalStsOnly: true,
    regions: ['us-gov-west-1', 'us-gov-east-1'],
  },
  'aws-cn': {
    signinHost: 'signin.amazonaws.cn',
    signinSuffix: 'signin.amazonaws.cn',
    dnsSuffix: 'amazonaws.com.cn',
    defaultRegion: 'cn-north-1',
    regionalStsOnly: true,
    regions: ['cn-north-1', 'cn-northwest-1'],
  },
};

export const PARTITION_NAMES = Object.keys(PARTITIONS) as Partition[];

export function isPartition(value: string): value is Partition {
  return Object.hasOwn(PARTITIONS, value);
}

/** Which partition a region belongs to (by prefix), or undefined for a string that is not a region name. */
export function partitionOfRegion(region: string): Partition | undefined {
  if (!follows(REGION, region)) return undefined;
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

/** Match patterns (webRequest filter and host permissions) for every AWS SAML sign-in endpoint. */
export const SAML_SIGNIN_MATCH_PATTERNS: readonly string[] = PARTITION_NAMES.flatMap((p) => [
  `https://${PARTITIONS[p].signinHost}/saml*`,
  `https://*.${PARTITIONS[p].signinSuffix}/saml*`,
]);

/** Host permissions for STS in every known region of every partition (the extension always calls a regional one). */
export const STS_HOST_PATTERNS: readonly string[] = PARTITION_NAMES.flatMap((p) =>
  PARTITIONS[p].regions.map((r) => `https://sts.${r}.${PARTITIONS[p].dnsSuffix}/*`),
);

/** Granted on demand from the options page: a region not listed above, a FIPS or VPC endpoint. */
export const OPTIONAL_STS_HOST_PATTERNS: readonly string[] = ['https://*.amazonaws.com/*', 'https://*.amazonaws.com.cn/*'];

export interface SamlEndpoint {
  partition: Partition;
  /** The region named in the host (`eu-west-1.signin...`), undefined for the partition's main host. */
  region?: string;
  /** True for `/saml/acs/<IdP-ID>`, the endpoint of IdPs that encrypt their assertions. */
  encrypted: boolean;
}

/**
 * Recognise an AWS SAML sign-in URL (`https://[<region>.]signin.<partition host>/saml[/acs/<id>]`). Anything
 * else, including look-alike hosts such as `signin.aws.amazon.com.evil.example`, gives undefined.
 */
export function parseSamlEndpoint(url: string): SamlEndpoint | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' || u.port !== '') return undefined;
  const path = u.pathname.replace(/\/+$/, '');
  const acs = /^\/saml\/acs\/[\w-]+$/.test(path);
  if (path !== '/saml' && !acs) return undefined;
  const host = parseSigninHost(u.hostname);
  return host && { ...host, encrypted: acs };
}

/**
 * An AWS sign-in host (`[<region>.]signin.<partition host>`), its partition and region; undefined for anything
 * else, including look-alikes such as `signin.aws.amazon.com.evil.example` or a region of another partition.
 */
export function parseSigninHost(hostname: string): { partition: Partition; region?: string } | undefined {
  for (const partition of PARTITION_NAMES) {
    const info = PARTITIONS[partition];
    if (hostname === info.signinHost) return { partition };
    const suffix = `.${info.signinSuffix}`;
    if (hostname.endsWith(suffix)) {
      const region = hostname.slice(0, -suffix.length);
      if (partitionOfRegion(region) === partition) return { partition, region };
    }
  }
  return undefined;
}

export interface StsEndpointHost {
  /** `https://<host>` without a trailing slash. */
  url: string;
  host: string;
  region: string;
  partition: Partition;
  kind: 'regional' | 'fips' | 'vpce';
}

/**
 * An STS endpoint URL when it has the shape of a real AWS STS host, else undefined: `sts[-fips].<region>.amazonaws.com`
 * (aws, aws-us-gov), `sts.<region>.amazonaws.com.cn` (aws-cn) and interface VPC endpoints
 * `<vpce-id>[-<az>].sts.<region>.vpce.amazonaws.com[.cn]`; https on the default port, no user, path, query or
 * fragment. The region must belong to the DNS suffix's partition. Anything else (another host, an API Gateway or
 * CloudFront host under amazonaws.com, plain http, loopback) is refused: the assertion goes to STS only.
 */
export function parseStsEndpoint(value: string): StsEndpointHost | undefined {
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    return undefined;
  }
  if (u.protocol !== 'https:' || u.port !== '' || u.username || u.password || u.search || u.hash) return undefined;
  if (u.pathname !== '/' && u.pathname !== '') return undefined;
  const m =
    /^(?:(sts|sts-fips)|(vpce-[a-z0-9]{1,32}(?:-[a-z0-9]{1,32}){1,6})\.sts)\.([a-z0-9-]{1,32})\.(vpce\.)?(amazonaws\.com(?:\.cn)?)$/.exec(
      u.hostname,
    );
  if (!m) return undefined;
  const [, plain, vpceId, region = '', vpceLabel, suffix] = m;
  if (!!vpceId !== !!vpceLabel) return undefined;
  const partition = partitionOfRegion(region);
  if (!partition || PARTITIONS[partition].dnsSuffix !== suffix) return undefined;
  if (plain === 'sts-fips' && partition === 'aws-cn') return undefined;
  return {
    url: `https://${u.hostname}`,
    host: u.hostname,
    region,
    partition,
    kind: vpceId ? 'vpce' : plain === 'sts-fips' ? 'fips' : 'regional',
  };
}

/** The match pattern of an https URL's host (`https://host/*`), for permissions.contains / request. */
export function hostPatternOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' ? `https://${u.hostname}/*` : undefined;
  } catch {
    return undefined;
  }
}
