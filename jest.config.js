// One jest run for every package: TypeScript through swc, ESM-only
// dependencies (p-queue and its helpers) transformed to CommonJS.
const esmOnly = ['p-queue', 'p-timeout', 'eventemitter3'];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/plugins', '<rootDir>/test'],
  testMatch: ['**/src/**/*.test.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper: {
    '^@rebound/core$': '<rootDir>/packages/core/src/index.ts',
    '^@rebound/core/client$': '<rootDir>/packages/core/src/client/index.ts',
    '^@rebound/upload-target$': '<rootDir>/packages/upload-target/src/index.ts',
    '^@rebound/plugin-recovery-backend$':
      '<rootDir>/plugins/recovery-backend/src/index.ts',
  },
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/scripts/jest-summary.js'],
};
