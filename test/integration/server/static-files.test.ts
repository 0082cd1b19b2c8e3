// The renderer's files are served from one folder and nothing outside it.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveStatic } from '../../../main/server/static-files';

describe('resolveStatic', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-static-'));
  fs.mkdirSync(path.join(root, 'assets'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), '');
  fs.writeFileSync(path.join(path.dirname(root), 'secret.txt'), 'no');

  it('serves index.html for / and files by type', () => {
    expect(resolveStatic(root, '/')).toMatchObject({ file: path.join(root, 'index.html'), type: 'text/html; charset=utf-8' });
    expect(resolveStatic(root, '/assets/app.js')).toMatchObject({ type: 'text/javascript; charset=utf-8' });
  });

  it('refuses anything outside the folder, folders, and odd paths', () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt', '/..%2fsecret.txt', '/assets', '/nope', '/%00', '/%E0%A4%A']) {
      expect(resolveStatic(root, p), p).toBeNull();
    }
  });
});
