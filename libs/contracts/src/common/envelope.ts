// The envelope of every message on a CRM topic: CloudEvents 1.0 in Kafka binary mode (attributes as
// `ce_` headers, the payload as the value) plus our tracing and event-store headers.
import { Type, type Static } from '@sinclair/typebox';
import { Timestamp, Uuid } from './fields';

/** Kafka header names. Producers and consumers use these constants, never literals. */
export const EnvelopeHeader = {
  SpecVersion: 'ce_specversion',
  Id: 'ce_id',
  Source: 'ce_source',
  Type: 'ce_type',
  Time: 'ce_time',
  Subject: 'ce_subject',
  /** CloudEvents' `datacontenttype` is the plain `content-type` header in Kafka binary mode. */
  ContentType: 'content-type',
  /** W3C Trace Context, as OpenTelemetry's Kafka instrumentation writes it. */
  TraceParent: 'traceparent',
  CorrelationId: 'crm_correlation_id',
  CausationId: 'crm_causation_id',
  /** The event's revision in its event-store stream: lets a subscriber detect gaps and reordering per aggregate. */
  StreamRevision: 'crm_stream_revision',
} as const;
export type EnvelopeHeaderName = (typeof EnvelopeHeader)[keyof typeof EnvelopeHeader];

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const CONTENT_TYPE_JSON = 'application/json';

/** `crm.<aggregate>.<event>.v<n>`: lower-case words joined by dots and dashes, then the version. */
export const EVENT_TYPE_PATTERN = '^crm(\\.[a-z][a-z0-9-]*)+\\.v[1-9][0-9]*$';

export const EnvelopeHeaders = Type.Object(
  {
    [EnvelopeHeader.SpecVersion]: Type.Literal(CLOUDEVENTS_SPEC_VERSION),
    [EnvelopeHeader.Id]: Uuid('The event id from the event store: deduplicate by it.'),
    [EnvelopeHeader.Source]: Type.String({ pattern: '^/crm/[a-z][a-z0-9-]*$', description: 'The publishing service, e.g. "/crm/customers".' }),
    [EnvelopeHeader.Type]: Type.String({ pattern: EVENT_TYPE_PATTERN, description: 'The versioned event type: pick the schema by it.' }),
    [EnvelopeHeader.Time]: Timestamp('When the change happened (the command was accepted), RFC 3339.'),
    [EnvelopeHeader.Subject]: Type.String({ minLength: 1, maxLength: 100, description: 'The aggregate id; equal to the message key.' }),
    [EnvelopeHeader.ContentType]: Type.Literal(CONTENT_TYPE_JSON),
    [EnvelopeHeader.TraceParent]: Type.Optional(
      Type.String({ pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$', description: 'W3C Trace Context.' }),
    ),
    [EnvelopeHeader.CorrelationId]: Type.String({ minLength: 1, maxLength: 200, description: 'The conversation this event belongs to.' }),
    [EnvelopeHeader.CausationId]: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'The command or event that caused this event.' }),
    ),
    [EnvelopeHeader.StreamRevision]: Type.String({
      pattern: '^(0|[1-9][0-9]*)$',
      description: "The event's revision in its aggregate's stream, from 0, as a decimal string.",
    }),
  },
  { title: 'CloudEvents binary-mode Kafka headers', description: 'Header values are UTF-8 strings.' },
);
export type EnvelopeHeaders = Static<typeof EnvelopeHeaders>;
