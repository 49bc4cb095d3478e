// Makes the icons electron-builder needs from the one source, resources/icon.svg:
// resources/icons/icon.ico (Windows: 16–256 px), resources/icons/png/<n>x<n>.png (Linux) and icon.png (512 px).
// Run after changing the SVG: `node electron/scripts/make-icons.mjs`. The outputs are committed.
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pngToIco from 'png-to-ico';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const svg = readFileSync(join(root, 'resources', 'icon.svg'));
const render = (size) => new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();

const out = join(root, 'resources', 'icons');
mkdirSync(join(out, 'png'), { recursive: true });
const sizes = [16, 24, 32, 48, 64, 128, 256, 512];
const pngs = new Map(sizes.map((n) => [n, render(n)]));
for (const [n, png] of pngs) writeFileSync(join(out, 'png', `${n}x${n}.png`), png);
writeFileSync(join(out, 'icon.png'), pngs.get(512));
writeFileSync(join(out, 'icon.ico'), await pngToIco([16, 24, 32, 48, 64, 128, 256].map((n) => pngs.get(n))));
console.log(`图标已生成：${out}（${sizes.join('、')} 像素，icon.ico 含 16–256 像素）`);
