// GET /customers/:id/duplicates?threshold=&limit= — customers that may be the same person, for a human to merge.
// Candidates are pre-filtered in SQL by the indexes (same company, or same city and country; or an identical
// email or phone in the contact index), at most MAX_SCANNED of them, then scored in memory by name similarity.
// A merged id is resolved to its survivor first; an erased customer has no candidates.
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { CustomerNotFoundError } from '../domain';
import { CustomerIdParams } from '../infrastructure';
import { CustomerProfilesReader } from '../read-model/customer-profiles.reader';
import { PROFILE_VIEW, type SelectedRow } from '../read-model/customer-profile.view';
import { DEFAULT_THRESHOLD, rankCandidates, scoreCandidate, type ComparedCustomer, type DuplicateReason } from './duplicate-scoring';

const MAX_SCANNED = 1_000;

export class DuplicateCandidatesQuery {
  @ApiPropertyOptional({ minimum: 0.5, maximum: 1, default: DEFAULT_THRESHOLD, description: 'Minimum Jaro–Winkler name similarity' })
  @IsOptional()
  @Type(() => Number)
  @Max(1)
  @Min(0.5)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  threshold?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @Max(100) @Min(1) @IsInt() limit?: number;
}

export interface DuplicateCandidate {
  customerId: string;
  score: number;
  reasons: DuplicateReason[];
  displayName: string | null;
  company: string | null;
  city: string | null;
  country: string | null;
  createdAt: string;
}

export interface DuplicateCandidates {
  customerId: string;
  threshold: number;
  candidates: DuplicateCandidate[];
}

type CandidateRow = Pick<SelectedRow, 'customer_id' | 'display_name' | 'company' | 'city' | 'country' | 'created_at'> & { shares_contact: boolean };

const compared = (row: Pick<SelectedRow, 'customer_id' | 'display_name' | 'company' | 'city' | 'country'>): ComparedCustomer => ({
  customerId: row.customer_id,
  displayName: row.display_name,
  company: row.company,
  city: row.city,
  country: row.country,
});

@ApiTags('customers')
@Controller('customers/:id/duplicates')
export class DuplicateCandidatesController {
  constructor(private readonly profiles: CustomerProfilesReader) {}

  @Get()
  async candidates(@Param() { id }: CustomerIdParams, @Query() query: DuplicateCandidatesQuery): Promise<DuplicateCandidates> {
    const threshold = query.threshold ?? DEFAULT_THRESHOLD;
    const resolved = await this.profiles.resolve(id);
    if (resolved === null) throw new CustomerNotFoundError(id);
    const subject = resolved.row;
    if (subject.status === 'erased' || subject.status === 'merged') return { customerId: subject.customer_id, threshold, candidates: [] };
    const rows = await this.candidateRows(subject);
    const byId = new Map(rows.map((row) => [row.customer_id, row]));
    const scored = rows.flatMap((row) => scoreCandidate(compared(subject), compared(row), row.shares_contact, threshold) ?? []);
    const candidates = rankCandidates(scored)
      .slice(0, query.limit ?? 20)
      .map((candidate) => {
        const row = byId.get(candidate.customerId) as CandidateRow;
        return { ...candidate, displayName: row.display_name, company: row.company, city: row.city, country: row.country, createdAt: row.created_at.toISOString() };
      });
    return { customerId: subject.customer_id, threshold, candidates };
  }

  private async candidateRows(subject: SelectedRow): Promise<CandidateRow[]> {
    const { rows } = await this.profiles.pool.query<CandidateRow>(
      `WITH shared AS (
         SELECT DISTINCT other.customer_id
           FROM customers.contact_index mine
           JOIN customers.contact_index other ON other.kind = mine.kind AND other.value_hmac = mine.value_hmac
          WHERE mine.customer_id = $1 AND other.customer_id <> $1
       ), nearby AS (
         SELECT customer_id FROM ${PROFILE_VIEW}
          WHERE customer_id <> $1 AND status IN ('active', 'inactive')
            AND ((company IS NOT NULL AND lower(company) = lower($2))
              OR (city IS NOT NULL AND lower(city) = lower($3) AND country = $4))
          LIMIT ${MAX_SCANNED}
       )
       SELECT p.customer_id, p.display_name, p.company, p.city, p.country, p.created_at, s.customer_id IS NOT NULL AS shares_contact
         FROM ${PROFILE_VIEW} p
         LEFT JOIN shared s ON s.customer_id = p.customer_id
        WHERE p.status IN ('active', 'inactive')
          AND p.customer_id IN (SELECT customer_id FROM shared UNION SELECT customer_id FROM nearby)`,
      [subject.customer_id, subject.company, subject.city, subject.country],
    );
    return rows;
  }
}
