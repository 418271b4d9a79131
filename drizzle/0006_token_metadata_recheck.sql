ALTER TABLE "tokens" ADD COLUMN "decimals_known" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "tokens" ADD COLUMN "metadata_checked_at" timestamp with time zone;