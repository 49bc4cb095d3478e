/**
 * aid-desk: the command line over the same core, for batch work, automation and checks.
 * Exit codes: 0 done, 1 done but some input was rejected, 2 failed (nothing written).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { Stage } from '../../shared/domain/school';
import { CENTRAL_SCHOOL_ID, MEMBER_SCHOOL_KIND_TEXT, STAGE_TEXT, STAGES } from '../../shared/domain/school';
import { SEX_TEXT } from '../../shared/domain/student';
import { AppError } from '../../shared/errors';
import { ApiCallError } from '../../shared/api/contract';
import { isTerm, termOfDate, schoolYearOfTerm, termText } from '../../shared/rules/term';
import { rendererDir } from '../core/app-root';
import type { CoreContext } from '../core/context';
import { resolveDataDir } from '../core/data-dir';
import { directClient } from '../core/dispatch';
import { importRoster } from '../core/students/roster';
import { auditedCall } from '../core/audit/acts';
import { uploadFile } from '../core/uploads';
import { findClassId, OPTIONS, UsageError, type Io, type Values } from './cli-common';
import { crosscheckCommand, exportClassSurvey, importList, importSurveys } from './cli-identification';
import { backupCommand, restoreCommand } from './cli-backup';
import { importBankCommand, statsCommand, summaryCommand } from './cli-payments';
import { fundsCommand, mealsCommand } from './cli-funds';
import { allocateCommand, checkCommand, createApplications, exportTemplate, listProgrammes, rosterCommand } from './cli-programmes';
import { publicityClose, publicityCreate, publicityList, transitionCommand } from './cli-publicity';
import { startWebHost } from './web';
import { lockedCliDesk, openCliDesk, passwordCommand } from './cli-desk';
import { lock } from '../core/desk/session';

const USAGE = `AidDesk 资助工作台 命令行

用法：aid-desk <命令> [选项]

命令：
  init --school 名称 [--county 县] [--township 乡镇] [--stages 小学,初中] [--term 2026-autumn]
                                   设置（或修改）学校信息
  import roster 文件 [--dry-run] [--strict] [--sheet 工作表] [--school 校点]
                                   导入学籍系统导出的学生名册（.xlsx / .csv / .xls）；--school：导入到该校点
                                   （已在其他学校在册的学生不改动，列入双学籍核对）
  schools list                     列出中心校和校点（班级数、在校人数）
  schools add 名称 [--kind member|teaching-point]
                                   添加校点（member，默认）或教学点
  students list [--class 班级] [--search 文字] [--all]
                                   列出学生（身份证件号已打码）
  import list 文件 --kind 类型 [--date 名单日期]
                                   导入县级名单（类型：poverty 脱贫、monitored 监测、dibao 低保、
                                   extreme-poverty 特困、disabled 残疾、orphan 孤儿）
  crosscheck [--apply]             学生特殊群体标记与县级名单双向比对；--apply 按名单补标
  surveys export-class --class 班级 --out 文件.xlsx
                                   导出班级家庭情况调查表，交班主任收集
  surveys import 文件 [--dry-run]   导入班主任交回的调查表：新增和修改的内容写入，
                                   与本机修改冲突的内容只列出、不覆盖
  programmes list [--term 学期]     列出该学年的资助项目和标准
  applications create --programme 代码 --term 学期 [--from identified|carry-over] [--class 班级]
                                   为已认定的学生（或上学期受助、仍在校的学生）建立申请草稿
  applications transition --programme 代码 --term 学期 --action 操作 [--class 班级] [--note 原因] [--actor 经办人]
                                   把该项目本学期（或一个班）能办理这一步的申请都办理一步，逐份检查条件，
                                   不能办理的列出原因（此时退出码为 1）。操作：submit 提交、class-review 交班级评议、
                                   school-review 交学校审核、approve 审核通过、reject 不予通过、return 退回、
                                   withdraw 撤销、report 上报、reopen 重新审核、archive 归档（后四个以外须写 --note 的见提示）
  allocate --programme 代码 --term 学期 [--quota 名额]
                                   按特殊群体、认定等级、评分排序，在名额内分配档次，列出未获资助的；
                                   已公示或审核通过的学生保留原档次并占用名额
  publicity create (--programme 代码 --term 学期 | --identification) --phone 监督电话
                   [--level school|class] [--class 班级] [--days 工作日] [--starts-on 日期 --reason 补登原因]
                                   公示受助名单（学校审核中、已获名额的申请）或认定结果，从今天开始；
                                   开始日期早于今天须写明原因，且不能早于所公示的决定
  publicity close --id 编号         今天结束公示（公示期未满或有未处理的异议时不能结束）
  publicity list                   列出全部公示
  check --term 学期                 运行全部检查（不在校、重复资助、不能兼得、寄宿标准、名单佐证、
                                   大龄、银行卡、档次比例、超名额、超预算、与学籍不一致）
  export --template 模板.xlsx --programme 代码 --term 学期 --out 文件.xlsx [--class 班级]
                                   用县里发来的 Excel 模板填写审核通过的受助学生（保留模板的格式、下拉、合计和签字行）
  roster --programme 代码 --term 学期 --out 文件.pdf|文件.xlsx [--class 班级] [--portrait] [--full-numbers]
                                   打印签领表（按班分页、每页小计、大写合计）；默认横向、号码打码
  payments import-bank 文件 --programme 代码 --term 学期 [--paid-on 日期] [--dry-run]
                                   导入银行代发结果：按账号和户名对应，成功的登记为已发放，失败的列出原因；
                                   对应不上的行只列出、不登记（此时退出码为 1）
  funds list --term 学期            资金台账：各项目、各来源的下达、到账、发放、待发放和结余
  funds add --programme 代码 --term 学期 --source 来源 --document 文号 --date 文件日期 --amount 金额 [--note 说明]
                                   登记资金文件（来源：central 中央、provincial 省级、municipal 市级、county 县级、
                                   school 学校自筹、donation 社会捐助）
  funds receive --term 学期 --document 文号 --amount 金额 [--date 到账日期 --reason 补登原因] [--account 账号]
                                   登记资金到账（不超过文件下达的金额；早于今天须写明补登原因）
  meals month --month 2026-10       营养餐月台账：每个供餐日的就餐人数、陪餐，供餐天数、人天数和金额
  meals term --term 学期             营养餐学期汇总
  stats --term 学期 | --year 学年    按学段、项目统计受助人数、人次、金额和特殊群体，并与上一期比较
  summary --term 学期 | --year 学年  输出工作总结中的数据段落
  backup [--out 文件夹]              备份数据库和全部附件（默认存到数据文件夹的 backups 中），附校验清单
  restore 备份文件夹|.aidbackup 文件  校验后用备份替换当前数据（被替换的文件移到 before-restore-时间 文件夹）；
                                   请先关闭正在运行的 AidDesk。另一个数据文件夹的备份须用
                                   环境变量 AID_DESK_BACKUP_PASSWORD 给出做备份时的密码
  serve [--port 端口] [--open]      启动浏览器模式，显示带访问令牌的地址
  demo [--students 人数]            在空的数据文件夹中生成演示学校和学生
  password                         修改密码：数据换用新密钥重新加密，并显示新的恢复码（原恢复码作废）；
                                   新密码在终端中输入，或用环境变量 AID_DESK_NEW_PASSWORD 给出

全局选项（放在命令前后均可）：
  --data-dir 文件夹                 数据文件夹（也可用环境变量 AID_DESK_DATA_DIR）

数据是加密保存的：在终端中运行时会要求输入密码（第一次使用时设置密码，并显示一次恢复码）；
自动化时可用环境变量 AID_DESK_PASSWORD 给出密码，AID_DESK_OPERATOR 给出经办人姓名。
  --json                           输出机器可读的 JSON
  --help                           显示本说明

退出码：0 成功；1 部分内容不合格（其余已处理）；2 失败（未写入任何数据）`;

const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/** Runs one command. `now` moves the core's clock (tests only: the desk itself always uses the real one). */
export async function main(argv: string[], io: Io = processIo, now?: () => Date): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (e) {
    io.err(`参数错误：${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const json = values.json === true;
  if (values.help || positionals.length === 0) {
    io.out(USAGE);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  const dataDir = resolveDataDir(values['data-dir']);
  const ctx = positionals[0] === 'serve' ? await lockedCliDesk(dataDir, io) : await openCliDesk(dataDir, io, now);
  if (!ctx) return 2;
  let keepOpen = false;
  try {
    const [command, sub, ...rest] = positionals;
    switch (command) {
      case 'init':
        return await init(ctx, values, io, json);
      case 'import':
        if (sub === 'list' && rest.length === 1) return await importList(ctx, rest[0]!, values, io, json);
        if (sub !== 'roster' || rest.length !== 1)
          throw new UsageError('用法：aid-desk import roster 文件，或 aid-desk import list 文件 --kind 类型');
        return await importCommand(ctx, rest[0]!, values, io, json);
      case 'crosscheck':
        return await crosscheckCommand(ctx, values, io, json);
      case 'schools':
        return await schoolsCommand(ctx, sub, rest, values, io, json);
      case 'surveys':
        if (sub === 'export-class' && rest.length === 0) return await exportClassSurvey(ctx, values, io, json);
        if (sub === 'import' && rest.length === 1) return await importSurveys(ctx, rest[0]!, values, io, json);
        throw new UsageError('用法：aid-desk surveys export-class --class 班级 --out 文件，或 aid-desk surveys import 文件');
      case 'students':
        if (sub !== 'list') throw new UsageError('用法：aid-desk students list [--class 班级] [--search 文字]');
        return await listStudents(ctx, values, io, json);
      case 'programmes':
        if (sub !== 'list') throw new UsageError('用法：aid-desk programmes list [--term 学期]');
        return await listProgrammes(ctx, values, io, json);
      case 'applications':
        if (sub === 'create') return await createApplications(ctx, values, io, json);
        if (sub === 'transition') return await transitionCommand(ctx, values, io, json);
        throw new UsageError('用法：aid-desk applications create|transition --programme 代码 --term 学期 …');
      case 'publicity':
        if (sub === 'create') return await publicityCreate(ctx, values, io, json);
        if (sub === 'close') return await publicityClose(ctx, values, io, json);
        if (sub === 'list') return await publicityList(ctx, values, io, json);
        throw new UsageError('用法：aid-desk publicity create|close|list …');
      case 'allocate':
        return await allocateCommand(ctx, values, io, json);
      case 'check':
        return await checkCommand(ctx, values, io, json);
      case 'roster':
        return await rosterCommand(ctx, values, io, json);
      case 'export':
        return await exportTemplate(ctx, values, io, json);
      case 'backup':
        return await backupCommand(ctx, values, io, json);
      case 'restore':
        if (sub === undefined || rest.length) throw new UsageError('用法：aid-desk restore 备份文件夹或 .aidbackup 文件');
        return await restoreCommand(ctx, sub, io, json);
      case 'payments':
        if (sub !== 'import-bank' || rest.length !== 1)
          throw new UsageError('用法：aid-desk payments import-bank 文件 --programme 代码 --term 学期');
        return await importBankCommand(ctx, rest[0]!, values, io, json);
      case 'funds':
        return await fundsCommand(ctx, sub, values, io, json);
      case 'meals':
        return await mealsCommand(ctx, sub, values, io, json);
      case 'stats':
        return await statsCommand(ctx, values, io, json);
      case 'summary':
        return await summaryCommand(ctx, values, io, json);
      case 'demo':
        return await demo(ctx, values, io, json);
      case 'password':
        return await passwordCommand(ctx, io, json);
      case 'serve':
        keepOpen = true;
        return await serve(ctx, values, io, json);
      default:
        throw new UsageError(`未知命令“${command}”`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    const error =
      e instanceof AppError || e instanceof ApiCallError
        ? { code: e.code, message: e.message }
        : { code: 'internal', message: `程序内部错误：${(e as Error).message}` };
    if (json) io.out(JSON.stringify({ error }));
    io.err(`失败：${error.message}`);
    return 2;
  } finally {
    // A restore reopens the database: close whichever store the desk holds now.
    if (!keepOpen) await ctx.store.close();
  }
}

function parseStages(text: string | undefined): Stage[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(/[,，、\s]+/)
    .filter(Boolean)
    .map((t) => {
      const stage = STAGES.find((s) => s === t || STAGE_TEXT[s] === t || (t === '高中' && s === 'senior'));
      if (!stage) throw new UsageError(`无法识别学段“${t}”：可用 学前、小学、初中、普通高中、中职`);
      return stage;
    });
}

async function init(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const client = directClient(ctx);
  const current = await client.invoke('school.get', {});
  const name = values.school ?? current?.name;
  if (!name) throw new UsageError('请用 --school 填写学校名称');
  const term = values.term ?? current?.term ?? termOfDate(new Date().toISOString().slice(0, 10));
  const school = await client.invoke('school.setup', {
    name,
    county: values.county ?? current?.county ?? '',
    township: values.township ?? current?.township ?? '',
    stages: parseStages(values.stages) ?? current?.stages ?? ['primary', 'junior'],
    term,
    schoolYear: isTerm(term) ? schoolYearOfTerm(term) : (current?.schoolYear ?? ''),
  });
  if (json) io.out(JSON.stringify({ school }));
  else
    io.out(
      `已保存学校：${school.name}（${[school.county, school.township].filter(Boolean).join(' ')}；${school.stages.map((s) => STAGE_TEXT[s]).join('、')}；${termText(school.term)}）`,
    );
  return 0;
}

async function importCommand(ctx: CoreContext, file: string, values: Values, io: Io, json: boolean): Promise<number> {
  const data = await readFile(file).catch(() => {
    throw new AppError('file-missing', `找不到或无法读取文件“${file}”`);
  });
  const schoolId = values.school ? await memberSchoolId(ctx, values.school) : CENTRAL_SCHOOL_ID;
  const upload = await uploadFile(ctx, basename(file), data);
  const dryRun = values['dry-run'] === true;
  const result = (await auditedCall(ctx, 'roster.import', { uploadId: upload.id, dryRun, schoolId }, async () =>
    importRoster(ctx, upload, { sheetName: values.sheet, strict: values.strict, dryRun, schoolId }),
  )) as Awaited<ReturnType<typeof importRoster>>;
  const { batchId: _batch, ...report } = result;
  if (json) io.out(JSON.stringify({ ...report, dryRun: values['dry-run'] === true }, null, 2));
  else {
    io.out(`${values['dry-run'] ? '试导入（未写入）' : '已导入'}：${basename(file)}`);
    io.out(`新增 ${result.imported} 人，更新 ${result.updated} 人，未变 ${result.unchanged} 人，不合格 ${result.rejectedRows} 行`);
    if (result.conflictsKept)
      io.out(`本机修改过、名册中不同的 ${result.conflictsKept} 项保持本机的值（要采用名册中的值，请在程序中导入并逐项选择）`);
    const rejected = result.rejected.map((r) => `${r.message}${r.name ? `（${r.name}）` : ''}`);
    if (rejected.length) io.out(`\n不合格（未导入）：\n${capped(rejected, result.problemCounts.errors)}`);
    if (result.warnings.length)
      io.out(
        `\n提醒：\n${capped(
          result.warnings.map((r) => r.message),
          result.problemCounts.warnings,
        )}`,
      );
    if (result.missingCount) {
      io.out(`\n仍在校、但这份名册里没有的学生 ${result.missingCount} 人（请在“学生名册”中确认是否转出、毕业或辍学）：`);
      io.out(capped(result.missing.map((m) => `${m.className ?? '未分班'} ${m.name}`)));
    }
  }
  return result.rejected.length ? 1 : 0;
}

/** At most 50 lines: a file with thousands of problems gets a count, not a flood (`total`: lines there are in all). */
function capped(lines: string[], total = lines.length): string {
  const shown = lines.slice(0, 50).map((l) => `  ${l}`);
  const more = total - shown.length;
  return `${shown.join('\n')}${more > 0 ? `\n  …另有 ${more} 条，请在程序的导入预览中查看` : ''}`;
}

/** A school of the desk by its name (the central school's or a member school's). */
async function memberSchoolId(ctx: CoreContext, name: string): Promise<number> {
  const schools = await directClient(ctx).invoke('schools.list', {});
  const found = schools.find((s) => s.name === name.trim());
  if (!found)
    throw new AppError(
      'not-found',
      `没有名为“${name}”的学校：请先用 aid-desk schools add 添加校点（现有：${schools.map((s) => s.name).join('、')}）`,
    );
  return found.id;
}

async function schoolsCommand(
  ctx: CoreContext,
  sub: string | undefined,
  rest: string[],
  values: Values,
  io: Io,
  json: boolean,
): Promise<number> {
  const client = directClient(ctx);
  if (sub === 'add' && rest.length === 1) {
    const kind =
      values.kind === 'teaching-point' ? 'teachingPoint' : values.kind === undefined || values.kind === 'member' ? 'member' : null;
    if (!kind) throw new UsageError('--kind 只能是 member（校点）或 teaching-point（教学点）');
    const school = await client.invoke('schools.add', { name: rest[0]!, kind });
    if (json) io.out(JSON.stringify({ school }));
    else io.out(`已添加${MEMBER_SCHOOL_KIND_TEXT[school.kind]}：${school.name}`);
    return 0;
  }
  if (sub !== 'list' || rest.length)
    throw new UsageError('用法：aid-desk schools list，或 aid-desk schools add 名称 [--kind member|teaching-point]');
  const schools = await client.invoke('schools.list', {});
  if (json) io.out(JSON.stringify({ schools }, null, 2));
  else for (const s of schools) io.out(`${MEMBER_SCHOOL_KIND_TEXT[s.kind]}  ${s.name}  ${s.classCount} 个班  在校 ${s.studentCount} 人`);
  return 0;
}

async function listStudents(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const client = directClient(ctx);
  const classId = values.class ? await findClassId(client, values.class) : null;
  const rows = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await client.invoke('students.list', {
      search: values.search ?? '',
      classId,
      status: values.all ? 'all' : 'enrolled',
      offset,
      limit: 1000,
    });
    rows.push(...page.rows);
    if (rows.length >= page.total) break;
  }
  if (json) io.out(JSON.stringify({ total: rows.length, students: rows }, null, 2));
  else {
    for (const r of rows) {
      io.out(
        [r.className ?? '未分班', r.name, r.sex ? SEX_TEXT[r.sex] : '', r.idNumberMasked ?? '', r.status === 'left' ? '已离校' : ''].join(
          '\t',
        ),
      );
    }
    io.out(`共 ${rows.length} 人`);
  }
  return 0;
}

async function demo(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const students = values.students === undefined ? 600 : Number(values.students);
  const summary = await directClient(ctx).invoke('school.createDemo', { students });
  if (json) io.out(JSON.stringify(summary));
  else io.out(`已生成演示学校“${summary.school.name}”：${summary.classes} 个班，${summary.students} 名学生（数据均为虚构）`);
  return 0;
}

async function serve(ctx: CoreContext, values: Values, io: Io, json: boolean): Promise<number> {
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`端口“${values.port}”不正确`);
  const host = await startWebHost(ctx, { port, rendererDir: rendererDir() });
  if (json) io.out(JSON.stringify({ url: host.url, port: host.port }));
  else io.out(`浏览器模式已启动（仅本机可访问）。请在浏览器中打开：\n${host.url}\n按 Ctrl+C 退出。`);
  if (values.open) openInBrowser(host.url);
  const stop = async () => {
    await host.close();
    // Locking makes the closing rolling backup and forgets the key.
    if (ctx.desk?.open) await lock(ctx);
    await ctx.store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return new Promise<number>(() => {});
}

function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'win32'
      ? ['cmd', ['/c', 'start', '""', url]]
      : process.platform === 'darwin'
        ? ['open', [url]]
        : ['xdg-open', [url]];
  const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}

// Run when started as a program (bundle or tsx), not when imported by tests.
const entry = process.argv[1] ?? '';
if (/(cli\.(c?js|ts)|aid-desk)$/.test(entry)) {
  // `aid-desk students | head`: the reader has what it wanted and closed the pipe; stop quietly, not with a
  // stack trace and exit 1. (Data writes are transactions: stopping between them loses nothing.)
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
