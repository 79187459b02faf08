// Renders every icon in assets/ from the two source drawings in assets/source/. Run it after
// changing a drawing and commit the results: CI and packaging use the committed files and need
// none of these tools.
//
// Prerequisites (Debian/Ubuntu): apt-get install librsvg2-bin icnsutils icoutils
//   rsvg-convert (SVG → PNG), png2icns (macOS .icns), icotool (Windows .ico)
// macOS: brew install librsvg libicns icoutils
//
// Usage: node scripts/make-icons.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const assets = path.join(root, 'assets');
const scratch = mkdtempSync(path.join(tmpdir(), 'switchboard-icons-'));

// Plugged: down from the left jack and up into the right one, clear of the badge corner.
const CABLE_PLUGGED = 'M7 7.5 C 6 26, 14.5 26, 16.5 17.5 C 18 11.5, 25 14.5, 25 7.5';
const CABLE_LOOSE = 'M7 7.5 C 7 27, 17 29, 18 18.5';
const GAP = 'mask="url(#badge-gap)"';
const C = { x: 24.5, y: 24.5 };

/** Badge marks per state. `ink` is the badge colour, `paper` what a knocked-out mark shows. */
const BADGES = {
  running: (ink) => `<circle cx="${C.x}" cy="${C.y}" r="6.6" fill="${ink}"/>`,
  starting: (ink) =>
    // Three quarters of a ring: a spinner frozen mid-turn.
    `<path d="M${C.x} ${C.y - 5} A5 5 0 1 1 ${C.x - 5} ${C.y}" fill="none" stroke="${ink}" stroke-width="3.2" stroke-linecap="round"/>`,
  error: (ink, paper) =>
    paper
      ? `<circle cx="${C.x}" cy="${C.y}" r="6.6" fill="${ink}"/><rect x="${C.x - 1.3}" y="${C.y - 4.4}" width="2.6" height="5.4" rx="1.1" fill="${paper}"/><circle cx="${C.x}" cy="${C.y + 3.1}" r="1.35" fill="${paper}"/>`
      : // Template images are one colour: the exclamation mark is cut out of the disc.
        `<defs><mask id="bang" maskUnits="userSpaceOnUse" x="0" y="0" width="32" height="32"><rect width="32" height="32" fill="#fff"/><rect x="${C.x - 1.3}" y="${C.y - 4.4}" width="2.6" height="5.4" rx="1.1" fill="#000"/><circle cx="${C.x}" cy="${C.y + 3.1}" r="1.35" fill="#000"/></mask></defs><circle cx="${C.x}" cy="${C.y}" r="6.6" fill="${ink}" mask="url(#bang)"/>`,
  stopped: () => '',
};

/** Colour variants (Windows, Linux): a mid blue that reads on light and dark panels. */
const COLOR = {
  running: { ink: '#4c82f7', badge: '#22c55e', paper: null },
  starting: { ink: '#4c82f7', badge: '#f59e0b', paper: null },
  error: { ink: '#4c82f7', badge: '#ef4444', paper: '#ffffff' },
  stopped: { ink: '#8a93a6', badge: '', paper: null },
};

function traySvg(state, template) {
  const ink = template ? '#000000' : COLOR[state].ink;
  const badgeInk = template ? '#000000' : COLOR[state].badge;
  const paper = template ? null : COLOR[state].paper;
  return readFileSync(path.join(assets, 'source', 'tray.svg'), 'utf8')
    .replaceAll('{{INK}}', ink)
    .replace('{{CABLE}}', state === 'stopped' ? CABLE_LOOSE : CABLE_PLUGGED)
    .replace('{{MASK}}', state === 'stopped' ? '' : GAP)
    .replace('{{BADGE}}', BADGES[state](badgeInk, paper));
}

function render(svgText, size, out) {
  const input = path.join(scratch, `${path.basename(out)}.svg`);
  writeFileSync(input, svgText);
  mkdirSync(path.dirname(out), { recursive: true });
  execFileSync('rsvg-convert', ['-w', String(size), '-h', String(size), '-o', out, input]);
}

// Tray: 1x and 2x of each state; Electron loads name@2x.png next to name.png by itself.
for (const state of ['running', 'starting', 'error', 'stopped']) {
  const tray = path.join(assets, 'tray');
  render(traySvg(state, false), 16, path.join(tray, `${state}.png`));
  render(traySvg(state, false), 32, path.join(tray, `${state}@2x.png`));
  render(traySvg(state, false), 22, path.join(tray, `${state}-linux.png`));
  render(traySvg(state, false), 44, path.join(tray, `${state}-linux@2x.png`));
  // "Template" in the name makes macOS treat the image as a template (black + alpha, tinted by the OS).
  render(traySvg(state, true), 16, path.join(tray, `${state}Template.png`));
  render(traySvg(state, true), 32, path.join(tray, `${state}Template@2x.png`));
}

// App icon: PNGs for Linux (electron-builder reads the NxN.png set), .icns for macOS, .ico for Windows.
const appSvg = readFileSync(path.join(assets, 'source', 'app-icon.svg'), 'utf8');
const sizes = [16, 24, 32, 48, 64, 128, 256, 512];
for (const size of sizes) render(appSvg, size, path.join(assets, 'icons', `${size}x${size}.png`));
render(appSvg, 512, path.join(assets, 'icon.png'));
render(appSvg, 1024, path.join(scratch, 'icon-1024.png'));

const icon = (size) => path.join(assets, 'icons', `${size}x${size}.png`);
execFileSync('png2icns', [path.join(assets, 'icon.icns'), icon(16), icon(32), icon(48), icon(128), icon(256), icon(512), path.join(scratch, 'icon-1024.png')]);
execFileSync('icotool', ['-c', '-o', path.join(assets, 'icon.ico'), icon(16), icon(24), icon(32), icon(48), icon(64), icon(128), `--raw=${icon(256)}`]);

rmSync(scratch, { recursive: true, force: true });
console.log('Icons written to assets/ (tray/, icons/, icon.png, icon.icns, icon.ico).');
