import type { Handlers } from '../../../shared/api/contract';
import type { educationApi } from '../../../shared/api/education';
import type { CoreContext } from '../context';
import {
  answerComplaint,
  graduateFollowUps,
  listFollowUps,
  recordFollowUp,
  listActivities,
  listComplaints,
  recordActivity,
  recordComplaint,
  removeActivity,
  twoLessons,
} from '../education/education';

export const educationHandlers: Handlers<typeof educationApi, CoreContext> = {
  'education.list': (ctx, args) => listActivities(ctx, args.term),
  'education.record': (ctx, args) => recordActivity(ctx, args),
  'education.remove': (ctx, args) => {
    removeActivity(ctx, args.id);
    return null;
  },
  'education.twoLessons': (ctx, args) => twoLessons(ctx, args.term),
  'complaints.list': (ctx, args) => listComplaints(ctx, args.status),
  'complaints.record': (ctx, args) => recordComplaint(ctx, args),
  'complaints.answer': (ctx, args) => answerComplaint(ctx, args),
  'followUps.list': (ctx, args) => listFollowUps(ctx, args.studentId),
  'followUps.record': (ctx, args) => recordFollowUp(ctx, args),
  'followUps.graduates': (ctx) => graduateFollowUps(ctx),
};
