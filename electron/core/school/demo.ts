/**
 * A sample school with generated, realistic students, so the desk can be explored without real data.
 * The students go through the roster importer like any real file, so demo data obeys the same rules.
 * Names, ID numbers and phones are invented; ID numbers are format-valid.
 */
import type { DemoSummary } from '../../../shared/api/school';
import type { Stage } from '../../../shared/domain/school';
import { AppError } from '../../../shared/errors';
import { formatIsoDate } from '../../../shared/rules/dates';
import { idNumberCheckChar } from '../../../shared/rules/id-number';
import { matchColumns } from '../../../shared/rules/roster-columns';
import { seededRandom } from '../../../shared/rules/sample';
import { schoolYearStart, schoolYearOfTerm, termOfDate } from '../../../shared/rules/term';
import { nowIso, today, type CoreContext } from '../context';
import { saveSchool } from './school';
import { analyzeRows, applyPlan, planImport } from '../students/roster-plan';
import { KnownStudents } from '../students/known-students';
import { flagFromList } from '../students/flags';
import { AREA_GROUPS } from '../../../shared/rules/official-list';
import type { Cell } from '../import/read-table';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { dataDirOf } from '../backup';
import { DATABASE_FILE } from '../data-dir';
import { openStore } from '../db/open';
import { readSetting, writeSetting } from '../settings';
import { playDemoHistory, type ClientOn, type DemoListed } from './demo-history';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '子涵梓轩一诺欣怡浩然思彤雨桐宇航俊杰佳琪嘉怡晨曦梦瑶博文家豪若汐诗琪铭泽乐瑶语嫣天佑明轩心怡紫涵志强建华丽娟秀英文博海洋春燕小龙红梅国庆玉兰';
const ETHNICITIES = ['汉族', '汉族', '汉族', '汉族', '苗族', '土家族', '侗族', '瑶族'];
const VILLAGES = ['青山村', '白岩村', '龙潭村', '河口村', '枫木村', '高坪村', '竹林村', '杉木村', '茶园村', '石门村'];
const TOWNSHIPS = ['青山镇', '茶园镇', '石门乡'];
const AREA = '433125';

/** Seeded: the same demo every time. */
const random = seededRandom;

interface GradePlan {
  stage: Stage;
  stageText: string;
  grade: string;
  /** Age at the start of the school year. */
  age: number;
  classes: number;
}

const GRADES: GradePlan[] = [
  { stage: 'preschool', stageText: '学前', grade: '小班', age: 3, classes: 1 },
  { stage: 'preschool', stageText: '学前', grade: '中班', age: 4, classes: 1 },
  { stage: 'preschool', stageText: '学前', grade: '大班', age: 5, classes: 1 },
  ...['一', '二', '三', '四', '五', '六'].map((n, i) => ({
    stage: 'primary' as const,
    stageText: '小学',
    grade: `${n}年级`,
    age: 6 + i,
    classes: 2,
  })),
  ...['七', '八', '九'].map((n, i) => ({ stage: 'junior' as const, stageText: '初中', grade: `${n}年级`, age: 12 + i, classes: 2 })),
];

const HEADER = [
  '学籍号',
  '姓名',
  '性别',
  '出生日期',
  '民族',
  '身份证件号',
  '户口性质',
  '是否留守儿童',
  '是否孤儿',
  '是否残疾',
  '就读方式',
  '学段',
  '年级',
  '班级',
  '现住址',
  '监护人姓名',
  '联系电话',
];

/** Generates the demo roster rows (header first) for a school year starting in `startYear`. */
export function demoRoster(count: number, startYear: number, seed = 20260901, classSize?: number): Cell[][] {
  const rand = random(seed);
  const pick = <T = string>(list: readonly T[] | string): T => list[Math.floor(rand() * list.length)] as T;
  // A county-sized roster (classSize given) keeps classes of about that size: many classes per grade.
  const perGrade = (g: GradePlan) => (classSize ? Math.max(g.classes, Math.ceil(count / GRADES.length / classSize)) : g.classes);
  const slots = GRADES.flatMap((g) => Array.from({ length: perGrade(g) }, (_, c) => ({ ...g, classNo: c + 1 })));
  const usedIds = new Set<string>();
  const rows: Cell[][] = [HEADER];
  for (let i = 0; i < count; i++) {
    const slot = slots[Math.floor((i * slots.length) / count)]!;
    const year = startYear - slot.age - (rand() < 0.67 ? 1 : 0);
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * 28);
    const male = rand() < 0.52;
    let id = '';
    do {
      const seq = 100 + Math.floor(rand() * 400) * 2 + (male ? 1 : 0);
      const first17 = `${AREA}${formatIsoDate(year, month, day).replaceAll('-', '')}${String(seq).padStart(3, '0').slice(-3)}`;
      id = first17 + idNumberCheckChar(first17);
    } while (usedIds.has(id));
    usedIds.add(id);
    const surname = pick(SURNAMES);
    const given = rand() < 0.35 ? pick(GIVEN) : pick(GIVEN) + pick(GIVEN);
    const boarding = slot.stage === 'junior' ? rand() < 0.7 : slot.stage === 'primary' && slot.age >= 9 ? rand() < 0.3 : false;
    rows.push([
      slot.stage === 'preschool' ? null : `G${id}`,
      surname + given,
      male ? '男' : '女',
      formatIsoDate(year, month, day),
      pick(ETHNICITIES),
      id,
      rand() < 0.85 ? '农业户口' : '非农业户口',
      rand() < 0.3 ? '是' : '否',
      rand() < 0.01 ? '是' : '否',
      rand() < 0.012 ? '是' : '否',
      boarding ? '住校' : '走读',
      slot.stageText,
      slot.grade,
      `${slot.classNo}班`,
      `青山县${pick(TOWNSHIPS)}${pick(VILLAGES)}${1 + Math.floor(rand() * 12)}组`,
      pick(SURNAMES) + pick(GIVEN) + pick(GIVEN),
      `1${pick('35789')}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`,
    ]);
  }
  return rows;
}

/** The setting that marks a desk as a demo: shown on every page, and the only kind of desk that can be wiped. */
export const DEMO_SETTING = 'demo';

export function isDemo(ctx: CoreContext): boolean {
  return readSetting(ctx, DEMO_SETTING) !== null;
}

/**
 * A demo school: the generated roster, then (when `on` is given) last term complete and this term waiting for
 * 上报, played through the contract on the days they would have happened (demo-history.ts).
 */
export async function createDemo(ctx: CoreContext, count: number, on?: ClientOn): Promise<DemoSummary> {
  const existing = ctx.store.sqlite.prepare(`SELECT count(*) FROM student`).pluck().get() as number;
  if (existing > 0) {
    throw new AppError(
      'demo-not-empty',
      '这个数据文件夹里已经有学生数据，演示数据只能建在空的数据文件夹里（可用 --data-dir 另选一个文件夹）',
    );
  }
  const term = termOfDate(today(ctx));
  const schoolYear = schoolYearOfTerm(term);
  const school = await saveSchool(
    ctx,
    { name: '青山县示范学校（演示）', county: '青山县', township: '青山镇', stages: ['preschool', 'primary', 'junior'], schoolYear, term },
    true,
  );
  const rows = demoRoster(count, schoolYearStart(schoolYear));
  const analyzed = analyzeRows(rows, 0, matchColumns(rows[0] as string[]), {
    today: today(ctx),
    schoolYearStart: schoolYearStart(schoolYear),
    defaultStage: null,
  });
  const plan = planImport(analyzed, KnownStudents.of([]));
  const at = nowIso(ctx);
  const sqlite = ctx.store.sqlite;
  const listDate = `${schoolYear.slice(0, 4)}-03-01`;
  const listed: DemoListed[] = [];
  sqlite.transaction(() => {
    applyPlan(sqlite, plan, { kind: 'demo', fileName: '演示数据', sha256: '', at });
    // Some families in priority groups, as the county's lists say (the roster cannot). With a client, the
    // lists are files imported and cross-checked like the county's; without one, the flags are set directly.
    const rand = random(7);
    const ids = sqlite.prepare(`SELECT id FROM student ORDER BY id`).pluck().all() as number[];
    for (const id of ids) {
      const r = rand();
      const group = r < 0.12 ? 'povertyAlleviated' : r < 0.16 ? 'monitored' : r < 0.22 ? 'dibao' : r < 0.235 ? 'extremePoverty' : null;
      if (group) listed.push({ id, group });
      if (group && !on)
        flagFromList(ctx, id, group, { date: listDate, fileName: '演示数据', area: AREA_GROUPS.includes(group) ? 'rural' : null }, at);
    }
  })();
  writeSetting(ctx, DEMO_SETTING, { createdAt: at });
  if (on) {
    const who = sqlite.prepare(`SELECT name, id_number, address FROM student WHERE id = ?`);
    const people = listed.map((l) => ({ ...(who.get(l.id) as { name: string; id_number: string; address: string }), group: l.group }));
    await playDemoHistory(on, term, today(ctx), people);
  }
  const classes = ctx.store.sqlite.prepare(`SELECT count(*) FROM school_class`).pluck().get() as number;
  return { school, students: plan.rows.filter((r) => r.action === 'add').length, classes };
}

/**
 * Wipes a demo desk in one step, so the school can start for real: the database and the attachments go, an
 * empty database takes their place, and the app opens on the first-run page. Refused on a desk that is not a
 * demo: real data is never deleted this way.
 */
export async function removeDemo(ctx: CoreContext): Promise<{ removed: true }> {
  if (!isDemo(ctx)) throw new AppError('not-demo', '这不是演示数据，不能一键清除（真实数据请用备份和恢复管理）');
  const dataDir = dataDirOf(ctx);
  const dbFile = join(dataDir, DATABASE_FILE);
  const key = ctx.store.key;
  await ctx.store.close();
  try {
    for (const suffix of ['', '-wal', '-shm']) rmSync(dbFile + suffix, { force: true });
    if (existsSync(join(dataDir, 'attachments'))) rmSync(join(dataDir, 'attachments'), { recursive: true, force: true });
  } finally {
    ctx.store = await openStore(dbFile, key);
  }
  ctx.uploads.clear();
  return { removed: true };
}
