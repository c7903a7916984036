// One jest run for every package: TypeScript through swc, ESM-only
// dependencies (p-queue and its helpers) transformed to CommonJS. The
// portal's components run in a second project on jsdom.
const esmOnly = ['p-queue', 'p-timeout', 'eventemitter3'];

const moduleNameMapper = {
  '^@rebound/core$': '<rootDir>/packages/core/src/index.ts',
  '^@rebound/core/client$': '<rootDir>/packages/core/src/client/index.ts',
  '^@rebound/upload-target$': '<rootDir>/packages/upload-target/src/index.ts',
  '^@rebound/plugin-recovery-backend$':
    '<rootDir>/plugins/recovery-backend/src/index.ts',
};

const node = {
  displayName: 'node',
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
  moduleNameMapper,
};

const web = {
  displayName: 'web',
  // jsdom with the platform's fetch, streams and encoders, which msw needs.
  testEnvironment:
    '@backstage/cli-module-test-jest/config/jest-environment-jsdom',
  // msw/node and other packages pick their Node build, not the browser one.
  testEnvironmentOptions: { customExportConditions: [''] },
  roots: ['<rootDir>/plugins/recovery-frontend'],
  testMatch: ['**/src/**/*.test.tsx'],
  setupFilesAfterEnv: ['<rootDir>/plugins/recovery-frontend/src/setupTests.ts'],
  transform: {
    '^.+\\.(t|j|mj)sx?$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // Backstage, msw and their helpers ship ES modules; everything is
  // compiled but the large CommonJS packages known not to need it.
  transformIgnorePatterns: [
    `/node_modules/(?:${[
      '@material-ui',
      'ajv',
      'core-js',
      'jest-.*',
      'jsdom',
      '@acemir',
      'cssstyle',
      'knex',
      'react',
      'react-dom',
      'react-use/lib',
      'typescript',
    ].join('|')})/`,
  ],
  moduleNameMapper: {
    ...moduleNameMapper,
    '\\.(css|less|scss|svg|png)$': '<rootDir>/scripts/jest-asset-stub.js',
    'style-inject': '<rootDir>/scripts/jest-style-inject-stub.js',
  },
};

module.exports = {
  projects: [node, web],
  // A global option: jest ignores it inside a project.
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/scripts/jest-summary.js'],
};
