/** The languages of minishark's own texts (the TCP explanations, the flow diagram's labels). */
export type Lang = 'en' | 'zh-CN' | 'zh-TW';

/** The --lang / -o minishark.lang values: en, zh (= zh-CN), zh-CN, zh-TW (any case). */
export const LANG_NAMES = ['en', 'zh', 'zh-CN', 'zh-TW'] as const;

/** The language named by a --lang value, or null when it is none of LANG_NAMES. */
export function parseLang(s: string): Lang | null {
  const l = s.toLowerCase();
  return l === 'en' ? 'en' : l === 'zh' || l === 'zh-cn' ? 'zh-CN' : l === 'zh-tw' ? 'zh-TW' : null;
}

/**
 * Simplified → Traditional Chinese for minishark's own texts (`--lang zh-TW`). The texts are
 * written in Simplified Chinese (`--lang zh`, `zh-CN`: the seed articles' readers); zh-TW is made
 * from them: Taiwan's words first (用戶端, 伺服器, 資料, …), then the characters, one by one.
 * The tables cover the characters the texts use (test/tcp-explain.test.ts checks that every Han
 * character in them is either here or written the same in both scripts).
 */

/** Whole words: Taiwan vocabulary, and characters whose Traditional form depends on the word. */
export const WORDS_TW: ReadonlyArray<readonly [string, string]> = [
  ['客户端', '用戶端'],
  ['服务端', '伺服器'],
  ['数据', '資料'],
  ['字节', '位元組'],
  ['端口', '連接埠'],
  ['连接', '連線'],
  ['窗口', '視窗'],
  ['报文段', '區段'],
  ['合并', '合併'],
  ['重复', '重複'],
];

/** Simplified → Traditional, one character each (the pairs minishark's texts use). */
export const CHARS_TW: ReadonlyMap<string, string> = new Map(
  [...'丢并乱个伪传务区后报对层带帧应户挥据携数断时暂机检没测满现毕发尽监确节绝给经线缓继续听与号冲复诉该认请载输这连过达选释闭开间关阶双项须头骤'].map((s, i) => [
    s,
    [...'丟並亂個偽傳務區後報對層帶幀應戶揮據攜數斷時暫機檢沒測滿現畢發盡監確節絕給經線緩繼續聽與號衝複訴該認請載輸這連過達選釋閉開間關階雙項須頭驟'][i]!,
  ]),
);

const WORD_RE = new RegExp(WORDS_TW.map(([s]) => s).join('|'), 'g');
const WORD_MAP = new Map(WORDS_TW);

/** The Traditional (Taiwan) form of a Simplified text. */
export function toTraditional(s: string): string {
  return s.replace(WORD_RE, (w) => WORD_MAP.get(w)!).replace(/\p{Script=Han}/gu, (ch) => CHARS_TW.get(ch) ?? ch);
}
