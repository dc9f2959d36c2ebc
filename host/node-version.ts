/** The Node check, in a module of its own so the package's bin can run it before anything else loads. */
export const MIN_NODE_MAJOR = 22;

/** One sentence when this Node is too old to run the helper (the bundle targets Node 22), else undefined. */
export function nodeVersionProblem(version: string): string | undefined {
  const major = Number(version.replace(/^v/, '').split('.')[0]);
  if (Number.isInteger(major) && major >= MIN_NODE_MAJOR) return undefined;
  return `aws-saml-sync-host needs Node.js ${MIN_NODE_MAJOR} or later and this is Node ${version.replace(/^v?/, 'v')}; install Node.js ${MIN_NODE_MAJOR} (https://nodejs.org) and run npx aws-saml-sync-host install again.`;
}
