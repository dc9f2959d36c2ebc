/**
 * vitest globalSetup of the integration and e2e projects: one moto server (plain HTTP on a free loopback port) for
 * the whole run, handed to tests as `inject('motoEndpoint')`, stopped when the run ends. Fails with one sentence
 * saying how to install moto when it is missing.
 */
import type { TestProject } from 'vitest/node';
import { startMoto } from './moto';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:PORT` of the moto server started for this run. */
    motoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const moto = await startMoto();
  project.provide('motoEndpoint', moto.endpoint);
  return () => moto.stop();
}
