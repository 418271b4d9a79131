CREATE TABLE "wallet_signals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"destination" text NOT NULL,
	"group_id" bigint NOT NULL,
	"chain" text NOT NULL,
	"token" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"min_wallets" smallint NOT NULL,
	"trigger_trade_id" bigint NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "alert_outbox_uq";--> statement-breakpoint
ALTER TABLE "alert_outbox" ADD COLUMN "signal_id" bigint;--> statement-breakpoint
ALTER TABLE "alert_routes" ADD COLUMN "signal_min_wallets" smallint;--> statement-breakpoint
ALTER TABLE "alert_routes" ADD COLUMN "signal_window_seconds" integer;--> statement-breakpoint
ALTER TABLE "wallet_signals" ADD CONSTRAINT "wallet_signals_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_signals" ADD CONSTRAINT "wallet_signals_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "wallet_signals" ADD CONSTRAINT "wallet_signals_trigger_trade_id_trades_id_fk" FOREIGN KEY ("trigger_trade_id") REFERENCES "public"."trades"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "wallet_signals_uq" ON "wallet_signals" USING btree ("workspace_id","destination","group_id","chain","token","window_start");--> statement-breakpoint
CREATE INDEX "wallet_signals_trigger_idx" ON "wallet_signals" USING btree ("trigger_trade_id");--> statement-breakpoint
ALTER TABLE "alert_outbox" ADD CONSTRAINT "alert_outbox_signal_id_wallet_signals_id_fk" FOREIGN KEY ("signal_id") REFERENCES "public"."wallet_signals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alert_outbox_uq" ON "alert_outbox" USING btree ("trade_id","workspace_id","destination","kind",coalesce("signal_id", 0));--> statement-breakpoint
ALTER TABLE "alert_routes" ADD CONSTRAINT "alert_routes_signal_ck" CHECK (("alert_routes"."signal_min_wallets" is null and "alert_routes"."signal_window_seconds" is null) or ("alert_routes"."group_id" is not null and "alert_routes"."signal_min_wallets" >= 2 and "alert_routes"."signal_window_seconds" > 0));--> statement-breakpoint
-- Group routes made before the signal existed get it on with the defaults, as new group routes do.
UPDATE "alert_routes" SET "signal_min_wallets" = 3, "signal_window_seconds" = 3600 WHERE "group_id" IS NOT NULL;
