// The architecture's boundaries are enforced by lint: this shows the rule fires on the imports it must forbid
// (and stays quiet on the allowed ones). Files are linted from stdin under paths inside real Nx projects.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const eslintBin = join(root, 'node_modules', '.bin', 'eslint');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

function lint(filePath: string, source: string): LintMessage[] {
  let output: string;
  try {
    output = execFileSync(eslintBin, ['--format', 'json', '--stdin', '--stdin-filename', filePath], {
      cwd: root,
      input: source,
      env: { ...process.env, NX_DAEMON: 'false' },
      encoding: 'utf8',
    });
  } catch (error) {
    // eslint exits 1 when it finds problems; the report is still on stdout.
    output = (error as { stdout: string }).stdout;
  }
  const [result] = JSON.parse(output) as [{ messages: LintMessage[] }];
  if (!result) throw new Error(`eslint printed no report for ${filePath}`);
  return result.messages;
}

const boundaryViolations = (messages: LintMessage[]) =>
  messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries');

const alpha = 'tools/lint/__fixtures__/services/alpha/src';

// The rule reads Nx's cached project graph and silently skips without one: compute it first, as `npm run lint` does.
beforeAll(() => {
  execFileSync(join(root, 'node_modules', '.bin', 'nx'), ['show', 'projects'], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false' },
    stdio: 'ignore',
  });
});

describe('module boundaries (eslint @nx/enforce-module-boundaries)', () => {
  it('forbids a service importing another service', () => {
    const messages = lint(`${alpha}/uses-beta.ts`, "import { betaName } from '../../beta/src';\nexport const x = betaName;\n");
    expect(boundaryViolations(messages)).not.toHaveLength(0);
  });

  it('forbids a library importing a service', () => {
    const messages = lint(
      'libs/platform/src/uses-service.ts',
      "import { alphaName } from '../../../tools/lint/__fixtures__/services/alpha/src';\nexport const x = alphaName;\n",
    );
    expect(boundaryViolations(messages)).not.toHaveLength(0);
  });

  it('forbids reaching into a library by a relative path instead of its alias', () => {
    const messages = lint(`${alpha}/deep.ts`, "import { testInfra } from '../../../../../../libs/testing/src/infra';\nexport const x = testInfra;\n");
    expect(boundaryViolations(messages)).not.toHaveLength(0);
  });

  it('forbids a shared library depending against its type (contracts importing the platform)', () => {
    const messages = lint('libs/contracts/src/uses-platform.ts', "import * as platform from '@crm/platform';\nexport const x = platform;\n");
    expect(boundaryViolations(messages)).not.toHaveLength(0);
  });

  it('allows a service to import a shared library through its alias', () => {
    const messages = lint(`${alpha}/uses-testing.ts`, "import { testInfra } from '@crm/testing';\nexport const x = testInfra;\n");
    expect(boundaryViolations(messages)).toEqual([]);
  });

  it('lets tests, and only tests, of a library use the test kit', () => {
    const source = "import { testInfra } from '@crm/testing';\nexport const x = testInfra;\n";
    expect(boundaryViolations(lint('libs/event-store/src/uses-testing.ts', source))).not.toHaveLength(0);
    expect(boundaryViolations(lint('libs/event-store/src/uses-testing.int.spec.ts', source))).toEqual([]);
  });

  it('keeps frameworks out of domain code', () => {
    const messages = lint(`${alpha}/domain/decider.ts`, "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n");
    expect(messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
  });
});
