/**
 * Where entrypoints/capture-first.ts leaves the SAML listener it registered for the background to pick up: one
 * name on the worker's global object, shared by the two scripts (they are separate bundles).
 */
import type { SamlListener } from './saml-listener';

export const EARLY_LISTENER_GLOBAL = '__awsSamlSyncEarlyListener';
export type EarlyGlobal = { [EARLY_LISTENER_GLOBAL]?: SamlListener };
