CREATE TABLE "manual_trades" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"wallet_id" bigint NOT NULL,
	"side" text NOT NULL,
	"asset" text NOT NULL,
	"symbol" text,
	"decimals" smallint NOT NULL,
	"amount" numeric(78, 0) NOT NULL,
	"quote_asset" text NOT NULL,
	"quote_symbol" text,
	"quote_decimals" smallint NOT NULL,
	"quote_amount" numeric(78, 0) NOT NULL,
	"fee_asset" text,
	"fee_symbol" text,
	"fee_decimals" smallint,
	"fee_amount" numeric(78, 0),
	"usd_value" numeric,
	"fee_usd" numeric,
	"traded_at" timestamp with time zone NOT NULL,
	"note" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "manual_trades_amount_ck" CHECK ("manual_trades"."amount" > 0 and "manual_trades"."quote_amount" >= 0)
);
--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "fees_in_basis" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "manual_trades" ADD CONSTRAINT "manual_trades_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manual_trades" ADD CONSTRAINT "manual_trades_wallet_id_wallets_id_fk" FOREIGN KEY ("wallet_id") REFERENCES "public"."wallets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "manual_trades_wallet_idx" ON "manual_trades" USING btree ("wallet_id","traded_at");