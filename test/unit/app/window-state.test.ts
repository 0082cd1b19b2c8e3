import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, isVisibleOn, loadWindowState, placementOf, saveWindowState, validateWindowState, type Rect } from '../../../main/app/window-state';

const laptop: Rect[] = [{ x: 0, y: 0, width: 1920, height: 1050 }];
const twoScreens: Rect[] = [...laptop, { x: 1920, y: 0, width: 2560, height: 1400 }];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dumpscope-ws-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('validateWindowState', () => {
  it('keeps bounds that are on a display', () => {
    const s = validateWindowState({ bounds: { x: 100, y: 80, width: 1200, height: 800 }, maximized: true, theme: 'dark' }, laptop);
    expect(s).toEqual({ position: { x: 100, y: 80 }, size: { width: 1200, height: 800 }, maximized: true, theme: 'dark' });
    expect(placementOf(s)).toEqual({ x: 100, y: 80, width: 1200, height: 800 });
  });

  it('drops the position of a window left on a monitor that is gone, keeping a size that fits', () => {
    const saved = { bounds: { x: 2500, y: 100, width: 2400, height: 1300 }, maximized: false, theme: 'system' };
    expect(validateWindowState(saved, twoScreens).position).toEqual({ x: 2500, y: 100 });
    const s = validateWindowState(saved, laptop);
    expect(s.position).toBeNull();
    expect(s.size).toEqual({ width: 1920, height: 1050 });
    expect(placementOf(s)).toEqual({ width: 1920, height: 1050 });
  });

  it('drops a window whose title bar is above or left of every display', () => {
    expect(validateWindowState({ bounds: { x: 100, y: -500, width: 800, height: 600 } }, laptop).position).toBeNull();
    expect(validateWindowState({ bounds: { x: -790, y: 100, width: 800, height: 600 } }, laptop).position).toBeNull();
    expect(validateWindowState({ bounds: { x: -600, y: 100, width: 800, height: 600 } }, laptop).position).toEqual({ x: -600, y: 100 });
  });

  it('treats malformed input as no saved state', () => {
    for (const raw of [null, 42, 'x', [], { bounds: { x: '1', y: 0, width: 800, height: 600 } }, { bounds: { x: 0, y: 0, width: Infinity, height: 600 } }, { bounds: { x: 1.5, y: 0, width: 800, height: 600 } }, { bounds: { x: 0, y: 0, width: -5, height: 600 } }, { bounds: { x: 1e9, y: 0, width: 800, height: 600 } }]) {
      const s = validateWindowState(raw, laptop);
      expect(s.position, JSON.stringify(raw)).toBeNull();
      expect(s.size, JSON.stringify(raw)).toBeNull();
      expect(placementOf(s)).toEqual(DEFAULT_SIZE);
    }
    expect(validateWindowState({ maximized: 'yes', theme: 'purple' }, laptop)).toMatchObject({ maximized: false, theme: 'system' });
  });

  it('enforces a minimum size', () => {
    expect(validateWindowState({ bounds: { x: 0, y: 0, width: 10, height: 10 } }, laptop).size).toEqual({ width: 640, height: 400 });
  });

  it('isVisibleOn needs a grabbable strip of the title bar on screen', () => {
    expect(isVisibleOn({ x: 1900, y: 10, width: 800, height: 600 }, laptop)).toBe(false);
    expect(isVisibleOn({ x: 1700, y: 10, width: 800, height: 600 }, laptop)).toBe(true);
  });
});

describe('load and save', () => {
  it('round-trips through the JSON file', () => {
    const file = path.join(tmp, 'a', 'window-state.json');
    saveWindowState(file, { position: { x: 5, y: 6 }, size: { width: 900, height: 700 }, maximized: true, theme: 'light' });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ bounds: { x: 5, y: 6, width: 900, height: 700 }, maximized: true, theme: 'light' });
    expect(loadWindowState(file, laptop)).toEqual({ position: { x: 5, y: 6 }, size: { width: 900, height: 700 }, maximized: true, theme: 'light' });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['window-state.json']); // no temp file left
  });

  it('falls back to defaults for a missing or corrupt file', () => {
    expect(placementOf(loadWindowState(path.join(tmp, 'none.json'), laptop))).toEqual(DEFAULT_SIZE);
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, '{"bounds": {"x": 1, ');
    expect(loadWindowState(bad, laptop)).toEqual({ position: null, size: null, maximized: false, theme: 'system' });
  });
});
