/**
 * How long parseSamlResponse takes: a typical 3-role login and a 300-role one (a person in many accounts, ~90 KB
 * of base64), both Okta-shaped with whitespace around values and a dummy signature. Target: 300 roles < 5 ms median.
 */
import { parseSamlResponse } from '../utils/saml';
import { buildSamlResponse, manyRoles } from '../tests/support/saml-fixtures';
import { measure, report } from './measure';

export default async function (): Promise<void> {
  for (const count of [3, 300]) {
    const samlResponse = buildSamlResponse({ dialect: 'okta', roles: manyRoles(count), signature: true, lineLength: 76 });
    const parsed = parseSamlResponse(samlResponse);
    if (parsed.roles.length !== count) throw new Error(`expected ${count} roles, parsed ${parsed.roles.length}`);
    const timing = await measure(() => parseSamlResponse(samlResponse), 200, 20);
    report(
      `parseSamlResponse, ${count} roles (${(samlResponse.length / 1024).toFixed(0)} KB base64), median`,
      timing.median,
      'ms',
      count === 300 ? { max: 5 } : { max: 1 },
    );
    report(`parseSamlResponse, ${count} roles, p90`, timing.p90, 'ms');
  }
}
