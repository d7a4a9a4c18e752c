// The stream revision at the HTTP edge: a command's answer carries the revision of the aggregate it addressed, in
// the body and as `ETag: "<revision>"`, which the client sends back as If-Match.
/** The part of the HTTP response a controller writes headers to (`@Res({ passthrough: true })`). */
export interface ResponseHeaders {
  setHeader(name: string, value: string): unknown;
}

/** A stream revision (@crm/event-store's `nextExpectedRevision`) as clients see it: a number, -1 for no stream. */
export const revisionNumber = (revision: bigint | 'no_stream'): number => (revision === 'no_stream' ? -1 : Number(revision));

export const etagOf = (revision: bigint | 'no_stream'): string => `"${revisionNumber(revision)}"`;

export function setETag(response: ResponseHeaders, revision: bigint | 'no_stream'): void {
  response.setHeader('ETag', etagOf(revision));
}

/** The body `{ ...ids, revision }` with the revision as ETag, e.g. `answerCommand(response, { leadId }, result)`. */
export function answerCommand<Ids extends object>(
  response: ResponseHeaders,
  ids: Ids,
  result: { readonly nextExpectedRevision: bigint | 'no_stream' },
): Ids & { revision: number } {
  setETag(response, result.nextExpectedRevision);
  return { ...ids, revision: revisionNumber(result.nextExpectedRevision) };
}
