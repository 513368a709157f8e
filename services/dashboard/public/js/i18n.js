// Chinese by default, English switchable; the choice is kept in localStorage.
const STRINGS = {
  'zh-CN': {
    title: '路口文明交通分析', 'nav.overview': '全市概览', 'nav.review': '证据审核', 'nav.preassess': '预评估', logout: '退出',
    loading: '加载中…', 'login.title': '输入 API 密钥', 'login.hint': '密钥只需输入一次，保存在本浏览器中。', 'login.submit': '进入', 'login.bad': '密钥无效或已过期',
    'overview.title': '全市排名', month: '月份', category: '类别', all: '全部', granularity: '粒度', day: '日', week: '周', 'month.g': '月',
    rank: '名次', intersection: '路口', unit: '责任单位', band: '等级', flags: '旗', compliance: '守法率', interval: '95%置信区间', exposures: '样本(遇红灯人次)',
    violations: '违法', perHour: '每小时违法', windows: '窗口', red: '红旗', black: '黑旗', 'city.trend': '全市趋势', byUnit: '按责任单位', byIntersection: '按路口',
    cameras: '摄像机', calibrated: '已标定', notCalibrated: '未标定', trend: '趋势', status: '状态', start: '开始', covered: '覆盖时长', reason: '原因',
    time: '时间', camera: '摄像机', review: '审核', pending: '待审', confirmed: '已确认', rejected: '已驳回', score: '置信度',
    'review.title': '审核队列', 'review.empty': '没有待审核的违法记录。', 'review.help': '确认 C ・ 驳回 R（需填写原因）・ 跳过 S',
    confirm: '确认', reject: '驳回', skip: '跳过', 'reject.reason': '驳回原因', 'reject.submit': '提交驳回', noEvidence: '无证据图片',
    'pre.title': '预评估', 'pre.none': '暂无模拟结果：请先运行 crosswatch simulate。', passProb: '通过概率', expected: '预计得分', costly: '扣分最多的窗口',
    'pre.refused': '样本不足，不作估计', 'pre.draw': '抽取', 'pre.draws': '次模拟', 'pre.passMark': '及格线', 'pre.windowsUsed': '所依据的窗口数', 'pre.city': '全市', points: '分',
    noData: '无数据', hours: '小时', n: 'n', forbidden: '当前密钥无权执行此操作', 'figures.now': '本月数据',
    red_light: '机动车闯红灯', non_motor_red_light: '非机动车闯红灯', stop_line_overrun: '越线停车', jaywalk: '行人闯红灯/乱穿',
  },
  en: {
    title: 'Crosswatch', 'nav.overview': 'City overview', 'nav.review': 'Review queue', 'nav.preassess': 'Pre-assessment', logout: 'Log out',
    loading: 'Loading…', 'login.title': 'Enter your API key', 'login.hint': 'Entered once and kept in this browser.', 'login.submit': 'Enter', 'login.bad': 'The key is not valid or has expired',
    'overview.title': 'City ranking', month: 'Month', category: 'Category', all: 'All', granularity: 'Granularity', day: 'Day', week: 'Week', 'month.g': 'Month',
    rank: 'Rank', intersection: 'Intersection', unit: 'Responsible unit', band: 'Band', flags: 'Flags', compliance: 'Compliance', interval: '95% interval', exposures: 'Sample (faced red)',
    violations: 'Violations', perHour: 'Violations/hour', windows: 'Windows', red: 'Red flag', black: 'Black flag', 'city.trend': 'City trend', byUnit: 'By unit', byIntersection: 'By intersection',
    cameras: 'Cameras', calibrated: 'calibrated', notCalibrated: 'not calibrated', trend: 'Trend', status: 'Status', start: 'Start', covered: 'Covered', reason: 'Reason',
    time: 'Time', camera: 'Camera', review: 'Review', pending: 'pending', confirmed: 'confirmed', rejected: 'rejected', score: 'Score',
    'review.title': 'Review queue', 'review.empty': 'No violations waiting for review.', 'review.help': 'Confirm C · Reject R (asks a reason) · Skip S',
    confirm: 'Confirm', reject: 'Reject', skip: 'Skip', 'reject.reason': 'Reason for rejecting', 'reject.submit': 'Reject', noEvidence: 'No evidence image',
    'pre.title': 'Pre-assessment', 'pre.none': 'No simulation yet: run crosswatch simulate first.', passProb: 'Pass probability', expected: 'Expected score', costly: 'Windows that cost most',
    'pre.refused': 'Too few windows for an estimate', 'pre.draw': 'Draw', 'pre.draws': 'simulated draws', 'pre.passMark': 'pass mark', 'pre.windowsUsed': 'Windows it rests on', 'pre.city': 'City-wide', points: 'pts',
    noData: 'no data', hours: 'h', n: 'n', forbidden: 'This key may not do that', 'figures.now': 'This month',
    red_light: 'Red-light running', non_motor_red_light: 'Non-motor red-light running', stop_line_overrun: 'Stop-line overrun', jaywalk: 'Jaywalking',
  },
};

export let lang = localStorage.getItem('cw.lang') === 'en' ? 'en' : 'zh-CN';

export function t(key) {
  return STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
}

export function setLang(next) {
  lang = next;
  localStorage.setItem('cw.lang', next);
  document.documentElement.lang = next;
}

export function applyStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;

/** A rate as people should read it: value, interval and sample size, never a bare number. */
export function fmtRate(r) {
  if (!r || r.rate === null) return `${t('noData')} (${t('n')}=${r ? r.exposures : 0})`;
  return `${pct(r.rate)} [${pct(r.interval.low)}–${pct(r.interval.high)}] ${t('n')}=${r.exposures}`;
}

export function fmtPerHour(r) {
  if (!r || r.violationsPerHour === null) return `— (${(r?.coveredHours ?? 0).toFixed(1)} ${t('hours')})`;
  return `${r.violationsPerHour.toFixed(2)} /h (${r.coveredHours.toFixed(1)} ${t('hours')})`;
}

export function fmtTime(iso, timeZone) {
  return new Date(iso).toLocaleString(lang, { timeZone, hour12: false });
}
