import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { OPTIONAL_STS_HOST_PATTERNS, SAML_SIGNIN_MATCH_PATTERNS, STS_HOST_PATTERNS } from './utils/aws-endpoints';
import { CHROME_EXTENSION_KEY, GECKO_ID } from './utils/extension-identity';
import { sdkXmlReaderVite } from './build/sdk-xml-reader';
import { FEDERATION_HOST_PATTERNS } from './utils/federation';
import { OPTIONAL_IDP_HOST_PATTERNS } from './utils/refresh-access';

// See https://wxt.dev/api/config.html
export default defineConfig({
  // Explicit imports everywhere: a reader sees where `browser` and `defineBackground` come from.
  imports: false,
  manifestVersion: 3,
  // locales/*.yml become _locales/*/messages.json and the typed `i18n.t` of `#i18n` (see i18n/translate.ts).
  modules: ['@wxt-dev/i18n/module'],
  vite: () => ({
    // sdkXmlReaderVite: the AWS SDK's DOM-free XML reader (MV3 service workers have no DOMParser).
    plugins: [preact(), sdkXmlReaderVite()],
    build: { target: 'es2022' },
  }),
  manifest: ({ browser }) => ({
    name: '__MSG_extension_name__',
    description: '__MSG_extension_description__',
    default_locale: 'en',
    permissions: ['webRequest', 'storage', 'nativeMessaging', 'alarms', 'notifications'],
    // FEDERATION_HOST_PATTERNS: only the /federation paths of the sign-in hosts ("Open console").
    host_permissions: [...SAML_SIGNIN_MATCH_PATTERNS, ...STS_HOST_PATTERNS, ...FEDERATION_HOST_PATTERNS],
    // OPTIONAL_IDP_HOST_PATTERNS: asked when the person turns silent refresh on, for their IdP's host only.
    optional_host_permissions: [...OPTIONAL_STS_HOST_PATTERNS, ...OPTIONAL_IDP_HOST_PATTERNS],
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
          // No other extension and no web page may message or connect to this one (Chrome's default lets every
          // extension in). Firefox only lets its own parts talk to it, and does not know this key.
          externally_connectable: { ids: [], matches: [] },
          // What an administrator may preset through policy (storage.managed); Firefox reads managed storage from
          // its own policies file and ignores this key.
          storage: { managed_schema: 'managed-schema.json' },
        }),
    action: { default_title: '__MSG_extension_name__' },
  }),
  hooks: {
    // Chrome-family: entrypoints/capture-first.ts is the service worker, and loads background.js itself, so the SAML
    // listeners exist before the background's bundle is compiled. Firefox keeps background.js alone (see that file).
    'build:manifestGenerated': (_wxt, manifest) => {
      const background = manifest.background as { service_worker?: string } | undefined;
      if (background?.service_worker) background.service_worker = 'capture-first.js';
    },
  },
  zip: {
    // Firefox's store asks for the sources of a bundled extension; keep what builds it, nothing generated.
    excludeSources: ['.output/**', '.wxt/**', 'node_modules/**', 'coverage/**', 'host/dist/**'],
  },
});
