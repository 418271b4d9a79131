CREATE TABLE "historical_prices" (
	"chain" text NOT NULL,
	"asset" text NOT NULL,
	"source" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"price_usd" numeric,
	"observed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "historical_prices_chain_asset_source_bucket_start_pk" PRIMARY KEY("chain","asset","source","bucket_start")
);
