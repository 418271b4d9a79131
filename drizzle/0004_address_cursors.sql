CREATE TABLE "address_cursors" (
	"chain" text NOT NULL,
	"address" text NOT NULL,
	"last_signature" text NOT NULL,
	"last_slot" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "address_cursors_chain_address_pk" PRIMARY KEY("chain","address")
);
