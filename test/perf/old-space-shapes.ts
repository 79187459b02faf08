/**
 * Finds, in source text, the shapes of code that make V8 allocate an AccessorPair each time they
 * run. V8 allocates every AccessorPair in old space (Factory::NewAccessorPair, AllocationType::kOld),
 * and the pair holds the getter and setter closures, so everything they reach (a whole stream, a
 * whole request) is treated as live by every scavenge until the next mark-compact: it gets copied,
 * then promoted. That kept ~14 KB of every SSE stream alive (README, Performance, "What kept every
 * stream past the scavenges"; test/perf/scavenge-retention.test.ts measures it).
 *
 * Three shapes, each caught only where it runs per call (inside a function or method body, or a
 * class's instance field initializer); at a module's top level they run once and cost nothing:
 *  - an object literal with a `get` or `set` accessor;
 *  - an accessor descriptor written as a literal (`{ get: … }` / `{ set: … }`) handed to
 *    Object.defineProperty, Reflect.defineProperty, Object.defineProperties or Object.create;
 *  - a class with accessors declared inside a function (a new class, so new pairs, per call).
 *
 * A descriptor that is not a literal (passed through from elsewhere) is not judged: a static check
 * cannot know what it holds. What else makes old-space objects per request and is not caught here
 * (a long-lived Set or Map rehashing, a long-lived array growing) depends on what the code stores
 * and how long the container lives, which only a measurement shows (scavenge-retention.test.ts).
 */
import ts from 'typescript';

export type ShapeKind = 'accessor-literal' | 'accessor-descriptor' | 'class-accessors';

export interface ShapeFinding {
  file: string;
  line: number;
  kind: ShapeKind;
  /** The accessor's (or the class's) name. */
  name: string;
  /** The function whose every call builds it (its name, or the variable or property it is assigned to). */
  inside: string;
}

/** A known exception: built once per gateway, adapter or host, not per request. Matched by file, kind, name and function. */
export interface ShapeAllowance {
  file: string;
  kind: ShapeKind;
  name: string;
  inside: string;
  /** Why this one runs rarely enough (what creates it, how often). */
  reason: string;
}

const DESCRIPTOR_CALLS: Record<string, 'one' | 'map'> = {
  'Object.defineProperty': 'one',
  'Reflect.defineProperty': 'one',
  'Object.defineProperties': 'map',
  'Object.create': 'map',
};

/** The name a reader knows the function by. */
function functionName(node: ts.Node): string {
  if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node) || ts.isAccessor(node)) && node.name) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))) return parent.name.getText();
  return '(anonymous)';
}

/** The innermost code that runs per call around `node`, or null at a module's (or a class's static) top level. */
function perCallScope(node: ts.Node): string | null {
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if (ts.isFunctionLike(at) && 'body' in at && at.body !== undefined) return functionName(at);
    if (ts.isClassStaticBlockDeclaration(at)) return null;
    if (ts.isPropertyDeclaration(at) && ts.isClassLike(at.parent)) {
      // An instance field's initializer runs for every object the class makes; a static one once.
      if (at.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.StaticKeyword)) return null;
      const className = at.parent.name?.getText() ?? '(anonymous class)';
      return `new ${className}`;
    }
  }
  return null;
}

/** A descriptor literal with a `get` or `set` (as a property, a shorthand or a method). */
function hasAccessorProperty(literal: ts.Expression): boolean {
  return (
    ts.isObjectLiteralExpression(literal) &&
    literal.properties.some((property) => {
      if (ts.isSpreadAssignment(property)) return false;
      const name = property.name;
      return (ts.isIdentifier(name) || ts.isStringLiteral(name)) && (name.text === 'get' || name.text === 'set');
    })
  );
}

/** Every place in `source` that builds accessors per call. */
export function findShapes(file: string, source: string): ShapeFinding[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: ShapeFinding[] = [];
  const add = (node: ts.Node, kind: ShapeKind, name: string) => {
    const inside = perCallScope(node);
    if (inside === null) return;
    found.push({ file, line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1, kind, name, inside });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      for (const property of node.properties) if (ts.isAccessor(property)) add(property, 'accessor-literal', property.name.getText(sourceFile));
    } else if (ts.isClassLike(node)) {
      const accessors = node.members.filter((member) => ts.isAccessor(member));
      if (accessors.length > 0) add(node, 'class-accessors', node.name?.getText(sourceFile) ?? '(anonymous class)');
    } else if (ts.isCallExpression(node)) {
      const form = DESCRIPTOR_CALLS[node.expression.getText(sourceFile).replace(/\s+/g, '')];
      if (form === 'one') {
        const [, key, descriptor] = node.arguments;
        if (descriptor && hasAccessorProperty(descriptor)) add(node, 'accessor-descriptor', key ? key.getText(sourceFile) : '?');
      } else if (form === 'map') {
        const descriptors = node.arguments[1];
        if (descriptors && ts.isObjectLiteralExpression(descriptors)) {
          for (const property of descriptors.properties) {
            if (ts.isPropertyAssignment(property) && hasAccessorProperty(property.initializer)) add(property, 'accessor-descriptor', property.name.getText(sourceFile));
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

const ADVICE: Record<ShapeKind, string> = {
  'accessor-literal': 'an object literal with an accessor',
  'accessor-descriptor': 'an accessor descriptor',
  'class-accessors': 'a class with accessors declared inside a function',
};

/** What a failing run prints for one finding: where, what, and what to write instead. */
export function describeShape(finding: ShapeFinding): string {
  return (
    `${finding.file}:${finding.line} builds ${ADVICE[finding.kind]} ('${finding.name}') on every call of ${finding.inside}: ` +
    'V8 allocates each AccessorPair in old space, holding the accessor closures and all they reach through every scavenge until the next mark-compact. ' +
    'Use a plain field that the object\'s own methods keep current, or a class declared at the top level (its accessors live once, on the prototype). ' +
    'If it really runs once per gateway, adapter or host, add it to the allowlist with the reason.'
  );
}

/** Findings no allowance covers, and allowances that cover nothing any more (stale). */
export function judgeShapes(findings: readonly ShapeFinding[], allowances: readonly ShapeAllowance[]): { unexplained: ShapeFinding[]; stale: ShapeAllowance[] } {
  const matches = (allowance: ShapeAllowance, finding: ShapeFinding) =>
    allowance.file === finding.file && allowance.kind === finding.kind && allowance.name === finding.name && allowance.inside === finding.inside;
  return {
    unexplained: findings.filter((finding) => !allowances.some((allowance) => matches(allowance, finding))),
    stale: allowances.filter((allowance) => !findings.some((finding) => matches(allowance, finding))),
  };
}
