// Lint for the whole monorepo. The module boundaries are the architecture:
// libraries never import services, services never import each other, domain code stays framework-free.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * The module-boundary rule. Tests may also use the test kit (@crm/testing), which production code may not.
 */
function boundaries({ inTests }) {
  const testing = inTests ? ['type:testing'] : [];
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    banTransitiveDependencies: false,
    checkDynamicDependenciesExceptions: [],
    depConstraints: [
      // Scopes: a service sees only itself and the shared libraries; shared libraries see only each other.
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      ...['customers', 'communications', 'sales', 'feedback', 'analytics'].map((service) => ({
        sourceTag: `scope:${service}`,
        onlyDependOnLibsWithTags: [`scope:${service}`, 'scope:shared'],
      })),
      // Types: contracts depend on nothing; platform on contracts; data libraries on platform and contracts.
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', ...testing] },
      { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', ...testing] },
      { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:data', 'type:platform', 'type:contracts', ...testing] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:data', 'type:platform', 'type:contracts'] },
      // Nothing depends on a service: a service is an application, reached only through Kafka and HTTP.
      { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:data', ...testing] },
    ],
  };
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.local/**', '.nx/**', 'infra/local/kafka/lib/**', 'coverage/**'],
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries({ inTests: false })],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Deciders are pure: no framework, no database, no broker, no clock in domain code.
    files: ['services/*/src/**/domain/**/*.ts', 'libs/*/src/**/domain/**/*.ts', 'tools/lint/__fixtures__/services/*/src/**/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'pg', 'kafkajs', '@eventstore/*'], message: 'Domain code is pure: keep frameworks and I/O out of domain/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/__fixtures__/**/*.ts', 'libs/*/src/contract/**/*.ts', 'bench/**/*.ts', 'tools/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries({ inTests: true })],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
];
