ALTER TABLE "scan_results" ADD COLUMN "scan_score" numeric(9, 4);--> statement-breakpoint
ALTER TABLE "scan_results" ADD COLUMN "pattern_score" numeric(9, 4);--> statement-breakpoint
ALTER TABLE "scan_results" ADD COLUMN "final_rank" integer;