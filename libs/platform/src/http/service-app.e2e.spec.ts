// The platform over HTTP: a tiny service created with createServiceApp and driven with supertest.
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { captureLines, TestAppModule, TestConfig, testEnv } from '../__fixtures__/test-app';
import { createServiceApp } from '../index';

const valid = { name: 'Ada', age: 36, address: { city: 'London' } };

describe('a service created with createServiceApp', () => {
  const logs = captureLines();
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;

  beforeAll(async () => {
    app = await createServiceApp(TestAppModule, { name: 'platform-test', config: TestConfig, env: testEnv(), logDestination: logs.stream });
    http = app.getHttpServer();
  });
  afterAll(() => app.close());

  it('provides the typed config under its own class', () => {
    expect(app.get(TestConfig)).toMatchObject({ SERVICE_NAME: 'platform-test', PORT: 0, HTTP_BODY_LIMIT: '2kb' });
  });

  describe('health', () => {
    it('answers liveness without checking dependencies', async () => {
      const res = await request(http).get('/health/live').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', details: {} });
    });

    it('is ready when PostgreSQL answers', async () => {
      const res = await request(http).get('/health/ready').expect(200);
      expect(res.body.details).toEqual({ service: { status: 'up' }, postgres: { status: 'up' } });
    });

    it('is not ready while a registered dependency is down, and ready again when it recovers', async () => {
      const { HealthRegistry } = await import('../index');
      let kafkaUp = false;
      app.get(HealthRegistry).register('kafka', () => {
        if (!kafkaUp) throw new Error('not connected');
      });
      const down = await request(http).get('/health/ready').expect(503);
      expect(down.body.error).toEqual({ kafka: { status: 'down', message: 'not connected' } });
      kafkaUp = true;
      await request(http).get('/health/ready').expect(200);
      app.get(HealthRegistry).unregister('kafka');
    });
  });

  describe('metrics', () => {
    it('exposes the HTTP histogram by route pattern, and process metrics', async () => {
      await request(http).get('/customers/missing').expect(404);
      const res = await request(http).get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/customers\/missing",status="404"/);
      expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/customers\/missing",status="404"/);
      expect(res.text).toContain('process_cpu_user_seconds_total');
    });

    it('labels requests that match no route as unmatched, not by their URL', async () => {
      await request(http).get('/nothing/here/123').expect(404);
      const res = await request(http).get('/metrics');
      expect(res.text).toMatch(/http_requests_total\{method="GET",route="unmatched",status="404"/);
      expect(res.text).not.toContain('/nothing/here');
    });
  });

  describe('OpenAPI', () => {
    it('serves the UI at /docs and the document at /docs-json', async () => {
      const ui = await request(http).get('/docs').expect(200);
      expect(ui.headers['content-type']).toMatch(/text\/html/);
      const doc = await request(http).get('/docs-json').expect(200);
      expect(doc.body.info.title).toBe('platform-test');
      expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/customers', '/health/ready']));
    });
  });

  describe('validation', () => {
    it('accepts a valid body', async () => {
      await request(http).post('/customers').send(valid).expect(201);
    });

    it('names an unknown field, nested ones by dotted path', async () => {
      const res = await request(http)
        .post('/customers')
        .send({ ...valid, vip: true, address: { city: 'Leeds', planet: 'Earth' } })
        .expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        errors: expect.arrayContaining([
          { field: 'vip', problems: ['property vip should not exist'] },
          { field: 'address.planet', problems: ['property planet should not exist'] },
        ]),
      });
    });

    it('names a field of the wrong type and a nested field over its length limit', async () => {
      const res = await request(http)
        .post('/customers')
        .send({ ...valid, age: 'old', address: { city: 'x'.repeat(101) } })
        .expect(400);
      expect(res.body.errors).toEqual([
        { field: 'age', problems: expect.arrayContaining(['age must be an integer number']) },
        { field: 'address.city', problems: ['city must be shorter than or equal to 100 characters'] },
      ]);
    });

    it('answers malformed JSON with 400 and a clear message', async () => {
      const res = await request(http).post('/customers').set('content-type', 'application/json').send('{"name": "Ada",').expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'request.entity.parse.failed' });
      expect(res.body.message).toMatch(/^Malformed JSON in request body/);
    });

    it('answers an oversized body with 413 and keeps serving', async () => {
      const res = await request(http)
        .post('/customers')
        .send({ ...valid, name: 'x'.repeat(4_000) })
        .expect(413);
      expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large', code: 'request.entity.too.large' });
      await request(http).post('/customers').send(valid).expect(201);
      await request(http).get('/health/live').expect(200);
    });
  });

  describe('errors', () => {
    it.each([
      ['/customers/missing', 404, 'customer.not_found'],
      ['/customers/stale', 409, 'customer.stale'],
      ['/customers/rejected', 422, 'consent.withdrawn'],
    ])('maps the domain error of %s to %i', async (path, status, code) => {
      const res = await request(http).get(path).set('x-correlation-id', 'req-1').expect(status);
      expect(res.body).toMatchObject({ statusCode: status, code, correlationId: 'req-1' });
    });

    it('serialises bigint details as strings', async () => {
      const res = await request(http).get('/customers/stale').expect(409);
      expect(res.body.details).toEqual({ revision: '7' });
      const ok = await request(http).get('/customers/revision').expect(200);
      expect(ok.body).toEqual({ revision: '12' });
    });

    it("maps the event store's WrongExpectedVersionError by name to 409", async () => {
      const res = await request(http).get('/customers/wrong-version').expect(409);
      expect(res.body).toMatchObject({
        code: 'stream.wrong_expected_version',
        details: { streamName: 'customer-42', expectedVersion: '3', actualVersion: '4' },
      });
    });

    it('answers an unknown error with a generic 500, logs its stack, and never sends the stack', async () => {
      const res = await request(http).get('/customers/boom').set('x-correlation-id', 'boom-1').expect(500);
      expect(res.body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error', correlationId: 'boom-1' });
      expect(res.text).not.toMatch(/db-7|at /);
      const logged = logs.lines.find((l) => l['correlationId'] === 'boom-1' && l['msg'] === 'Unhandled error');
      expect((logged?.['err'] as { stack: string }).stack).toContain('connection to db-7.internal refused');
    });

    it('passes Nest HttpExceptions through', async () => {
      const res = await request(http).get('/no-such-route').expect(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /no-such-route' });
    });
  });

  describe('logging and correlation', () => {
    it('echoes a valid x-correlation-id and carries it into every log line of the request', async () => {
      const res = await request(http).post('/customers').set('x-correlation-id', 'order-77:a.b_c').send(valid).expect(201);
      expect(res.headers['x-correlation-id']).toBe('order-77:a.b_c');
      expect(res.body.correlationId).toBe('order-77:a.b_c');
      const lines = logs.lines.filter((l) => l['correlationId'] === 'order-77:a.b_c');
      expect(lines).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ context: 'CustomersController', msg: 'customer registered', customerName: 'Ada', service: 'platform-test' }),
          expect.objectContaining({ context: 'HttpRequest', msg: 'request completed' }),
        ]),
      );
      // The request line names the request and leaves the headers (tokens, cookies) out.
      const requestLine = lines.find((l) => l['context'] === 'HttpRequest');
      expect(requestLine).toMatchObject({ req: { method: 'POST', url: '/customers' }, res: { statusCode: 201 } });
      expect(requestLine?.['req']).not.toHaveProperty('headers');
    });

    it('replaces an invalid correlation id with a uuid', async () => {
      const res = await request(http).get('/health/live').set('x-correlation-id', 'bad id with spaces');
      expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
      const tooLong = await request(http).get('/health/live').set('x-correlation-id', 'a'.repeat(129));
      expect(tooLong.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("writes Nest's own logs as JSON with their context", () => {
      expect(logs.lines).toContainEqual(expect.objectContaining({ level: 'info', context: 'NestApplication', service: 'platform-test' }));
    });
  });
});

describe('a service whose PostgreSQL is unreachable', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const env = testEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres' });
    app = await createServiceApp(TestAppModule, { name: 'platform-test', config: TestConfig, env, logDestination: captureLines().stream });
  });
  afterAll(() => app.close());

  it('is live but not ready', async () => {
    await request(app.getHttpServer()).get('/health/live').expect(200);
    const res = await request(app.getHttpServer()).get('/health/ready').expect(503);
    expect(res.body).toMatchObject({ status: 'error', error: { postgres: { status: 'down' } }, info: { service: { status: 'up' } } });
  });
});
