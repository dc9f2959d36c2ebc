import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { OPTIONAL_STS_HOST_PATTERNS, SAML_SIGNIN_MATCH_PATTERNS, STS_HOST_PATTERNS } from './utils/aws-endpoints';
import { CHROME_EXTENSION_KEY, GECKO_ID } from './utils/extension-identity';
import { stsViteBundling } from './utils/sts-bundling';

// See https://wxt.dev/api/config.html
export default defineConfig({
  // Explicit imports everywhere: a reader sees where `browser` and `defineBackground` come from.
  imports: false,
  manifestVersion: 3,
  vite: () => ({
    // stsViteBundling: the SDK's DOM-free XML reader (MV3 service workers have no DOMParser) and no dead SDK code.
    plugins: [preact(), stsViteBundling()],
    build: { target: 'es2022' },
  }),
  manifest: ({ browser }) => ({
    name: 'AWS SAML Sync',
    description:
      'Turns your SAML sign-in to AWS (Google Workspace and any other IdP) into AWS CLI profiles in ~/.aws, kept fresh on every login.',
    permissions: ['webRequest', 'storage', 'nativeMessaging', 'alarms', 'notifications'],
    host_permissions: [...SAML_SIGNIN_MATCH_PATTERNS, ...STS_HOST_PATTERNS],
    optional_host_permissions: [...OPTIONAL_STS_HOST_PATTERNS],
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              strict_min_version: '128.0',
              // Nothing is collected or sent anywhere but AWS STS and the local helper.
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {
          key: CHROME_EXTENSION_KEY,
          minimum_chrome_version: '120',
          // What an administrator may preset through policy (storage.managed); Firefox reads managed storage from
          // its own policies file and ignores this key.
          storage: { managed_schema: 'managed-schema.json' },
        }),
    action: { default_title: 'AWS SAML Sync' },
  }),
  zip: {
    // Firefox's store asks for the sources of a bundled extension; keep what builds it, nothing generated.
    excludeSources: ['.output/**', '.wxt/**', 'node_modules/**', 'coverage/**'],
  },
});
