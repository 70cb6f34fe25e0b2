/**
 * Where the devnet keeps its data, in a module of its own: `npm start` resolves it before it
 * starts the devnet's thread, and must not load the devnet's modules on its own thread to do so.
 */
import path from 'node:path';

/** Resolves the data directory the way `npm run devnet` does. */
export function resolveDataDir(dataDir?: string): string {
  return path.resolve(dataDir ?? process.env.HEALTHLEDGER_DATA_DIR ?? '.healthledger');
}
