import solc from 'solc';
import { parseAbi, type Address, type Hex } from 'viem';
import type { UniswapWorld } from './deployUniswap.js';

/** A trading desk that swaps at exactly the amounts asked: the counterpart a PnL test needs. */
export const fixedPriceDeskAbi = parseAbi(['function swap(address give, uint256 giveAmount, address get, uint256 getAmount)']);

const SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface ITestToken {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function mint(address to, uint256 amount) external;
}

contract FixedPriceDesk {
    function swap(address give, uint256 giveAmount, address get, uint256 getAmount) external {
        require(ITestToken(give).transferFrom(msg.sender, address(this), giveAmount), "desk: pay");
        ITestToken(get).mint(msg.sender, getAmount);
    }
}
`;

function compile(): Hex {
  const input = {
    language: 'Solidity',
    sources: { 'FixedPriceDesk.sol': { content: SOURCE } },
    settings: { optimizer: { enabled: false }, evmVersion: 'cancun', outputSelection: { '*': { FixedPriceDesk: ['evm.bytecode.object'] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts?: Record<string, Record<string, { evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((error) => error.severity === 'error');
  if (errors.length) throw new Error(errors.map((error) => error.formattedMessage).join('\n'));
  return `0x${output.contracts!['FixedPriceDesk.sol']!['FixedPriceDesk']!.evm.bytecode.object}`;
}

/** Deploys the desk; `trade` approves and swaps in two transactions and returns the swap's hash. */
export async function deployFixedPriceDesk(world: UniswapWorld): Promise<{
  address: Address;
  trade(from: Address, give: Address, giveAmount: bigint, get: Address, getAmount: bigint): Promise<Hex>;
}> {
  const deployer = world.walletClient(world.deployer);
  const hash = await deployer.deployContract({ abi: fixedPriceDeskAbi, bytecode: compile() });
  const address = (await world.publicClient.waitForTransactionReceipt({ hash })).contractAddress!;
  const erc20 = parseAbi(['function approve(address spender, uint256 amount) returns (bool)']);
  return {
    address,
    async trade(from, give, giveAmount, get, getAmount) {
      const wallet = world.walletClient(from);
      await world.publicClient.waitForTransactionReceipt({
        hash: await wallet.writeContract({ address: give, abi: erc20, functionName: 'approve', args: [address, giveAmount] }),
      });
      const swap = await wallet.writeContract({ address, abi: fixedPriceDeskAbi, functionName: 'swap', args: [give, giveAmount, get, getAmount] });
      await world.publicClient.waitForTransactionReceipt({ hash: swap });
      return swap;
    },
  };
}
