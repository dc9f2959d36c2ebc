/**
 * Where AWS accepts SAML sign-ins and where STS listens, for every partition. Pure: no browser API.
 *
 * Match patterns cannot say "sts.<region>.amazonaws.com", so STS hosts are listed region by region; a region
 * added later is reached through the optional host permission the options page asks for.
 */

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
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) return undefined;
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

/** Match patterns (webRequest filter and host permissions) for every AWS SAML sign-in endpoint. */
export const SAML_SIGNIN_MATCH_PATTERNS: readonly string[] = PARTITION_NAMES.flatMap((p) => [
  `https://${PARTITIONS[p].signinHost}/saml*`,
  `https://*.${PARTITIONS[p].signinSuffix}/saml*`,
]);

/** Host permissions for STS in every known region of every partition, plus the global aws endpoint. */
export const STS_HOST_PATTERNS: readonly string[] = [
  'https://sts.amazonaws.com/*',
  ...PARTITION_NAMES.flatMap((p) =>
    PARTITIONS[p].regions.map((r) => `https://sts.${r}.${PARTITIONS[p].dnsSuffix}/*`),
  ),
];

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
  for (const partition of PARTITION_NAMES) {
    const info = PARTITIONS[partition];
    if (u.hostname === info.signinHost) return { partition, encrypted: acs };
    const suffix = `.${info.signinSuffix}`;
    if (u.hostname.endsWith(suffix)) {
      const region = u.hostname.slice(0, -suffix.length);
      if (partitionOfRegion(region) === partition) return { partition, region, encrypted: acs };
    }
  }
  return undefined;
}
