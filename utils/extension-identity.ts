/**
 * The identity of this extension, shared by the manifest (wxt.config.ts), the native host (which only answers
 * this extension) and the host installer (which names it in the host manifests).
 */

/** Public half of the key that pins the Chrome extension ID; the ID below is derived from it. */
export const CHROME_EXTENSION_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuAs4NQIcuJVWeNk2cC2FXkypnelP+KLM1jkTI/9JphYugStGDGixs7/zVk7xbPK78689I2GOSAbBuaLLZn9BVpdmRQx+DNcgwfp47Ok60Rf2HLKc18ebTwqxd25pze0sAa9+WMapLeGUNSsXtZU101ShaRaUYPJeIs416Sq9DcTu9X8fe0YOHHIprNTdxF7kkxpaNUCn4ADwqB5L22PxFYEgykNW4Kly7nvetUUuGpC9B7rmD4HYWvF3JSAaCx6ajnUmNLfD+pSugQpCSCcGOoz5ITRjcp8L9kOZNuLdZ7lDLT6bMckMhgzKczQ9FNlq7wx85myP+EEA1FuHX5wTsQIDAQAB';

/** First 32 hex digits of SHA-256 over the DER public key, mapped 0-f -> a-p (how Chromium derives IDs). */
export const CHROME_EXTENSION_ID = 'fgbbbobchlgefhfjpdpjefnngejjkcej';

export const CHROME_EXTENSION_ORIGIN = `chrome-extension://${CHROME_EXTENSION_ID}/`;

/** Firefox add-on id (browser_specific_settings.gecko.id). */
export const GECKO_ID = 'aws-saml-sync@aws-saml-sync.org';

/** Native messaging host name: lowercase letters, digits, dots and underscores; also the manifest's file name. */
export const NATIVE_HOST_NAME = 'org.aws_saml_sync.host';
