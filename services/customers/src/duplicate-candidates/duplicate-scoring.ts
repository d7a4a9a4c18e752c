// Scoring duplicate candidates (pure): name similarity with natural's Jaro–Winkler, plus what the two customers
// share. A candidate needs a similar name and the same company or city — or an identical email or phone, which
// the registration check missed (two registrations in the same instant, or allowDuplicate).
import jaroWinkler from 'natural/lib/natural/distance/jaro-winkler_distance';

export const DEFAULT_THRESHOLD = 0.85;

export type DuplicateReason = 'similar-name' | 'same-company' | 'same-city' | 'same-email-or-phone';

export interface ComparedCustomer {
  customerId: string;
  displayName: string | null;
  company: string | null;
  city: string | null;
  country: string | null;
}

export interface ScoredCandidate {
  customerId: string;
  /** Name similarity, 0..1 (1: the same name after normalisation). */
  score: number;
  reasons: DuplicateReason[];
}

/** Lower case, accents and punctuation removed, words sorted: "Lovelace, Ada" and "ada lovelace" are equal. */
export function normalisedName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .sort()
    .join(' ');
}

export function nameSimilarity(a: string | null, b: string | null): number {
  if (!a || !b) return 0;
  const [left, right] = [normalisedName(a), normalisedName(b)];
  if (!left || !right) return 0;
  return jaroWinkler(left, right);
}

const same = (a: string | null, b: string | null): boolean => a !== null && b !== null && a.trim().toLowerCase() === b.trim().toLowerCase();

export function scoreCandidate(subject: ComparedCustomer, other: ComparedCustomer, sharesContact: boolean, threshold = DEFAULT_THRESHOLD): ScoredCandidate | null {
  const score = Math.round(nameSimilarity(subject.displayName, other.displayName) * 1000) / 1000;
  const reasons: DuplicateReason[] = [];
  if (score >= threshold) reasons.push('similar-name');
  if (same(subject.company, other.company)) reasons.push('same-company');
  if (same(subject.city, other.city) && subject.country === other.country) reasons.push('same-city');
  if (sharesContact) reasons.push('same-email-or-phone');
  const place = reasons.includes('same-company') || reasons.includes('same-city');
  if (!sharesContact && !(reasons.includes('similar-name') && place)) return null;
  return { customerId: other.customerId, score, reasons };
}

/** Shared contacts first, then by score, then by id (stable). */
export function rankCandidates(candidates: readonly ScoredCandidate[]): ScoredCandidate[] {
  const contact = (c: ScoredCandidate) => (c.reasons.includes('same-email-or-phone') ? 1 : 0);
  return [...candidates].sort((a, b) => contact(b) - contact(a) || b.score - a.score || a.customerId.localeCompare(b.customerId));
}
