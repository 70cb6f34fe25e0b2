// ESLint: type-checked typescript-eslint rules everywhere, plus the chaincode determinism rules.
import tseslint from 'typescript-eslint';

const nonDeterministicGlobals = [
  { name: 'Date', message: 'Chaincode must take time from the transaction timestamp (shared/clock).' },
  { name: 'setTimeout', message: 'Timers are non-deterministic in chaincode.' },
  { name: 'setInterval', message: 'Timers are non-deterministic in chaincode.' },
  { name: 'setImmediate', message: 'Timers are non-deterministic in chaincode.' },
  { name: 'performance', message: 'Clocks are non-deterministic in chaincode.' },
];

const forbiddenModules = ['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'os', 'worker_threads'].flatMap(
  (m) => [m, `node:${m}`],
);

// What CommonJS gives a module (node's own globals are typed by @types/node and checked by tsc).
const commonjsGlobals = { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' };

export default tseslint.config(
  // JavaScript is not linted, except scripts/ (below).
  // test/e2e/client/schema.ts is generated (npm run openapi) and checked against its source by a test.
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '.healthledger/**', 'test/e2e/client/schema.ts', 'network/consortium/shape-validator.generated.ts', '**/*.js', '!scripts/**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/explicit-module-boundary-types': 'off',
    },
  },
  {
    // The console (gateway/console): browser modules with the DOM library, typed by their own tsconfig.
    files: ['gateway/console/src/**/*.ts'],
    languageOptions: {
      parserOptions: { project: './gateway/console/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // scripts/: CommonJS JavaScript that node runs as it is (benchmarks, real-Fabric runs,
    // generators), typed with JSDoc and checked by scripts/tsconfig.json (`npm run typecheck`).
    files: ['scripts/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: commonjsGlobals,
      parserOptions: { project: './scripts/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Tests may poke at internals and use loose fixtures.
    files: ['**/*.test.ts', '**/testing/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Determinism: every endorsing peer must compute the same result, or the gateway cannot collect matching endorsements.
    // The contract API runs inside the chaincode too (validation, batch planning).
    files: ['chaincode/src/**/*.ts', 'chaincode/contract-api/src/**/*.ts'],
    ignores: ['chaincode/src/**/*.test.ts', 'chaincode/src/testing/**', 'chaincode/contract-api/src/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', ...nonDeterministicGlobals],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Randomness is non-deterministic in chaincode.' },
        { object: 'process', property: 'env', message: 'Environment differs between peers.' },
        { object: 'process', property: 'hrtime', message: 'Clocks are non-deterministic in chaincode.' },
        { object: 'crypto', property: 'randomUUID', message: 'Randomness is non-deterministic in chaincode.' },
        { object: 'crypto', property: 'randomBytes', message: 'Randomness is non-deterministic in chaincode.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: forbiddenModules.map((name) => ({ name, message: 'I/O is non-deterministic in chaincode.' })),
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date']", message: 'Use the transaction timestamp (shared/clock).' },
        { selector: "CallExpression[callee.name='require']", message: 'Use import so the determinism rules see it.' },
      ],
    },
  },
  {
    // The gateway knows the chaincode only through the contract API (gateway/src/boundaries.test.ts checks the built output too).
    files: ['gateway/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@healthledger/chaincode', '@healthledger/chaincode/*'], message: 'Use @healthledger/contract-api: the gateway must not load the chaincode.' },
            { group: ['fabric-shim', 'fabric-shim/*', 'fabric-contract-api', 'fabric-contract-api/*'], message: 'The chaincode runtime has no place in the gateway.' },
          ],
        },
      ],
    },
  },
  {
    // The contract API is shared by both sides, so it carries no Fabric runtime and no I/O.
    files: ['chaincode/contract-api/src/**/*.ts'],
    ignores: ['chaincode/contract-api/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^(?!@sinclair/typebox(/|$)|\\.{1,2}/).*', message: 'The contract API depends on TypeBox alone.' }] },
      ],
    },
  },
);
