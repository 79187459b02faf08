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
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export type ShapeKind = 'accessor-literal' | 'accessor-descriptor' | 'class-accessors' | 'spread-adds-key';

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

/** The TypeScript files under `dir` (declaration files left out), as forward-slash paths. */
export function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full.split(path.sep).join('/')] : [];
  });
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

/** The keys an object of `type` is sure to have (required in every member of a union); null when the type says nothing (any). */
function keysItSurelyHas(checker: ts.TypeChecker, type: ts.Type): Set<string> | null {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return null;
  const members = type.isUnion() ? type.types : [type];
  const nothing = ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void;
  // A spread of null or undefined alone copies nothing, and the literal after it is an ordinary one.
  if (members.every((member) => member.flags & nothing)) return null;
  let sure: Set<string> | null = null;
  for (const member of members) {
    // A null or undefined member spreads nothing.
    if (member.flags & nothing) { sure = new Set(); continue; }
    const required = new Set(checker.getPropertiesOfType(checker.getApparentType(member)).filter((symbol) => !(symbol.flags & ts.SymbolFlags.Optional)).map((symbol) => symbol.name));
    sure = sure === null ? required : new Set([...sure].filter((key) => required.has(key)));
  }
  return sure ?? new Set();
}

/** The keys a literal's later element may write (a spread: any key of any member of its type); null when unknown (any). */
function keysItMayWrite(checker: ts.TypeChecker, element: ts.ObjectLiteralElementLike, sourceFile: ts.SourceFile): string[] | null {
  if (ts.isSpreadAssignment(element)) {
    const type = checker.getTypeAtLocation(element.expression);
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return null;
    const members = type.isUnion() ? type.types : [type];
    return [...new Set(members.flatMap((member) => checker.getPropertiesOfType(checker.getApparentType(member)).map((symbol) => symbol.name)))];
  }
  const name = element.name;
  if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name))) return [name.text];
  return name ? [name.getText(sourceFile)] : null;
}

/**
 * Every object literal, in code that runs per call, that starts with a spread and then writes a
 * key the spread's source is not sure to have (a property, or another spread that may bring one).
 * Measured on Node 20's V8 (11.3), interpreted or optimized: such a literal gets a new hidden class
 * on every evaluation (%HaveSameMap is false between two results), while `{ ...x }`, a spread that
 * only overrides keys `x` has, a key written before the spread, and Object.assign onto `{}` share
 * one (test/perf/with-fields.test.ts). The source's type decides what it surely has, so this needs
 * the program's type checker; a source typed `any` is not judged.
 */
export function findSpreadAdds(program: ts.Program, files: readonly { path: string; name: string }[]): ShapeFinding[] {
  const checker = program.getTypeChecker();
  const found: ShapeFinding[] = [];
  for (const file of files) {
    const sourceFile = program.getSourceFile(file.path);
    if (!sourceFile) throw new Error(`${file.path} is not in the program`);
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        const [first, ...rest] = node.properties;
        const inside = first && ts.isSpreadAssignment(first) && rest.length > 0 ? perCallScope(node) : null;
        if (first && ts.isSpreadAssignment(first) && inside !== null) {
          const sure = keysItSurelyHas(checker, checker.getTypeAtLocation(first.expression));
          const added = new Set<string>();
          if (sure !== null) {
            for (const element of rest) for (const key of keysItMayWrite(checker, element, sourceFile) ?? []) if (!sure.has(key)) added.add(key);
          }
          if (added.size > 0) {
            found.push({ file: file.name, line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1, kind: 'spread-adds-key', name: [...added].join(', '), inside });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  return found;
}

const ACCESSOR_FIX =
  'V8 allocates each AccessorPair in old space, holding the accessor closures and all they reach through every scavenge until the next mark-compact. ' +
  'Use a plain field that the object\'s own methods keep current, or a class declared at the top level (its accessors live once, on the prototype). ' +
  'If it really runs once per gateway, adapter or host, add it to the allowlist with the reason.';

const ADVICE: Record<ShapeKind, string> = {
  'accessor-literal': 'an object literal with an accessor',
  'accessor-descriptor': 'an accessor descriptor',
  'class-accessors': 'a class with accessors declared inside a function',
  'spread-adds-key': 'an object literal that starts with a spread and adds keys its source lacks',
};

const FIX: Record<ShapeKind, string> = {
  'accessor-literal': ACCESSOR_FIX,
  'accessor-descriptor': ACCESSOR_FIX,
  'class-accessors': ACCESSOR_FIX,
  'spread-adds-key':
    'V8 gives each such object a new hidden class (Map) of its own, allocated in old space, on every evaluation (~1 us, and a mark-compact every ~100k). ' +
    'Write the fields out, or use withFields(source, { … }) from src-proxy/wire/with-fields.ts (Object.assign onto a fresh object shares one hidden class), ' +
    'or put a plain key before the spread. If it really runs rarely (per gateway, per control call, per error), add it to the allowlist with the reason.',
};

/** What a failing run prints for one finding: where, what, and what to write instead. */
export function describeShape(finding: ShapeFinding): string {
  return (
    `${finding.file}:${finding.line} builds ${ADVICE[finding.kind]} ('${finding.name}') on every call of ${finding.inside}: ` + FIX[finding.kind]
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
