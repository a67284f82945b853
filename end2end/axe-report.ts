// After a full browser run (`AXE_REPORT=1`, set by scripts/test.sh): the axe checks every test
// logged (helpers.ts `axe`) become content/accessibility-check.json, which /accessibility shows
// (the page lists what was checked; nobody types that list by hand).
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AXE_LOG_DIR } from './helpers';

type Entry = { path: string; project: string; title: string; violations: number; serious: number; axe: string };

/** One page however many ids and tokens its address carries (/notices/3 and /notices/9 are one). */
export function pageOf(p: string): string {
  return p
    .split('/')
    .map((part) => (/^\d+(-\d+)*$/.test(part) || /^[0-9a-f]{16,}$/i.test(part) || /^Q-\d{8}-\w+$/.test(part) || part.length > 24 ? ':id' : part))
    .join('/');
}

export default async function report() {
  if (process.env.AXE_REPORT !== '1') return;
  let lines: Entry[] = [];
  try {
    lines = readdirSync(AXE_LOG_DIR)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(path.join(AXE_LOG_DIR, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Entry));
  } catch {
    return;
  }
  if (lines.length === 0) return;
  const pages = new Map<string, { path: string; title: string; projects: Set<string>; checks: number; violations: number; serious: number }>();
  for (const e of lines) {
    const key = pageOf(e.path);
    const p = pages.get(key) ?? { path: key, title: e.title, projects: new Set<string>(), checks: 0, violations: 0, serious: 0 };
    p.projects.add(e.project);
    p.checks += 1;
    p.violations += e.violations;
    p.serious += e.serious;
    pages.set(key, p);
  }
  const sorted = [...pages.values()].sort((a, b) => a.path.localeCompare(b.path));
  const out = {
    checked_on: new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Tokyo' }),
    tool: `axe-core ${lines[0].axe}`,
    checks: lines.length,
    violations: lines.reduce((n, e) => n + e.violations, 0),
    serious: lines.reduce((n, e) => n + e.serious, 0),
    pages: sorted.map((p) => ({
      path: p.path,
      title: p.title,
      viewports: [...p.projects].sort(),
      checks: p.checks,
      violations: p.violations,
      serious: p.serious,
    })),
  };
  writeFileSync(path.join(__dirname, '..', 'content', 'accessibility-check.json'), JSON.stringify(out, null, 2) + '\n');
  rmSync(AXE_LOG_DIR, { recursive: true, force: true });
}
