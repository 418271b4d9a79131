import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** A layer of `src/` and the layers it must not import from. */
export type LayerRule = { layer: string; mayNotImport: readonly string[] };

/**
 * Lookout's layers, innermost first: db knows only its schema; tracker knows chains and money;
 * usecases call both; bot, http and cli are edges that call the use cases.
 */
export const LAYER_RULES: readonly LayerRule[] = [
  { layer: 'db', mayNotImport: ['tracker', 'bot', 'usecases', 'cli', 'http'] },
  { layer: 'tracker', mayNotImport: ['bot', 'usecases', 'cli', 'http'] },
  { layer: 'usecases', mayNotImport: ['bot', 'cli', 'http'] },
  { layer: 'http', mayNotImport: ['bot', 'cli'] },
];

const SOURCE = /\.(ts|tsx|mts|cts)$/;

/** Every TypeScript file under `folder`, as absolute paths, in a stable order. */
function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(full);
  }
  return files;
}

/** The file a relative specifier names: `./x.js` is `./x.ts` in the source tree; a folder means its index. */
function resolveRelative(from: string, specifier: string): string | null {
  const target = path.resolve(path.dirname(from), specifier);
  const stem = target.replace(/\.(js|jsx|mjs|cjs|ts|tsx|mts|cts)$/, '');
  const candidates = [target, `${stem}.ts`, `${stem}.tsx`, `${stem}.mts`, `${stem}.cts`, path.join(target, 'index.ts')];
  for (const candidate of candidates) {
    if (SOURCE.test(candidate) && existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/**
 * The files of the tree that a file imports: static imports and re-exports (`import type` and `export ... from`
 * included) and dynamic `import()`; specifiers outside the tree (packages, `node:`) are left out.
 */
export function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const resolved = importedFiles
    .map((entry) => entry.fileName)
    .filter((specifier) => specifier.startsWith('./') || specifier.startsWith('../'))
    .map((specifier) => resolveRelative(file, specifier))
    .filter((target): target is string => target !== null);
  return [...new Set(resolved)];
}

/** The cycles of a graph: each strongly connected component of more than one file, or a file importing itself (Tarjan). */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  // Note: iterative, so that a deep import chain cannot overflow the call stack.
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const target = edges[frame.next++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = component.length === 1 && edges.includes(frame.node);
        if (component.length > 1 || selfLoop) cycles.push(component.sort());
      }
    }
  }
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/**
 * Checks the imports of the tree under `root/src`: one line per import that crosses a layer boundary
 * the wrong way, and one per import cycle with its files; an empty list when the tree is clean.
 */
export function checkImports(root: string, rules: readonly LayerRule[] = LAYER_RULES): string[] {
  const src = path.join(root, 'src');
  const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const layerOf = (file: string) => path.relative(src, file).split(path.sep)[0] ?? '';
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(src)) graph.set(file, importsOf(file).filter((target) => target.startsWith(src + path.sep)));

  const problems: string[] = [];
  for (const [file, targets] of graph) {
    const rule = rules.find((candidate) => candidate.layer === layerOf(file));
    if (!rule) continue;
    for (const target of targets) {
      const layer = layerOf(target);
      if (rule.mayNotImport.includes(layer)) {
        problems.push(`${relative(file)} imports ${relative(target)}: src/${rule.layer} may not import from src/${layer}`);
      }
    }
  }
  for (const cycle of findCycles(graph)) {
    problems.push(`import cycle among ${cycle.length} file${cycle.length === 1 ? '' : 's'}: ${cycle.map(relative).join(', ')}`);
  }
  return problems;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const problems = checkImports(root);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`${problems.length} import problem${problems.length === 1 ? '' : 's'}; see the layers in README.md (Development).`);
    process.exit(1);
  }
  console.log('imports: every layer boundary holds and there is no import cycle.');
}
