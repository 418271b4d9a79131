CREATE TABLE "skipped_transactions" (
	"chain" text NOT NULL,
	"tx_hash" text NOT NULL,
	"block_number" bigint NOT NULL,
	"reason" text NOT NULL,
	"first_seen" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "skipped_transactions_chain_tx_hash_pk" PRIMARY KEY("chain","tx_hash")
);
