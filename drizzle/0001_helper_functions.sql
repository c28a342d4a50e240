-- The guide's helper functions, rewritten to be safe under concurrent callers: the guide's
-- SELECT-then-INSERT lets two sessions both miss and one of them fail on the unique key.
CREATE OR REPLACE FUNCTION get_or_create_security(p_symbol VARCHAR)
RETURNS INTEGER AS $$
DECLARE
    v_symbol TEXT := UPPER(BTRIM(p_symbol));
    v_security_id INTEGER;
BEGIN
    IF v_symbol IS NULL OR v_symbol = '' THEN
        RAISE EXCEPTION 'get_or_create_security: symbol must be a non-empty string, got %', quote_nullable(p_symbol);
    END IF;

    INSERT INTO securities (symbol, is_active)
    VALUES (v_symbol, true)
    ON CONFLICT (symbol) DO NOTHING
    RETURNING id INTO v_security_id;

    IF v_security_id IS NULL THEN
        SELECT id INTO v_security_id FROM securities WHERE symbol = v_symbol;
    END IF;

    RETURN v_security_id;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Calendar fields come from the exchange's clock (America/New_York), not the session time zone
-- and not the guide's fixed UTC hours, which are an hour off for the half of the year without
-- daylight saving. is_trading_day knows weekends only; exchange holidays come from the broker's
-- calendar at run time.
CREATE OR REPLACE FUNCTION get_or_create_time(p_timestamp TIMESTAMP WITH TIME ZONE)
RETURNS BIGINT AS $$
DECLARE
    v_time_id BIGINT;
    v_local TIMESTAMP;
    v_dow INTEGER;
BEGIN
    IF p_timestamp IS NULL THEN
        RAISE EXCEPTION 'get_or_create_time: timestamp must not be null';
    END IF;

    SELECT time_id INTO v_time_id FROM time_dimension WHERE "timestamp" = p_timestamp;
    IF v_time_id IS NOT NULL THEN
        RETURN v_time_id;
    END IF;

    v_local := p_timestamp AT TIME ZONE 'America/New_York';
    v_dow := EXTRACT(DOW FROM v_local)::INTEGER;

    INSERT INTO time_dimension (
        "timestamp", date, year, month, day, day_of_week,
        hour, minute, is_market_hours, is_trading_day
    ) VALUES (
        p_timestamp,
        v_local::DATE,
        EXTRACT(YEAR FROM v_local)::INTEGER,
        EXTRACT(MONTH FROM v_local)::INTEGER,
        EXTRACT(DAY FROM v_local)::INTEGER,
        v_dow,
        EXTRACT(HOUR FROM v_local)::INTEGER,
        EXTRACT(MINUTE FROM v_local)::INTEGER,
        v_dow BETWEEN 1 AND 5 AND v_local::TIME >= TIME '09:30' AND v_local::TIME < TIME '16:00',
        v_dow BETWEEN 1 AND 5
    )
    ON CONFLICT ("timestamp") DO NOTHING
    RETURNING time_id INTO v_time_id;

    IF v_time_id IS NULL THEN
        SELECT time_id INTO v_time_id FROM time_dimension WHERE "timestamp" = p_timestamp;
    END IF;

    RETURN v_time_id;
END;
$$ LANGUAGE plpgsql;
