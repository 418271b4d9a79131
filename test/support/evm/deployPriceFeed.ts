import solc from 'solc';
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  http,
  parseAbi,
  type Address,
  type Hash,
  type Hex,
} from 'viem';
import type { Anvil } from './startAnvil.js';

/** The Chainlink AggregatorV3Interface, plus the setters the tests drive the feed with. */
export const testPriceFeedAbi = parseAbi([
  'constructor(uint8 decimals, string description)',
  'function decimals() view returns (uint8)',
  'function description() view returns (string)',
  'function version() view returns (uint256)',
  'function latestRoundData() view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)',
  'function getRoundData(uint80 roundId) view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)',
  'function setAnswer(int256 answer)',
  'function setAnswerUpdatedAt(int256 answer, uint256 updatedAt)',
  'function setReverting(bool reverting)',
]);

// Note: kept free of imports so solc-js needs no import callback; the ABI above must match it.
const SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract TestPriceFeed {
    struct Round { int256 answer; uint256 startedAt; uint256 updatedAt; }

    uint8 public immutable decimals;
    string public description;
    uint256 public constant version = 4;
    uint80 public latestRound;
    bool public reverting;
    mapping(uint80 => Round) private rounds;

    constructor(uint8 decimals_, string memory description_) {
        decimals = decimals_;
        description = description_;
    }

    function setAnswer(int256 answer) external {
        _newRound(answer, block.timestamp);
    }

    function setAnswerUpdatedAt(int256 answer, uint256 updatedAt) external {
        _newRound(answer, updatedAt);
    }

    function setReverting(bool reverting_) external {
        reverting = reverting_;
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return getRoundData(latestRound);
    }

    function getRoundData(uint80 roundId) public view returns (uint80, int256, uint256, uint256, uint80) {
        require(!reverting, "TestPriceFeed: reverting");
        require(roundId != 0 && roundId <= latestRound, "No data present");
        Round memory round = rounds[roundId];
        return (roundId, round.answer, round.startedAt, round.updatedAt, roundId);
    }

    function _newRound(int256 answer, uint256 updatedAt) private {
        latestRound += 1;
        rounds[latestRound] = Round(answer, updatedAt, updatedAt);
    }
}
`;

let compiled: { abi: typeof testPriceFeedAbi; bytecode: Hex } | undefined;

/** Compiles the test aggregator with solc-js, offline, once per process. */
export function compileTestPriceFeed(): { abi: typeof testPriceFeedAbi; bytecode: Hex } {
  if (compiled) return compiled;
  const input = {
    language: 'Solidity',
    sources: { 'TestPriceFeed.sol': { content: SOURCE } },
    settings: {
      optimizer: { enabled: false },
      // Pinned so the bytecode runs on anvil whatever hardfork solc would default to next.
      evmVersion: 'cancun',
      outputSelection: { 'TestPriceFeed.sol': { TestPriceFeed: ['evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    contracts?: Record<string, Record<string, { evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((error) => error.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`TestPriceFeed does not compile:\n${errors.map((error) => error.formattedMessage).join('\n')}`);
  }
  const object = output.contracts?.['TestPriceFeed.sol']?.['TestPriceFeed']?.evm.bytecode.object;
  if (!object) throw new Error('solc returned no bytecode for TestPriceFeed');
  compiled = { abi: testPriceFeedAbi, bytecode: `0x${object}` };
  return compiled;
}

/**
 * A Chainlink-style aggregator on anvil. Every setter sends one transaction, waits until it is mined and
 * returns its block number, so a test can read the feed at exactly that block later.
 */
export type TestPriceFeed = {
  address: Address;
  /** The block the aggregator was deployed in; before it, the address has no code. */
  deployedAt: bigint;
  /** A new round whose answer holds from this block on, updated at this block's time. */
  setAnswer(answer: bigint): Promise<bigint>;
  /** A new round with a chosen update time (seconds), to make a stale answer. */
  setAnswerUpdatedAt(answer: bigint, updatedAt: bigint): Promise<bigint>;
  /** From this block on, every read of a round reverts (or stops reverting). */
  setReverting(reverting: boolean): Promise<bigint>;
};

/** Deploys a fresh aggregator from anvil's first account; automine must be on. */
export async function deployPriceFeed(
  anvil: Anvil,
  options: { decimals?: number; description?: string } = {},
): Promise<TestPriceFeed> {
  const chain = defineChain({
    id: anvil.chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [anvil.url] } },
  });
  const transport = http(anvil.url);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 });
  const [first] = await anvil.rpc<Address[]>('eth_accounts');
  if (!first) throw new Error('anvil exposes no unlocked account');
  const account = getAddress(first);
  const wallet = createWalletClient({ account, chain, transport, pollingInterval: 50 });
  const { abi, bytecode } = compileTestPriceFeed();

  const mined = async (hash: Hash) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== 'success') throw new Error(`price feed transaction ${hash} reverted`);
    return receipt;
  };

  const deployment = await mined(
    await wallet.deployContract({
      abi,
      bytecode,
      args: [options.decimals ?? 8, options.description ?? 'ETH / USD'],
    }),
  );
  if (!deployment.contractAddress) throw new Error('the price feed deployment created no contract');
  const address = getAddress(deployment.contractAddress);
  const send = async (hash: Promise<Hash>) => (await mined(await hash)).blockNumber;

  return {
    address,
    deployedAt: deployment.blockNumber,
    setAnswer: (answer) => send(wallet.writeContract({ address, abi, functionName: 'setAnswer', args: [answer] })),
    setAnswerUpdatedAt: (answer, updatedAt) =>
      send(wallet.writeContract({ address, abi, functionName: 'setAnswerUpdatedAt', args: [answer, updatedAt] })),
    setReverting: (reverting) =>
      send(wallet.writeContract({ address, abi, functionName: 'setReverting', args: [reverting] })),
  };
}
