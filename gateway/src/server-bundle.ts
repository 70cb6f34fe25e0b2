/**
 * How `npm start` loads the gateway's server module: from gateway/dist/server.bundle.js, the
 * server and what it requires in one file (scripts/bundle-gateway.js, run by `npm run build`),
 * compiled with a V8 code cache (@healthledger/network/devnet/bundle, which the devnet's worker
 * thread loads its own bundle with). Without a bundle (sources run by ts-jest), or with one older
 * than a built file it was made from (tsc run without the bundle step), the server module is
 * imported as usual.
 */
import path from 'node:path';
import { loadBundle, type LoadedBundle } from '@healthledger/network/devnet/bundle';

type ServerModule = typeof import('./server');

/** The server module, and what writes the code cache once a start has run the code it needs. */
export interface LoadedServer {
  server: ServerModule;
  /** Where the code came from: the server module (no bundle, or a stale one), or the bundle with its code cache used, made anew or refused by V8. */
  source: 'modules' | LoadedBundle<ServerModule>['source'];
  /** Call once the gateway listens (see LoadedBundle.saveCodeCacheSoon); nothing to do for modules. */
  saveCodeCacheSoon(): void;
}

export const BUNDLE = path.join(__dirname, 'server.bundle.js');

/** Loads the bundle if there is one, else the server module itself. */
export async function loadServer(bundle = BUNDLE): Promise<LoadedServer> {
  const loaded = loadBundle<ServerModule>(bundle);
  if (!loaded) return { server: await import('./server'), source: 'modules', saveCodeCacheSoon: () => undefined };
  return { server: loaded.exports, source: loaded.source, saveCodeCacheSoon: () => loaded.saveCodeCacheSoon() };
}
