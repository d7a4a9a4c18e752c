// The analysts' schema as statements: views with documented columns, the service's extra comments, then the
// schema closed to everyone but the analysts' role.
import { analystAccessStatements, commentStatements, type AnalystAccess } from './analyst-access';

const access: AnalystAccess = {
  schema: 'sales_analytics',
  comment: "Sales views for analysts (role crm_analyst).",
  role: 'crm_analyst',
  views: [
    {
      name: 'leads',
      select: 'SELECT lead_id, status FROM sales.leads',
      comment: "One row per lead; the owner's name is not shown.",
      columns: [
        { name: 'lead_id', comment: 'The lead id.' },
        { name: 'status', comment: 'open, qualified, disqualified or converted.' },
      ],
    },
  ],
  statements: ["COMMENT ON TABLE sales.lead_keys IS 'Not for analysts.'"],
};

describe('analystAccessStatements', () => {
  it('creates the schema and each view with its comments, runs the extra statements, then grants to the role only', () => {
    const statements = analystAccessStatements(access).map((sql) => sql.replace(/\s+/g, ' ').trim());
    expect(statements).toEqual([
      'CREATE SCHEMA IF NOT EXISTS sales_analytics',
      "COMMENT ON SCHEMA sales_analytics IS 'Sales views for analysts (role crm_analyst).'",
      'CREATE OR REPLACE VIEW sales_analytics.leads AS SELECT lead_id, status FROM sales.leads',
      "COMMENT ON VIEW sales_analytics.leads IS 'One row per lead; the owner''s name is not shown.'",
      "COMMENT ON COLUMN sales_analytics.leads.lead_id IS 'The lead id.'",
      "COMMENT ON COLUMN sales_analytics.leads.status IS 'open, qualified, disqualified or converted.'",
      "COMMENT ON TABLE sales.lead_keys IS 'Not for analysts.'",
      'REVOKE ALL ON SCHEMA sales_analytics FROM PUBLIC',
      "DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'crm_analyst') THEN GRANT USAGE ON SCHEMA sales_analytics TO crm_analyst; GRANT SELECT ON sales_analytics.leads TO crm_analyst; END IF; END $$",
    ]);
  });

  it('refuses schema, role and view names that are not plain identifiers', () => {
    expect(() => analystAccessStatements({ ...access, role: 'crm_analyst; DROP ROLE x' })).toThrow(TypeError);
    expect(() => analystAccessStatements({ ...access, views: [{ ...access.views[0]!, name: 'Leads' }] })).toThrow(TypeError);
  });

  it('comments tables as well as views', () => {
    expect(commentStatements('sales.leads', 'Leads.', [])).toEqual(["COMMENT ON TABLE sales.leads IS 'Leads.'"]);
  });
});
