/** Model → file contents. Pure apart from reading the specs; the CLI writes the files. */
import {
  emitApiModule,
  emitDataModule,
  emitHeadersModule,
  emitIndexModule,
  emitRuntimeModule,
} from './emit-module.js';
import { buildModel, type Model } from './model.js';
import { loadFromDir, loadFromJar, type SpecSource } from './parse.js';

export interface GenerateOptions {
  /** Directory of spec JSON files. */
  specs?: string;
  /** A kafka-clients jar to read common/message/*.json from (wins over `specs`). */
  jar?: string;
}

export interface Generated {
  model: Model;
  /** File name (relative to src/protocol/messages) → content. */
  files: Map<string, string>;
}

export function loadSource(opts: GenerateOptions, defaultSpecs: string): SpecSource {
  return opts.jar ? loadFromJar(opts.jar) : loadFromDir(opts.specs ?? defaultSpecs);
}

export function generateFrom(source: SpecSource): Generated {
  const model = buildModel(source);
  const files = new Map<string, string>();
  files.set('runtime.ts', emitRuntimeModule(model));
  files.set('headers.ts', emitHeadersModule(model));
  for (const api of model.apis) files.set(`${api.module}.ts`, emitApiModule(model, api));
  for (const d of model.data) files.set(`${d.module}.ts`, emitDataModule(model, d));
  files.set('index.ts', emitIndexModule(model));
  return { model, files };
}
