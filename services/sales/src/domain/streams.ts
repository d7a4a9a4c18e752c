// Stream names of the sales aggregates: `<category>-<uuid>`, the uuid in lower case. Ids only, never personal data.
export const SALES_STREAM_PREFIXES = {
  pipeline: 'pipeline-',
  lead: 'lead-',
  opportunity: 'opportunity-',
  activity: 'activity-',
} as const;

export type SalesAggregate = keyof typeof SALES_STREAM_PREFIXES;

const streamOf =
  (aggregate: SalesAggregate) =>
  (id: string): string =>
    `${SALES_STREAM_PREFIXES[aggregate]}${id.toLowerCase()}`;

export const pipelineStream = streamOf('pipeline');
export const leadStream = streamOf('lead');
export const opportunityStream = streamOf('opportunity');
export const activityStream = streamOf('activity');

/** The aggregate a stream belongs to, or undefined for a stream of another service. */
export function salesAggregateOf(streamName: string): SalesAggregate | undefined {
  return (Object.keys(SALES_STREAM_PREFIXES) as SalesAggregate[]).find((aggregate) =>
    streamName.startsWith(SALES_STREAM_PREFIXES[aggregate]),
  );
}

/** The aggregate id in a stream name; throws for a stream of another aggregate. */
export function idOfStream(aggregate: SalesAggregate, streamName: string): string {
  const prefix = SALES_STREAM_PREFIXES[aggregate];
  if (!streamName.startsWith(prefix)) throw new TypeError(`Not a ${aggregate} stream: ${streamName}`);
  return streamName.slice(prefix.length);
}
