// Remembered window state (bounds, maximized, theme) in a JSON file in the user data folder.
// The file is input like any other: it may be missing, corrupt, hand-edited or written on a
// machine with another monitor layout, so it is validated and off-screen bounds are dropped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type WindowPlacement } from './security';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type ThemeSource = 'system' | 'light' | 'dark';
export const THEME_SOURCES: readonly ThemeSource[] = ['system', 'light', 'dark'];

export interface WindowState {
  /** Where the (non-maximized) window was; null when unknown or no longer on any display. */
  position: { x: number; y: number } | null;
  size: { width: number; height: number } | null;
  maximized: boolean;
  theme: ThemeSource;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_SIZE = { width: 1280, height: 820 };
export const MIN_SIZE = { width: 640, height: 400 };
/** How much of the window must overlap a display for it to count as visible (a grabbable title bar). */
const MIN_VISIBLE = { width: 120, height: 40 };
const MAX_COORD = 100_000;

export const DEFAULT_WINDOW_STATE: WindowState = { position: null, size: null, maximized: false, theme: 'system' };

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function parseRect(v: unknown): Rect | null {
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  if (!isInt(r.x, -MAX_COORD, MAX_COORD) || !isInt(r.y, -MAX_COORD, MAX_COORD)) return null;
  if (!isInt(r.width, 1, MAX_COORD) || !isInt(r.height, 1, MAX_COORD)) return null;
  return { x: r.x, y: r.y, width: r.width, height: r.height };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/** True when the window's top strip (where the title bar is) lies on some display. */
export function isVisibleOn(bounds: Rect, workAreas: readonly Rect[]): boolean {
  const titleBar: Rect = { x: bounds.x, y: bounds.y, width: bounds.width, height: Math.min(bounds.height, MIN_VISIBLE.height) };
  return workAreas.some((area) => {
    const o = overlap(titleBar, area);
    return o.width >= Math.min(MIN_VISIBLE.width, bounds.width) && o.height >= Math.min(MIN_VISIBLE.height, bounds.height);
  });
}

/**
 * Validates a parsed state file against the current displays. Anything malformed falls back
 * to the default; bounds that are off every display lose their position (the window is then
 * centred) and keep a size that fits the largest display.
 */
export function validateWindowState(raw: unknown, workAreas: readonly Rect[]): WindowState {
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_WINDOW_STATE };
  const r = raw as Record<string, unknown>;
  const maximized = r.maximized === true;
  const theme = THEME_SOURCES.includes(r.theme as ThemeSource) ? (r.theme as ThemeSource) : 'system';
  const bounds = parseRect(r.bounds);
  if (!bounds) return { position: null, size: null, maximized, theme };
  const maxW = Math.max(MIN_SIZE.width, ...workAreas.map((a) => a.width));
  const maxH = Math.max(MIN_SIZE.height, ...workAreas.map((a) => a.height));
  const size = {
    width: Math.min(Math.max(bounds.width, MIN_SIZE.width), maxW),
    height: Math.min(Math.max(bounds.height, MIN_SIZE.height), maxH),
  };
  const onScreen = isVisibleOn({ x: bounds.x, y: bounds.y, ...size }, workAreas);
  return { position: onScreen ? { x: bounds.x, y: bounds.y } : null, size, maximized, theme };
}

/** What the BrowserWindow is created with: a size always, a position only when it is on screen. */
export function placementOf(state: WindowState): WindowPlacement {
  return { ...(state.size ?? DEFAULT_SIZE), ...(state.position ?? {}) };
}

export function loadWindowState(file: string, workAreas: readonly Rect[]): WindowState {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return { ...DEFAULT_WINDOW_STATE }; // missing or corrupt: start fresh
  }
  return validateWindowState(raw, workAreas);
}

/** Written to a temporary file and renamed, so a crash never leaves half a file. */
export function saveWindowState(file: string, state: WindowState): void {
  const bounds = state.position && state.size ? { ...state.position, ...state.size } : null;
  const text = JSON.stringify({ bounds, maximized: state.maximized, theme: state.theme }, null, 2) + '\n';
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}
