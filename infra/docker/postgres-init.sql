-- Databases and roles for docker compose; infra/local/postgres/ensure.sh does the same on a local server.
CREATE ROLE crm_app LOGIN PASSWORD 'crm_app';
CREATE ROLE crm_analyst NOLOGIN;
CREATE ROLE crm_analyst_login LOGIN PASSWORD 'crm_analyst' IN ROLE crm_analyst;
CREATE DATABASE crm_customers OWNER crm_app;
CREATE DATABASE crm_communications OWNER crm_app;
CREATE DATABASE crm_sales OWNER crm_app;
CREATE DATABASE crm_feedback OWNER crm_app;
CREATE DATABASE crm_analytics OWNER crm_app;
