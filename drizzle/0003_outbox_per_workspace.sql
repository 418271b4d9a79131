DROP INDEX "alert_outbox_uq";--> statement-breakpoint
CREATE UNIQUE INDEX "alert_outbox_uq" ON "alert_outbox" USING btree ("trade_id","workspace_id","destination","kind");