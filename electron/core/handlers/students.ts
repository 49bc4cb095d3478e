import type { Handlers } from '../../../shared/api/contract';
import type { studentsApi } from '../../../shared/api/students';
import type { CoreContext } from '../context';
import { importCards, previewCards } from '../students/cards';
import { getUpload, resolveUpload } from '../uploads';
import { getStudent, listStudents, setStudentAccount, setStudentStatus, studentHistory, updateStudent } from '../students/students';

export const studentsHandlers: Handlers<typeof studentsApi, CoreContext> = {
  'students.list': (ctx, args) => listStudents(ctx, args),
  'students.get': (ctx, args) => getStudent(ctx, args.id, args.reveal),
  'students.update': (ctx, args) => updateStudent(ctx, args),
  'students.history': (ctx, args) => studentHistory(ctx, args.id),
  'students.setStatus': (ctx, args) => setStudentStatus(ctx, args),
  'students.setAccount': (ctx, args) => setStudentAccount(ctx, args),
  'cards.preview': async (ctx, args) => previewCards(ctx, await resolveUpload(ctx, args.upload)),
  'cards.import': (ctx, args) => importCards(ctx, getUpload(ctx, args.uploadId), args.rows),
};
