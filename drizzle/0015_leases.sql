CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"holder_token" text NOT NULL,
	"epoch" bigint NOT NULL,
	"acquired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alert_outbox" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "alert_outbox" ADD COLUMN "lease_until" timestamp with time zone;