CREATE TABLE "holding_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"chain" text NOT NULL,
	"wallet" text NOT NULL,
	"asset" text NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"value_usd" numeric,
	"taken_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "prices" (
	"chain" text NOT NULL,
	"asset" text NOT NULL,
	"block_number" bigint NOT NULL,
	"price_usd" numeric NOT NULL,
	"source" text NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prices_chain_asset_block_number_source_pk" PRIMARY KEY("chain","asset","block_number","source")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "holding_snapshots_uq" ON "holding_snapshots" USING btree ("chain","wallet","asset","taken_at");--> statement-breakpoint
CREATE INDEX "holding_snapshots_wallet_idx" ON "holding_snapshots" USING btree ("chain","wallet","taken_at");--> statement-breakpoint
CREATE INDEX "prices_latest_idx" ON "prices" USING btree ("chain","asset","observed_at");