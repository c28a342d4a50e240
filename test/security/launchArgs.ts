/**
 * Finds every child_process launch (spawn, exec, execFile, fork and their Sync forms, also through
 * aliases, `import * as cp`, require and promisify) in a TypeScript source, and works out what its
 * command line is made of: the argv expression, followed back through the file — a local array and
 * every push/unshift/assignment to it, a const's initializer, a for-of variable's collection, a
 * parameter's arguments at each call of its function — down to literals, property paths and names
 * from elsewhere. A command line made from the environment or from anything named like a secret is
 * a leak: /proc/<pid>/cmdline is readable by every user of the machine, the environment is not.
 */
import ts from 'typescript';
import { SECRET_ENV_VARS } from '../../src/settings/env';

const LAUNCHERS = new Set(['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']);
/** The first argument is a whole shell command line. */
const SHELL = new Set(['exec', 'execSync']);
const CHILD_PROCESS = new Set(['child_process', 'node:child_process']);

export interface Launch {
  file: string;
  line: number;
  launcher: string;
  /** Source text of the call. */
  call: string;
  /** What the command line (program and arguments) is made of. */
  programTerms: string[];
  argvTerms: string[];
  /** Why it leaks; empty when it does not. */
  leaks: string[];
}

/** Names and property paths that carry a secret, or the whole environment. */
const SECRET_NAME =
  /password|passwd|secret|api_?key|apikey|token|credential|authorization|\burl\b|url$|connectionstring|\bdsn\b/i;
/** The whole environment (`process.env`, `opts.env`, `env`): one variable of it is judged by its name. */
const WHOLE_ENV = /(^|\.)env$/;
/** A literal option that hands a credential over on the command line (`--no-password` is its opposite). */
const SECRET_OPTION = /--(?!no-)[\w-]*(password|passwd|secret|api-?key|token|credential)/i;

/** Named like a secret, and are not: the URL constructor, and this module's own file URL. */
const NOT_SECRET = new Set(['name:URL', 'path:import.meta.url']);

function termLeak(term: string, forProgram: boolean): string | null {
  if (NOT_SECRET.has(term)) return null;
  const [kind, text] = splitTerm(term);
  if (kind === 'literal')
    return SECRET_OPTION.test(text) ? `the literal option ${JSON.stringify(text)}` : null;
  if (SECRET_ENV_VARS.some((v) => text.includes(v))) return `${text} names a secret variable`;
  // The program may come from PATH (findOnPath('go', env)); its arguments may not come from the environment.
  if (!forProgram && WHOLE_ENV.test(text)) return `${text} is the whole environment`;
  const words = text.split(/[.[\]'"]+/).filter(Boolean);
  if (words.some((w) => SECRET_NAME.test(w))) return `${text} is named like a secret`;
  return null;
}

const splitTerm = (term: string): [string, string] => {
  const at = term.indexOf(':');
  return [term.slice(0, at), term.slice(at + 1)];
};

export function findLaunches(file: string, text: string): Launch[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const aliases = new Map<string, string>(); // local name → launcher
  const namespaces = new Set<string>(); // `import * as cp`, `const cp = require(…)`

  const isChildProcessRequire = (e: ts.Expression | undefined): boolean =>
    !!e &&
    ts.isCallExpression(e) &&
    ts.isIdentifier(e.expression) &&
    e.expression.text === 'require' &&
    e.arguments.length === 1 &&
    ts.isStringLiteral(e.arguments[0]!) &&
    CHILD_PROCESS.has(e.arguments[0].text);

  const all: ts.Node[] = [];
  const collect = (n: ts.Node): void => {
    all.push(n);
    n.forEachChild(collect);
  };
  collect(sf);

  for (const n of all) {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      if (!CHILD_PROCESS.has(n.moduleSpecifier.text)) continue;
      const clause = n.importClause;
      if (clause?.name) namespaces.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings))
        for (const el of bindings.elements) {
          const imported = (el.propertyName ?? el.name).text;
          if (LAUNCHERS.has(imported)) aliases.set(el.name.text, imported);
        }
    }
    if (ts.isVariableDeclaration(n) && isChildProcessRequire(n.initializer)) {
      if (ts.isIdentifier(n.name)) namespaces.add(n.name.text);
      else if (ts.isObjectBindingPattern(n.name))
        for (const el of n.name.elements) {
          const imported = (
            el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName : el.name
          ) as ts.Node;
          if (ts.isIdentifier(imported) && ts.isIdentifier(el.name) && LAUNCHERS.has(imported.text))
            aliases.set(el.name.text, imported.text);
        }
    }
  }

  /** The launcher an expression names: an alias, `cp.spawn`, `promisify(execFile)`. */
  const launcherOf = (e: ts.Expression): string | undefined => {
    if (ts.isIdentifier(e)) return aliases.get(e.text);
    if (
      ts.isPropertyAccessExpression(e) &&
      ts.isIdentifier(e.expression) &&
      namespaces.has(e.expression.text)
    )
      return LAUNCHERS.has(e.name.text) ? e.name.text : undefined;
    if (ts.isCallExpression(e) && /(^|\.)promisify$/.test(e.expression.getText(sf)) && e.arguments[0])
      return launcherOf(e.arguments[0]);
    return undefined;
  };
  // Aliases of aliases (`const run = promisify(execFile)`), until nothing new is found.
  for (let grew = true; grew;) {
    grew = false;
    for (const n of all)
      if (
        ts.isVariableDeclaration(n) &&
        ts.isIdentifier(n.name) &&
        n.initializer &&
        !aliases.has(n.name.text)
      ) {
        const l = launcherOf(n.initializer);
        if (l) {
          aliases.set(n.name.text, l);
          grew = true;
        }
      }
  }

  const declarationsOf = (name: string): ts.Node[] =>
    all.filter(
      (n) =>
        (ts.isVariableDeclaration(n) || ts.isParameter(n) || ts.isBindingElement(n)) &&
        ts.isIdentifier(n.name) &&
        n.name.text === name,
    );

  /** Every expression whose value flows into `name`: its initializer, and each push/assignment. */
  const flowsInto = (name: string): { exprs: ts.Expression[]; origins: string[] } => {
    const exprs: ts.Expression[] = [];
    const origins: string[] = [];
    for (const d of declarationsOf(name)) {
      if (ts.isVariableDeclaration(d)) {
        if (d.initializer) exprs.push(d.initializer);
        // for (const x of xs): x is each element of xs
        const loop = d.parent?.parent;
        if (loop && (ts.isForOfStatement(loop) || ts.isForInStatement(loop))) exprs.push(loop.expression);
      } else if (ts.isBindingElement(d)) {
        origins.push(`destructured:${name}`);
      } else if (ts.isParameter(d)) {
        const fn = d.parent;
        const index = fn.parameters.indexOf(d);
        const fnName =
          ts.isFunctionDeclaration(fn) && fn.name
            ? fn.name.text
            : (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) &&
                ts.isVariableDeclaration(fn.parent) &&
                ts.isIdentifier(fn.parent.name)
              ? fn.parent.name.text
              : undefined;
        const calls = fnName
          ? all.filter(
              (n): n is ts.CallExpression =>
                ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === fnName,
            )
          : [];
        if (calls.length === 0) origins.push(`param:${name}`);
        for (const c of calls) if (c.arguments[index]) exprs.push(c.arguments[index]);
      }
    }
    for (const n of all) {
      // name.push(…), name.unshift(…), name.splice(…)
      if (
        ts.isCallExpression(n) &&
        ts.isPropertyAccessExpression(n.expression) &&
        ts.isIdentifier(n.expression.expression) &&
        n.expression.expression.text === name &&
        ['push', 'unshift', 'splice', 'concat'].includes(n.expression.name.text)
      )
        exprs.push(...n.arguments);
      // name = …, name += …
      if (
        ts.isBinaryExpression(n) &&
        ts.isIdentifier(n.left) &&
        n.left.text === name &&
        n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        n.operatorToken.kind <= ts.SyntaxKind.LastAssignment
      )
        exprs.push(n.right);
    }
    return { exprs, origins };
  };

  /** A function of this file: the expressions it returns (its parameters resolve to its calls' arguments). */
  const localFunctionResults = (name: string): ts.Expression[] | undefined => {
    const fn = all.find(
      (n): n is ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression =>
        (ts.isFunctionDeclaration(n) && n.name?.text === name) ||
        ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) &&
          ts.isVariableDeclaration(n.parent) &&
          ts.isIdentifier(n.parent.name) &&
          n.parent.name.text === name),
    );
    if (!fn?.body) return undefined;
    if (!ts.isBlock(fn.body)) return [fn.body];
    const results: ts.Expression[] = [];
    const returns = (n: ts.Node): void => {
      if (ts.isReturnStatement(n) && n.expression) results.push(n.expression);
      n.forEachChild(returns);
    };
    returns(fn.body);
    return results;
  };

  /** The terms an expression is made of, following local names back through the file. */
  const termsOf = (root: ts.Expression | undefined): string[] => {
    const terms = new Set<string>();
    const seen = new Set<string>();
    const seenFunctions = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (
        ts.isStringLiteralLike(n) ||
        ts.isTemplateHead(n) ||
        ts.isTemplateMiddle(n) ||
        ts.isTemplateTail(n)
      ) {
        terms.add(`literal:${n.text}`);
        return;
      }
      if (ts.isNumericLiteral(n)) return;
      if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
        // A property path is judged by its name (`conn.database`, `opts.env.X`), not by its object.
        terms.add(`path:${n.getText(sf)}`);
        if (ts.isElementAccessExpression(n)) visit(n.argumentExpression);
        return;
      }
      if (ts.isIdentifier(n)) {
        const name = n.text;
        terms.add(`name:${name}`);
        if (seen.has(name)) return;
        seen.add(name);
        const { exprs, origins } = flowsInto(name);
        for (const o of origins) terms.add(o);
        for (const e of exprs) visit(e);
        return;
      }
      if (ts.isCallExpression(n)) {
        // A function of this file: what it returns. Any other (String(port), join(dir, f)): its
        // name, and its arguments as if they all flowed into the result.
        if (ts.isIdentifier(n.expression)) {
          const callee = n.expression.text;
          terms.add(`name:${callee}`);
          const results = localFunctionResults(callee);
          if (results) {
            if (!seenFunctions.has(callee)) {
              seenFunctions.add(callee);
              results.forEach(visit);
            }
            return;
          }
        } else visit(n.expression);
        for (const a of n.arguments) visit(a);
        return;
      }
      n.forEachChild(visit);
    };
    if (root) visit(root);
    return [...terms].sort();
  };

  const launches: Launch[] = [];
  for (const n of all) {
    if (!ts.isCallExpression(n)) continue;
    const launcher = launcherOf(n.expression);
    if (!launcher) continue;
    const [first, second] = n.arguments;
    const argv = SHELL.has(launcher)
      ? first
      : second && !ts.isObjectLiteralExpression(second)
        ? second
        : undefined;
    const programTerms = SHELL.has(launcher) ? [] : termsOf(first);
    const argvTerms = termsOf(argv);
    const leaks = [
      ...programTerms.map((t) => termLeak(t, true)),
      ...argvTerms.map((t) => termLeak(t, false)),
    ].filter((l): l is string => l !== null);
    launches.push({
      file,
      line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1,
      launcher,
      call: n.getText(sf).replace(/\s+/g, ' ').slice(0, 200),
      programTerms,
      argvTerms,
      leaks,
    });
  }
  return launches;
}
