// Lint: typescript-eslint's type-checked recommendations over both sides, plus the rules this
// project leans on: every promise is awaited or handled, and the client/server boundary holds.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const boundary = (banned) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: banned.map((side) => ({
        group: [`**/${side}/**`, `**/${side}`],
        message: `this side must not import ${side}/ (see common/)`,
      })),
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      '.tsbuild/**',
      'node_modules/**',
      '.cache/**',
      'server/src/vmaf/wasm/*.as.ts',
      'server/src/vmaf/wasm/kernels.generated.ts',
      'server/src/metrics/wasm/*.as.ts',
      'server/src/metrics/wasm/kernels.generated.ts',
      'server/src/metrics/wasm/kernels-fused.generated.ts',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs', 'bench/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  { files: ['client/**/*.ts'], rules: boundary(['server']) },
  { files: ['common/**/*.ts'], rules: boundary(['server', 'client']) },
  { files: ['server/**/*.ts'], rules: boundary(['client']) },
  { files: ['**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
);
