// Writes docs/asyncapi.yaml and the generated reference part of docs/events.md from @crm/contracts.
// Run: npm run contracts:generate. libs/contracts/src/asyncapi/asyncapi.unit.spec.ts fails when they drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { asyncApiDocument, eventCatalogueMarkdown } from '@crm/contracts';

const root = join(__dirname, '..', '..');
export const ASYNCAPI_PATH = join(root, 'docs', 'asyncapi.yaml');
export const EVENTS_DOC_PATH = join(root, 'docs', 'events.md');
export const CATALOGUE_BEGIN = '<!-- BEGIN GENERATED: npm run contracts:generate -->';
export const CATALOGUE_END = '<!-- END GENERATED -->';

export function renderAsyncApi(): string {
  const header = '# Generated from @crm/contracts by `npm run contracts:generate`: do not edit by hand.\n';
  return header + YAML.stringify(asyncApiDocument(), { lineWidth: 0, aliasDuplicateObjects: false });
}

/** The events doc with its generated part replaced; the hand-written prose around the markers stays. */
export function renderEventsDoc(current: string): string {
  const begin = current.indexOf(CATALOGUE_BEGIN);
  const end = current.indexOf(CATALOGUE_END);
  if (begin < 0 || end < begin) throw new Error(`docs/events.md lacks the markers ${CATALOGUE_BEGIN} … ${CATALOGUE_END}`);
  return `${current.slice(0, begin + CATALOGUE_BEGIN.length)}\n\n${eventCatalogueMarkdown()}\n${current.slice(end)}`;
}

function main(): void {
  writeFileSync(ASYNCAPI_PATH, renderAsyncApi());
  writeFileSync(EVENTS_DOC_PATH, renderEventsDoc(readFileSync(EVENTS_DOC_PATH, 'utf8')));
  console.log(`wrote ${ASYNCAPI_PATH} and the reference in ${EVENTS_DOC_PATH}`);
}

if (require.main === module) main();
