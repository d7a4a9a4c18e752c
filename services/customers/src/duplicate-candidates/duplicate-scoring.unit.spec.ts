// Duplicate candidates: Jaro–Winkler name similarity plus a shared company or city, or a shared contact.
import { nameSimilarity, normalisedName, rankCandidates, scoreCandidate, type ComparedCustomer } from './duplicate-scoring';

const ada: ComparedCustomer = { customerId: 'a', displayName: 'Ada Lovelace', company: 'Analytical Engines Ltd', city: 'London', country: 'GB' };
const other = (overrides: Partial<ComparedCustomer>): ComparedCustomer => ({ ...ada, customerId: 'b', company: null, city: null, country: null, ...overrides });

describe('duplicate scoring', () => {
  it('normalises case, accents, punctuation and word order before comparing names', () => {
    expect(normalisedName('Lovelace, Ádá')).toBe('ada lovelace');
    expect(nameSimilarity('Ada Lovelace', 'LOVELACE ada')).toBe(1);
    expect(nameSimilarity('Ada Lovelace', 'Ada Lovelacе')).toBeGreaterThan(0.9); // a Cyrillic e
    expect(nameSimilarity('Ada Lovelace', 'Grace Hopper')).toBeLessThan(0.7);
    expect(nameSimilarity(null, 'Ada')).toBe(0);
  });

  it('given a similar name, needs the same company or the same city to be a candidate', () => {
    expect(scoreCandidate(ada, other({ displayName: 'Ada Lovelace-King', company: 'analytical engines ltd ' }), false)).toMatchObject({ reasons: ['similar-name', 'same-company'] });
    expect(scoreCandidate(ada, other({ displayName: 'Ada Lovelase', city: 'london', country: 'GB' }), false)).toMatchObject({ reasons: ['similar-name', 'same-city'] });
    expect(scoreCandidate(ada, other({ displayName: 'Ada Lovelase', city: 'London', country: 'CA' }), false)).toBeNull();
    expect(scoreCandidate(ada, other({ displayName: 'Ada Lovelase' }), false)).toBeNull();
    expect(scoreCandidate(ada, other({ displayName: 'Charles Babbage', company: 'Analytical Engines Ltd' }), false)).toBeNull();
  });

  it('keeps a shared email or phone whatever the name, and ranks it first', () => {
    const shared = scoreCandidate(ada, other({ customerId: 'c', displayName: 'A. King' }), true);
    const similar = scoreCandidate(ada, other({ displayName: 'Ada Lovelace', company: 'Analytical Engines Ltd' }), false);
    expect(shared).toMatchObject({ reasons: ['same-email-or-phone'] });
    expect(rankCandidates([similar!, shared!]).map((c) => c.customerId)).toEqual(['c', 'b']);
  });
});
