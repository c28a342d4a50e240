-- Temporal's own role and databases on the compose stack's PostgreSQL (docker-compose.yml).
-- Run once by the postgres image, when its data volume is new; the temporal-schema service then
-- sets up and upgrades their schemas on every start. Catalyst's database is POSTGRES_DB (catalyst).
CREATE ROLE temporal LOGIN PASSWORD 'temporal';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
