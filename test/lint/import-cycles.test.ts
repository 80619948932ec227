import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { packageRoot } from '../../src/paths';

/**
 * The module graph of `folders` as run: `import`/`export … from`, `require()` and `import()` of relative
 * specifiers. Type-only imports are left out: TypeScript erases them, so they cannot form a circle at run time.
 */
export function importGraph(folders: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const folder of folders) {
    for (const file of tsFiles(path.join(packageRoot, folder))) {
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
      const targets = new Set<string>();
      const add = (specifier: string) => {
        if (!specifier.startsWith('.')) return;
        const target = resolve(path.dirname(file), specifier);
        if (target) targets.add(target);
      };
      const visit = (node: ts.Node) => {
        if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !typeOnlyImport(node))
          add(node.moduleSpecifier.text);
        else if (
          ts.isExportDeclaration(node) &&
          node.moduleSpecifier &&
          ts.isStringLiteral(node.moduleSpecifier) &&
          !node.isTypeOnly
        )
          add(node.moduleSpecifier.text);
        else if (
          ts.isCallExpression(node) &&
          (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
            (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
          node.arguments.length === 1 &&
          ts.isStringLiteral(node.arguments[0])
        )
          add(node.arguments[0].text);
        ts.forEachChild(node, visit);
      };
      visit(source);
      graph.set(relative(file), [...targets].map(relative).sort());
    }
  }
  return graph;
}

function typeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import './x'` runs the module
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    clause.name === undefined &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

function tsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
    .map((name) => path.join(dir, name))
    .sort();
}

function resolve(dir: string, specifier: string): string | undefined {
  const base = path.resolve(dir, specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')])
    if (candidate.endsWith('.ts') && fs.existsSync(candidate)) return candidate;
  return undefined;
}

function relative(file: string): string {
  return path.relative(packageRoot, file).split(path.sep).join('/');
}

/** Every circle of the graph (Tarjan's strongly connected components), each as a path back to its start. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const connect = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) components.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return components.map((component) => cyclePath(graph, component));
}

/** One concrete circle through a strongly connected component, for the message: a → b → a. */
function cyclePath(graph: Map<string, string[]>, component: string[]): string[] {
  const members = new Set(component);
  const start = component[0];
  const seen = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const way = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = seen.get(at))
          way.splice(1, 0, at);
        return [...way, start];
      }
      if (!seen.has(to)) {
        seen.set(to, node);
        queue.push(to);
      }
    }
  }
  return [...component, start];
}

describe('lint: no import circles', () => {
  it('finds a circle in a graph and names it', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    assert.deepEqual(findCycles(graph), [['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
    assert.deepEqual(
      findCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
      [],
    );
  });

  it('src/ and templates/runtime/ import each other without a circle', () => {
    const graph = importGraph(['src', 'templates/runtime']);
    assert.ok(graph.size > 50, 'the graph covers the source tree');
    const circles = findCycles(graph).map((circle) => circle.join(' → '));
    assert.deepEqual(circles, [], `import circles:\n${circles.join('\n')}`);
  });
});
