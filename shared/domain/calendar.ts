/** 节假日与调休: the days a working-day count treats differently from their weekday. */
export interface CalendarDay {
  date: string;
  kind: 'holiday' | 'workday';
  /** 春节, 国庆节调休上班 … */
  name: string;
  /** Published by the State Council (shipped with the app) or entered by the clerk. */
  source: 'stateCouncil' | 'clerk';
}

export interface CalendarView {
  year: number;
  /** The app ships the State Council's dates for this year. */
  shipped: boolean;
  days: CalendarDay[];
}
