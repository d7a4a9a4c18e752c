import { parseTraceparent, traceparentFor } from './traceparent';

const eventId = '0b9f6f5e-2c1d-4f3a-9e8b-7a6c5d4e3f21';

describe('traceparentFor', () => {
  it('continues the trace of the metadata traceparent, with a span id derived from the event id', () => {
    const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(traceparentFor(eventId, { traceparent: parent })).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-9e8b7a6c5d4e3f21-01');
  });

  it('uses the correlation id as the trace id when there is no traceparent', () => {
    const correlationId = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    expect(traceparentFor(eventId, { correlationId })).toBe('00-aaaaaaaabbbb4ccc8dddeeeeeeeeeeee-9e8b7a6c5d4e3f21-01');
  });

  it('is the same for a republished duplicate, and valid W3C even without usable metadata', () => {
    expect(traceparentFor(eventId, { correlationId: 'cmd-17' })).toMatch(/^00-[0-9a-f]{32}-9e8b7a6c5d4e3f21-01$/);
    const meta = { correlationId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' };
    expect(traceparentFor(eventId, meta)).toBe(traceparentFor(eventId, meta));
    expect(parseTraceparent(traceparentFor('not-a-uuid', {}))).not.toBeNull();
  });

  it('rejects malformed, version ff and all-zero ids', () => {
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7')).toBeNull();
    expect(parseTraceparent('ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBeNull();
    expect(parseTraceparent(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeNull();
    expect(parseTraceparent(`00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`)).toBeNull();
  });
});
