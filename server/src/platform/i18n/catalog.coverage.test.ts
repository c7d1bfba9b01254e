import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allModules } from '../../modules/index.js';
import { hasMessage } from './catalog.js';
import './platform-messages.js';

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('i18n catalogue', () => {
  it('has a Spanish and English message for every error code the code can throw', () => {
    allModules(); // loads every module's message registrations
    const missing = new Set<string>();
    for (const file of sourceFiles(srcDir)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/new AppError\(\s*'([A-Z0-9_]+)'/g)) {
        if (!hasMessage(`errors.${match[1]}`)) missing.add(`${match[1]} (${path.relative(srcDir, file)})`);
      }
    }
    expect([...missing].sort()).toEqual([]);
  });
});
