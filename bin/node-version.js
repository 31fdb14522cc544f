// Plain JavaScript (no TypeScript, no syntax newer than Node 12), so that any
// Node can run it and say which Node the bridge needs, instead of failing
// with ERR_UNKNOWN_FILE_EXTENSION on the first .ts import.

/** The Node the bridge runs and is tested on: 24 strips TypeScript types by itself. */
export const REQUIRED_NODE_MAJOR = 24;

/** Null when `version` (e.g. "24.21.0") can run the bridge, else the one line to print. */
export function nodeVersionProblem(version, execPath) {
  const major = Number(String(version).split('.')[0]);
  if (major >= REQUIRED_NODE_MAJOR) return null;
  return (
    `continuity-bridge needs Node.js ${REQUIRED_NODE_MAJOR} or newer, but this is Node ${version} (${execPath}). ` +
    `Install Node ${REQUIRED_NODE_MAJOR} (https://nodejs.org/en/download, "nvm install ${REQUIRED_NODE_MAJOR}", or the node:${REQUIRED_NODE_MAJOR}-slim image), ` +
    `or run it through an npm script after a full "npm ci", which puts Node ${REQUIRED_NODE_MAJOR} first on the PATH.`
  );
}
