import { customType } from 'drizzle-orm/pg-core';

/** `numeric(78,0)`: a raw token amount, large enough for any uint256, read back as bigint. */
export const rawAmount = customType<{ data: bigint; driverData: string }>({
  dataType: () => 'numeric(78, 0)',
  toDriver: (value) => value.toString(),
  fromDriver: (value) => BigInt(value),
});

/** `numeric`: an exact decimal (USD values, prices), kept as a decimal string in code. */
export const decimal = customType<{ data: string; driverData: string }>({
  dataType: () => 'numeric',
  toDriver: (value) => value,
  fromDriver: (value) => String(value),
});
