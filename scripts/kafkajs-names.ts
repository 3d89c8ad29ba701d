/**
 * The names KafkaJS 2.2.4's types/index.d.ts exports (the kafkajs devDependency), read with the
 * compiler API so that the checks using them (scripts/check-types.ts, scripts/check-package.ts)
 * follow KafkaJS's declarations instead of a hand-kept list.
 */
import { join } from 'node:path';
import ts from 'typescript';

export function kafkajsTypesFile(root: string): string {
  return join(root, 'node_modules', 'kafkajs', 'types', 'index.d.ts');
}

export interface ExportedName {
  /** A class, enum or variable: something `import { X }` gets at run time too. */
  value: boolean;
  /** A class, enum, interface or type alias: usable as a type (a variable is not). */
  type: boolean;
  name: string;
  generic: boolean;
}

/** The names KafkaJS's declaration file exports with `export` (not its private helpers). */
export function kafkajsExports(file: string, root: string): ExportedName[] {
  const program = ts.createProgram([file], {
    strict: true,
    types: ['node'],
    typeRoots: [join(root, 'node_modules', '@types')],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${file} is not a module`);
  const names: ExportedName[] = [];
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const decl = symbol.declarations?.[0];
    // A .d.ts exports every top-level declaration; KafkaJS marks its public ones with `export`.
    if (!decl || (ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Export) === 0) continue;
    const params = (decl as ts.InterfaceDeclaration).typeParameters;
    const value =
      (symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Enum | ts.SymbolFlags.Variable)) !== 0;
    names.push({
      name: symbol.name,
      generic: (params?.length ?? 0) > 0,
      value,
      type: (symbol.flags & ts.SymbolFlags.Type) !== 0,
    });
  }
  return names;
}
