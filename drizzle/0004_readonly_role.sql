-- catalyst_readonly: SELECT on every table, present and future, and nothing else; reports and
-- ad-hoc queries run under it (SET ROLE, or a login role that is a member of it). It is NOLOGIN:
-- it carries no password to manage, and an operator grants it to whichever login should read.
-- Roles belong to the whole server, so the role is created only by a user allowed to create
-- roles, and only once; a user without that right migrates all the same, and the grants follow
-- as soon as someone creates the role and runs catalyst_grant_readonly(). The grants are a
-- function rather than a one-off block so that a restore (which skips grants: the backed-up
-- server's roles may not exist here) can apply them again.
CREATE OR REPLACE FUNCTION catalyst_grant_readonly()
RETURNS BOOLEAN AS $$
DECLARE
    v_may_create BOOLEAN;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'catalyst_readonly') THEN
        SELECT rolsuper OR rolcreaterole INTO v_may_create FROM pg_roles WHERE rolname = current_user;
        IF NOT COALESCE(v_may_create, false) THEN
            RETURN false;
        END IF;
        BEGIN
            CREATE ROLE catalyst_readonly NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            -- Another database of the same server migrated at the same moment and created it.
            NULL;
        END;
    END IF;

    GRANT USAGE ON SCHEMA public TO catalyst_readonly;
    GRANT SELECT ON ALL TABLES IN SCHEMA public TO catalyst_readonly;
    -- Tables that later migrations create (as this same user) are readable without another grant.
    ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO catalyst_readonly;
    -- Which migrations are applied (the go-live check reads it).
    IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'drizzle') THEN
        GRANT USAGE ON SCHEMA drizzle TO catalyst_readonly;
        GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO catalyst_readonly;
    END IF;
    RETURN true;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
SELECT catalyst_grant_readonly();
