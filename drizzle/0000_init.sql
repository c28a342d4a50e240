CREATE TABLE "news_sentiment" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"cycle_id" text NOT NULL,
	"security_id" integer NOT NULL,
	"headline_count" integer DEFAULT 0 NOT NULL,
	"sentiment_score" numeric(9, 4),
	"catalyst_type" text,
	"catalyst_strength" numeric(9, 4),
	"latest_headline" text,
	"latest_published_at" timestamp with time zone,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "news_sentiment_cycle_security_uq" UNIQUE("cycle_id","security_id")
);
--> statement-breakpoint
CREATE TABLE "orders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"broker_order_id" text NOT NULL,
	"client_order_id" text NOT NULL,
	"cycle_id" text,
	"trading_date" date NOT NULL,
	"security_id" integer NOT NULL,
	"side" text NOT NULL,
	"type" text NOT NULL,
	"order_class" text DEFAULT 'simple' NOT NULL,
	"leg_role" text NOT NULL,
	"parent_broker_order_id" text,
	"qty" numeric(18, 6) NOT NULL,
	"filled_qty" numeric(18, 6) DEFAULT '0' NOT NULL,
	"filled_avg_price" numeric(18, 6),
	"limit_price" numeric(18, 6),
	"stop_price" numeric(18, 6),
	"status" text NOT NULL,
	"submitted_at" timestamp with time zone,
	"filled_at" timestamp with time zone,
	"canceled_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "orders_account_broker_order_uq" UNIQUE("account_id","broker_order_id"),
	CONSTRAINT "orders_account_client_order_uq" UNIQUE("account_id","client_order_id"),
	CONSTRAINT "orders_side_chk" CHECK ("orders"."side" in ('buy', 'sell')),
	CONSTRAINT "orders_leg_role_chk" CHECK ("orders"."leg_role" in ('entry', 'take_profit', 'stop_loss', 'exit')),
	CONSTRAINT "orders_qty_chk" CHECK ("orders"."qty" > 0 and "orders"."filled_qty" >= 0)
);
--> statement-breakpoint
CREATE TABLE "pattern_analysis" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"cycle_id" text NOT NULL,
	"security_id" integer NOT NULL,
	"pattern" text NOT NULL,
	"timeframe" text DEFAULT '1Min' NOT NULL,
	"direction" text,
	"confidence" numeric(9, 4),
	"price" numeric(18, 6),
	"detected_at" timestamp with time zone,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pattern_analysis_cycle_security_pattern_uq" UNIQUE("cycle_id","security_id","pattern")
);
--> statement-breakpoint
CREATE TABLE "positions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"trading_date" date NOT NULL,
	"security_id" integer NOT NULL,
	"cycle_id" text,
	"entry_client_order_id" text NOT NULL,
	"side" text NOT NULL,
	"qty" numeric(18, 6) NOT NULL,
	"entry_price" numeric(18, 6) NOT NULL,
	"stop_price" numeric(18, 6),
	"take_profit_price" numeric(18, 6),
	"status" text DEFAULT 'open' NOT NULL,
	"current_price" numeric(18, 6),
	"unrealized_pnl" numeric(18, 6),
	"exit_price" numeric(18, 6),
	"realized_pnl" numeric(18, 6),
	"exit_reason" text,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "positions_account_entry_uq" UNIQUE("account_id","entry_client_order_id"),
	CONSTRAINT "positions_side_chk" CHECK ("positions"."side" in ('long', 'short')),
	CONSTRAINT "positions_status_chk" CHECK ("positions"."status" in ('open', 'closed')),
	CONSTRAINT "positions_qty_chk" CHECK ("positions"."qty" > 0)
);
--> statement-breakpoint
CREATE TABLE "risk_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_key" text NOT NULL,
	"trading_date" date NOT NULL,
	"cycle_id" text,
	"event_type" text NOT NULL,
	"severity" text NOT NULL,
	"security_id" integer,
	"message" text NOT NULL,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "risk_events_event_key_unique" UNIQUE("event_key"),
	CONSTRAINT "risk_events_severity_chk" CHECK ("risk_events"."severity" in ('INFO', 'WARNING', 'CRITICAL'))
);
--> statement-breakpoint
CREATE TABLE "scan_results" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"cycle_id" text NOT NULL,
	"security_id" integer NOT NULL,
	"rank" integer NOT NULL,
	"price" numeric(18, 6) NOT NULL,
	"volume" bigint NOT NULL,
	"gap_pct" numeric(18, 6),
	"momentum_pct" numeric(18, 6),
	"relative_volume" numeric(18, 6),
	"momentum_score" numeric(9, 4),
	"volume_score" numeric(9, 4),
	"technical_score" numeric(9, 4),
	"news_score" numeric(9, 4),
	"composite_score" numeric(9, 4),
	"stage_reached" text DEFAULT 'scanned' NOT NULL,
	"selected" boolean DEFAULT false NOT NULL,
	"risk_approved" boolean,
	"risk_reasons" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scan_results_cycle_security_uq" UNIQUE("cycle_id","security_id")
);
--> statement-breakpoint
CREATE TABLE "sectors" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "sectors_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "securities" (
	"id" serial PRIMARY KEY NOT NULL,
	"symbol" text NOT NULL,
	"name" text,
	"exchange" text,
	"sector_id" integer,
	"industry" text,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "securities_symbol_unique" UNIQUE("symbol"),
	CONSTRAINT "securities_symbol_upper" CHECK ("securities"."symbol" = upper("securities"."symbol") and "securities"."symbol" <> '')
);
--> statement-breakpoint
CREATE TABLE "technical_indicators" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"cycle_id" text NOT NULL,
	"security_id" integer NOT NULL,
	"timeframe" text DEFAULT '1Min' NOT NULL,
	"computed_at" timestamp with time zone,
	"rsi" numeric(9, 4),
	"macd" numeric(18, 6),
	"macd_signal" numeric(18, 6),
	"macd_histogram" numeric(18, 6),
	"sma_20" numeric(18, 6),
	"sma_50" numeric(18, 6),
	"ema_9" numeric(18, 6),
	"vwap" numeric(18, 6),
	"atr" numeric(18, 6),
	"bollinger_upper" numeric(18, 6),
	"bollinger_lower" numeric(18, 6),
	"volume_ratio" numeric(18, 6),
	"score" numeric(9, 4),
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "technical_indicators_cycle_security_uq" UNIQUE("cycle_id","security_id")
);
--> statement-breakpoint
CREATE TABLE "time_dimension" (
	"time_id" bigserial PRIMARY KEY NOT NULL,
	"timestamp" timestamp with time zone NOT NULL,
	"date" date NOT NULL,
	"year" integer NOT NULL,
	"month" integer NOT NULL,
	"day" integer NOT NULL,
	"day_of_week" integer NOT NULL,
	"hour" integer NOT NULL,
	"minute" integer NOT NULL,
	"is_market_hours" boolean NOT NULL,
	"is_trading_day" boolean NOT NULL,
	CONSTRAINT "time_dimension_timestamp_unique" UNIQUE("timestamp")
);
--> statement-breakpoint
CREATE TABLE "trading_cycles" (
	"cycle_id" text PRIMARY KEY NOT NULL,
	"trading_date" date NOT NULL,
	"workflow_id" text NOT NULL,
	"run_id" text NOT NULL,
	"cycle_number" integer NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"market_time" timestamp with time zone NOT NULL,
	"config" jsonb NOT NULL,
	"funnel" jsonb,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "trading_days" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workflow_id" text NOT NULL,
	"run_id" text NOT NULL,
	"trading_date" date NOT NULL,
	"mode" text NOT NULL,
	"account_id" text NOT NULL,
	"speed" numeric(18, 6) NOT NULL,
	"seed" integer,
	"status" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"cycles" integer DEFAULT 0 NOT NULL,
	"orders_submitted" integer DEFAULT 0 NOT NULL,
	"fills" integer DEFAULT 0 NOT NULL,
	"realized_pnl" numeric(18, 6),
	"open_positions_at_close" integer,
	"open_orders_at_close" integer,
	"halted" boolean DEFAULT false NOT NULL,
	"halt_reason" text,
	"summary" jsonb,
	CONSTRAINT "trading_days_workflow_run_uq" UNIQUE("workflow_id","run_id"),
	CONSTRAINT "trading_days_status_chk" CHECK ("trading_days"."status" in ('running', 'completed', 'market_closed', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "news_sentiment" ADD CONSTRAINT "news_sentiment_cycle_id_trading_cycles_cycle_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."trading_cycles"("cycle_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "news_sentiment" ADD CONSTRAINT "news_sentiment_security_id_securities_id_fk" FOREIGN KEY ("security_id") REFERENCES "public"."securities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_cycle_id_trading_cycles_cycle_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."trading_cycles"("cycle_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_security_id_securities_id_fk" FOREIGN KEY ("security_id") REFERENCES "public"."securities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pattern_analysis" ADD CONSTRAINT "pattern_analysis_cycle_id_trading_cycles_cycle_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."trading_cycles"("cycle_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pattern_analysis" ADD CONSTRAINT "pattern_analysis_security_id_securities_id_fk" FOREIGN KEY ("security_id") REFERENCES "public"."securities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "positions" ADD CONSTRAINT "positions_security_id_securities_id_fk" FOREIGN KEY ("security_id") REFERENCES "public"."securities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_events" ADD CONSTRAINT "risk_events_security_id_securities_id_fk" FOREIGN KEY ("security_id") REFERENCES "public"."securities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scan_results" ADD CONSTRAINT "scan_results_cycle_id_trading_cycles_cycle_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."trading_cycles"("cycle_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scan_results" ADD CONSTRAINT "scan_results_security_id_securities_id_fk" FOREIGN KEY ("security_id") REFERENCES "public"."securities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "securities" ADD CONSTRAINT "securities_sector_id_sectors_id_fk" FOREIGN KEY ("sector_id") REFERENCES "public"."sectors"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "technical_indicators" ADD CONSTRAINT "technical_indicators_cycle_id_trading_cycles_cycle_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."trading_cycles"("cycle_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "technical_indicators" ADD CONSTRAINT "technical_indicators_security_id_securities_id_fk" FOREIGN KEY ("security_id") REFERENCES "public"."securities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "news_sentiment_security_idx" ON "news_sentiment" USING btree ("security_id");--> statement-breakpoint
CREATE INDEX "orders_account_date_idx" ON "orders" USING btree ("account_id","trading_date");--> statement-breakpoint
CREATE INDEX "orders_cycle_idx" ON "orders" USING btree ("cycle_id");--> statement-breakpoint
CREATE INDEX "pattern_analysis_security_idx" ON "pattern_analysis" USING btree ("security_id");--> statement-breakpoint
CREATE INDEX "positions_account_date_idx" ON "positions" USING btree ("account_id","trading_date");--> statement-breakpoint
CREATE INDEX "positions_security_idx" ON "positions" USING btree ("security_id");--> statement-breakpoint
CREATE INDEX "risk_events_date_idx" ON "risk_events" USING btree ("trading_date");--> statement-breakpoint
CREATE INDEX "scan_results_security_idx" ON "scan_results" USING btree ("security_id");--> statement-breakpoint
CREATE INDEX "securities_sector_idx" ON "securities" USING btree ("sector_id");--> statement-breakpoint
CREATE INDEX "technical_indicators_security_idx" ON "technical_indicators" USING btree ("security_id");--> statement-breakpoint
CREATE INDEX "time_dimension_date_idx" ON "time_dimension" USING btree ("date");--> statement-breakpoint
CREATE INDEX "trading_cycles_date_idx" ON "trading_cycles" USING btree ("trading_date");--> statement-breakpoint
CREATE INDEX "trading_cycles_workflow_idx" ON "trading_cycles" USING btree ("workflow_id","run_id");--> statement-breakpoint
CREATE INDEX "trading_days_date_idx" ON "trading_days" USING btree ("trading_date");