/**
 * Lets the compiled gateway load workspace subpaths such as `@healthledger/chaincode/records/schemas`
 * (the chaincode's TypeBox schemas, which the API reuses) and `@healthledger/network/devnet`.
 * Those packages publish `dist/` but declare no `exports` map, so Node would look for
 * `chaincode/records/schemas.js` instead of `chaincode/dist/records/schemas.js`. TypeScript and
 * jest already map these subpaths (tsconfig `paths`, jest `moduleNameMapper`); this does the same
 * for Node at run time. Import it first in process entry points. It becomes a no-op once the
 * packages declare `"exports": { ".": "./dist/index.js", "./*": "./dist/*.js" }`.
 */
import Module from 'node:module';

const WORKSPACE_SUBPATH = /^(@healthledger\/(?:chaincode|network))\/(?!dist\/)(.+)$/;

type Resolve = (request: string, ...rest: unknown[]) => string;
// `_resolveFilename` is Node's internal CommonJS resolver hook; it is not in @types/node.
const moduleWithResolver = Module as unknown as { _resolveFilename: Resolve };
const original = moduleWithResolver._resolveFilename;

moduleWithResolver._resolveFilename = function resolveWorkspace(this: unknown, request: string, ...rest: unknown[]): string {
  try {
    return original.call(this, request, ...rest);
  } catch (err) {
    const match = WORKSPACE_SUBPATH.exec(request);
    if (!match) throw err;
    return original.call(this, `${match[1]}/dist/${match[2]}`, ...rest);
  }
};
