/**
 * The one home of every AWS name rule: role and SAML provider ARNs, account ids, regions, session names, external
 * ids and profile names. Each is a pattern plus the one sentence shown when it is broken, used alike by the SAML
 * parser, the settings, the popup, STS calls and the host's schema. Pure: no browser API, no dependency.
 */
import type { Partition } from './aws-endpoints';
import type { MessageKey } from './localized-text';

export interface NameRule {
  readonly pattern: RegExp;
  /** What a valid value looks like, in one English sentence (the host's schema, logs). */
  readonly rule: string;
  /** The same sentence in the message catalogues, for the extension's screens. */
  readonly key: MessageKey;
}

const PARTITION_RE = '(aws|aws-us-gov|aws-cn)';
export const MAX_ARN_LENGTH = 2048;

/** `role/` then an optional IAM path (segments of printable ASCII but `/`) then the role name (IAM's charset). */
export const ROLE_ARN: NameRule = {
  pattern: new RegExp(`^arn:${PARTITION_RE}:iam::(\\d{12}):role/((?:[\\x21-\\x2E\\x30-\\x7E]+/)*)([\\w+=,.@-]{1,64})$`),
  rule: 'That is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>).',
  key: 'names.roleArn',
};

export const SAML_PROVIDER_ARN: NameRule = {
  pattern: new RegExp(`^arn:${PARTITION_RE}:iam::(\\d{12}):saml-provider/([\\w.+=@-]{1,128})$`),
  rule: 'That is not an IAM SAML provider ARN (arn:aws:iam::<12 digits>:saml-provider/<name>).',
  key: 'names.samlProviderArn',
};

export const ACCOUNT_ID: NameRule = { pattern: /^\d{12}$/, rule: 'An AWS account id is 12 digits.', key: 'names.accountId' };

export const REGION: NameRule = {
  pattern: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/,
  rule: 'That is not an AWS region name (like eu-west-1).',
  key: 'names.region',
};

/** STS's RoleSessionName (AssumeRole and the SAML attribute alike). */
export const SESSION_NAME: NameRule = {
  pattern: /^[\w+=,.@-]{2,64}$/,
  rule: 'A session name uses letters, digits and _+=,.@- (2 to 64 characters).',
  key: 'names.sessionName',
};

export const EXTERNAL_ID: NameRule = {
  pattern: /^[\w+=,.@:/-]{2,1224}$/,
  rule: 'An external ID uses letters, digits and _+=,.@:/- (2 to 1224 characters).',
  key: 'names.externalId',
};

/**
 * Profile names both parsers read back under the same name: botocore's configparser and the JS SDK's
 * (@smithy/shared-ini-file-loader), which does not recognise `[profile a=b]` or `[profile a,b]`.
 */
export const PROFILE_NAME: NameRule = {
  pattern: /^[A-Za-z0-9_.@+-]{1,64}$/,
  rule: 'A profile name may use letters, digits and _ . @ + - (1 to 64 characters).',
  key: 'names.profileName',
};

export function follows(rule: NameRule, value: string): boolean {
  return rule.pattern.test(value);
}

export interface RoleArnParts {
  partition: Partition;
  accountId: string;
  /** IAM path with both slashes, `/` when none: `role/team/app/Deployer` -> `/team/app/`. */
  rolePath: string;
  /** Last segment: `role/team/app/Deployer` -> `Deployer`. */
  roleName: string;
}

/** Splits an IAM role ARN of any partition; undefined when it is not one. */
export function parseRoleArn(arn: string): RoleArnParts | undefined {
  if (arn.length > MAX_ARN_LENGTH) return undefined;
  const m = ROLE_ARN.pattern.exec(arn);
  if (!m) return undefined;
  const rolePath = `/${m[3] ?? ''}`;
  if (rolePath.length > 512) return undefined;
  return { partition: m[1] as Partition, accountId: m[2] ?? '', rolePath, roleName: m[4] ?? '' };
}

export interface SamlProviderArnParts {
  partition: Partition;
  accountId: string;
  providerName: string;
}

/** Splits an IAM SAML provider ARN of any partition; undefined when it is not one. */
export function parseSamlProviderArn(arn: string): SamlProviderArnParts | undefined {
  if (arn.length > MAX_ARN_LENGTH) return undefined;
  const m = SAML_PROVIDER_ARN.pattern.exec(arn);
  if (!m) return undefined;
  return { partition: m[1] as Partition, accountId: m[2] ?? '', providerName: m[3] ?? '' };
}

/** The account id of a role ARN, or undefined. */
export function accountOfRoleArn(arn: string): string | undefined {
  return parseRoleArn(arn)?.accountId;
}
