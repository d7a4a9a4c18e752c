// main.ts as a real process: a bad environment exits 1 naming each variable; SIGTERM exits 0 after draining.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const fixtures = join(__dirname, '..', '__fixtures__');

function runFixture(env: Record<string, string>) {
  const child = spawn(process.execPath, ['-r', './register.js', 'fixture-main.ts'], {
    cwd: fixtures,
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('bootstrapService in a real process', () => {
  it('exits 1 on a bad environment, naming each missing or invalid variable', async () => {
    const run = runFixture({ PORT: 'abc', LOG_LEVEL: 'loud', FIXTURE_GREETING: 'hi' });
    expect(await run.exited).toBe(1);
    const { stderr } = run.output();
    expect(stderr).toContain('fixture: invalid configuration');
    expect(stderr).toMatch(/- PORT: PORT must be an integer number/);
    expect(stderr).toMatch(/- LOG_LEVEL: LOG_LEVEL must be one of/);
    expect(stderr).toMatch(/- DATABASE_URL: is required but not set/);
    expect(stderr).toMatch(/- KAFKA_BROKERS: is required but not set/);
    expect(stderr).toMatch(/- FIXTURE_GREETING: .*longer than or equal to 3/); // the service's own variable
  });

  it('listens, answers, and exits 0 on SIGTERM', async () => {
    const run = runFixture({
      PORT: '0',
      HOST: '127.0.0.1',
      FIXTURE_GREETING: 'hello',
      DATABASE_URL: process.env['CRM_TEST_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      KAFKA_BROKERS: '127.0.0.1:9092',
    });
    let url: string | undefined;
    for (let i = 0; i < 300 && !url; i++) {
      url = /"url":"([^"]+)"/.exec(run.output().stdout)?.[1];
      if (!url) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(url).toBeDefined();
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);

    run.child.kill('SIGTERM');

    expect(await run.exited).toBe(0);
    const lines = run.output().stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['draining', 'stopped']));
  });
});
