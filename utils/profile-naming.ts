/**
 * Default profile names from a template. Pure.
 * Placeholders: {account} (12-digit id), {alias} (account alias, else the id), {role} (role name), {path} (role
 * path without slashes), {partition}. The result keeps only characters a profile name may use.
 */
import { follows, PROFILE_NAME } from './aws-names';
import type { SamlRole } from './saml';


export function defaultProfileName(template: string, role: SamlRole, alias?: string): string {
  const path = role.roleArn.split(':role/')[1]?.split('/').slice(0, -1).join('-') ?? '';
  const values: Record<string, string> = {
    account: role.accountId,
    alias: alias || role.accountId,
    role: role.roleName,
    path,
    partition: role.partition,
  };
  const filled = template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
  const cleaned = filled
    .replace(/\s+/g, '-')
    .replace(/[^A-Za-z0-9_.@+-]/g, '')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 64);
  return cleaned || `${role.accountId}-${role.roleName}`.slice(0, 64);
}

export function isValidProfileName(name: string): boolean {
  return follows(PROFILE_NAME, name);
}
