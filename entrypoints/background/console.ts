/**
 * "Open console for <profile>": the profile's credentials (held in this browser session) become a federation
 * sign-in token, then a console tab (utils/federation.ts). A chained profile written as config only is assumed now
 * from its source's credentials; chained credentials are sent without SessionDuration (AWS refuses it for them).
 */
import { browser } from 'wxt/browser';
import { localized } from '@/utils/localized-text';
import { consoleLoginUrl, partitionOfArn, signinTokenOf, signinTokenUrl } from '@/utils/federation';
import { SettingsError, type Settings } from '@/utils/settings';
import { assumeChainedRole, StsError } from '@/utils/sts';
import type { HeldCredentials } from '@/utils/profile-sync';
import { heldCredentials } from './session-state';
import { mayReach } from './sync';

const FEDERATION_TIMEOUT_MS = 15_000;

async function credentialsFor(profile: string, settings: Settings, now: number): Promise<{ creds: HeldCredentials; chained: boolean }> {
  const chain = settings.chains.find((c) => c.profile === profile);
  const held = await heldCredentials(profile, now);
  if (held) return { creds: held, chained: chain !== undefined };
  if (chain) {
    const source = await heldCredentials(chain.sourceProfile, now);
    if (source) {
      try {
        const creds = await assumeChainedRole({ ...source, expiration: new Date(source.expiration) }, chain.roleArn, {
          region: chain.region ?? settings.defaultRegion,
          stsEndpoint: settings.stsEndpoint,
          durationSeconds: chain.durationSeconds,
          externalId: chain.externalId,
          roleSessionName: chain.roleSessionName,
          // Source credentials go to an STS endpoint only while its host permission is granted, as in every sync.
          allowEndpoint: mayReach,
        });
        return {
          creds: { ...creds, expiration: creds.expiration.toISOString(), roleArn: chain.roleArn, region: chain.region ?? settings.defaultRegion },
          chained: true,
        };
      } catch (error) {
        if (error instanceof StsError) throw new SettingsError(error.advice);
        throw error;
      }
    }
  }
  throw new SettingsError(localized('background.noCredentialsForConsole', { profile }));
}

export async function openConsole(profile: string, settings: Settings, now = Date.now()): Promise<{ opened: boolean }> {
  const { creds, chained } = await credentialsFor(profile, settings, now);
  const partition = partitionOfArn(creds.roleArn);
  const left = Math.floor((Date.parse(creds.expiration) - now) / 1000);
  const url = signinTokenUrl(partition, creds, chained ? undefined : Math.max(900, Math.min(settings.maxSessionSeconds, left)));
  let token: string | undefined;
  try {
    const response = await fetch(url, { credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(FEDERATION_TIMEOUT_MS) });
    token = response.ok ? signinTokenOf(await response.json()) : undefined;
  } catch {
    token = undefined;
  }
  if (!token) throw new SettingsError(localized('background.noConsoleSignIn'));
  await browser.tabs.create({ url: consoleLoginUrl(partition, token, creds.region), active: true });
  return { opened: true };
}
