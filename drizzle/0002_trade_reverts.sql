DROP INDEX "trades_chain_tx_wallet_uq";--> statement-breakpoint
ALTER TABLE "trades" ADD COLUMN "reverted_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "trades_chain_tx_wallet_uq" ON "trades" USING btree ("chain","tx_hash","wallet") WHERE "trades"."reverted_at" is null;