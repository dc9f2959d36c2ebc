/**
 * Which STS endpoint and signing region a role is exchanged at. Pure: no network, no browser API.
 *
 * - The partition comes from the role ARN (`arn:<partition>:iam::…`): credentials of one partition are useless in
 *   another, so nothing else may choose it.
 * - The region is the first of these that belongs to that partition: the region named in a custom endpoint's host
 *   name (it must sign for the region it lives in), the region setting, the region of a regional SAML destination
 *   (`https://eu-west-1.signin.aws.amazon.com/saml`); else the partition's default: `us-east-1` (aws),
 *   `us-gov-west-1` (aws-us-gov), `cn-north-1` (aws-cn). A region setting from another partition (say `eu-west-1`
 *   for a GovCloud role) is ignored rather than sent to an endpoint that cannot answer for that role.
 * - The endpoint is always regional, `https://sts.<region>.<partition DNS suffix>`: AWS recommends it, GovCloud and
 *   China require it, and credentials from any regional endpoint work in every region.
 * - A custom endpoint (a VPC or FIPS endpoint) replaces the URL, never the partition. Only AWS STS host shapes are
 *   accepted (parseStsEndpoint): the assertion is a bearer token for every role it lists and goes to STS only.
 *   Tests reach their stand-ins through these same host names, never through a looser rule here.
 */
import { PublicError } from './public-error';
import { parseSamlEndpoint, parseStsEndpoint, partitionOfRegion, PARTITIONS, type Partition } from './aws-endpoints';
import { localized } from './localized-text';
import { parseRoleArn } from './aws-names';

export interface StsTarget {
  partition: Partition;
  /** The SigV4 signing region (and the region of the endpoint, unless it is custom). */
  region: string;
  /** Base URL of STS, without a trailing slash. */
  endpoint: string;
  /** Where the region came from, for the options page and for tests. */
  regionSource: 'setting' | 'custom-endpoint' | 'saml-destination' | 'partition-default';
  custom: boolean;
}

export interface StsTargetInput {
  roleArn: string;
  /** The region setting (options page or profile mapping). */
  region?: string;
  /** The SAML Response's Destination, or the URL the assertion was posted to. */
  samlDestination?: string;
  /** A custom STS URL from the settings: an AWS STS host (regional, FIPS or VPC endpoint). */
  stsEndpoint?: string;
}

/** `https://sts.<region>.<dns suffix>` for a region of the partition. */
export function regionalStsUrl(partition: Partition, region: string): string {
  return `https://sts.${region}.${PARTITIONS[partition].dnsSuffix}`;
}

export class StsEndpointError extends PublicError {
  override name = 'StsEndpointError';
}

/** Throws StsEndpointError (one sentence) for a role ARN or custom endpoint that cannot be used. */
export function resolveStsTarget(input: StsTargetInput): StsTarget {
  const arn = parseRoleArn(input.roleArn.trim());
  if (!arn) {
    throw new StsEndpointError(localized('stsEndpoint.notRoleArn'));
  }
  const { partition } = arn;
  const inPartition = (r: string | undefined): r is string => !!r && partitionOfRegion(r) === partition;

  let custom: ReturnType<typeof parseStsEndpoint>;
  if (input.stsEndpoint !== undefined && input.stsEndpoint.trim() !== '') {
    custom = parseStsEndpoint(input.stsEndpoint);
    if (!custom) throw new StsEndpointError(localized('stsEndpoint.notSts'));
    if (custom.partition !== partition) {
      throw new StsEndpointError(localized('stsEndpoint.otherPartition', { host: custom.host, roleArn: input.roleArn.trim() }));
    }
  }

  const setting = input.region?.trim();
  const destinationRegion = input.samlDestination ? parseSamlEndpoint(input.samlDestination)?.region : undefined;
  const hostRegion = custom?.region;

  let region: string;
  let regionSource: StsTarget['regionSource'];
  if (inPartition(hostRegion)) {
    // A custom endpoint signs for the region it lives in, whatever the setting says.
    region = hostRegion;
    regionSource = 'custom-endpoint';
  } else if (inPartition(setting)) {
    region = setting;
    regionSource = 'setting';
  } else if (inPartition(destinationRegion)) {
    region = destinationRegion;
    regionSource = 'saml-destination';
  } else {
    region = PARTITIONS[partition].defaultRegion;
    regionSource = 'partition-default';
  }

  const endpoint = custom ? custom.url : regionalStsUrl(partition, region);
  return { partition, region, endpoint, regionSource, custom: !!custom };
}
