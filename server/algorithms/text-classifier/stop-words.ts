/**
 * Words that say nothing about which office a message belongs to: function
 * words, pronouns, connectives, particles, degree and time adverbs, single
 * digits and the letter "A" of the pseudonymised place names ("A市").
 * Written for this project by looking at which frequent tokens of the raw
 * messages never occur in the stop-word-stripped training file, so raw text
 * and that file look alike once these are removed (docs/classifier.md).
 * Punctuation and symbols need no entry: the segmenter never emits them.
 */
const WORDS = `
的 了 在 是 我 我们 和 不 有 都 也 没有 就 到 为 对 还 给 与 要 等 被 可以 能 这 上 将 该 但 并 让 又 及 而 吗
去 他们 不能 多 来 从 作为 向 这个 什么 本人 但是 会 这样 以 把 就是 一 没 有关 多次 为什么 大 个 于 还是 过 关于
如果 通过 不是 自己 很 这些 由 因为 们 其 任何 此 才 着 开始 可 他 按 且 很多 你 或 时候 因 其他 内 更 你们 而且
还有 为了 您 地 根据 用 由于 只有 或者 怎么 所 至 非常 同时 之 呢 谁 均 得 经过 这么 尽快 按照 对于 必须 结果
所以 并且 以及 甚至 那 经常 难道 跟 为何 才能 不要 基本 如此 这里 各种 大家 可能 如何 本 如 那么 可是 只是 第 吧
近 其中 经 各 自 连 如下 一样 啊 到底 多少 因此 不得 出来 仍 不会 不管 比 仅 然而 各位 像 不了 哪里 然后 当 另外
虽然 只要 即 何时 她 有些 据 后来 竟然 不仅 等等 既 到处 同 仍然 随着 每 起来 它 既然 更加 加上 较 于是 怎么办
马上 便 居然 如今 则 其它 不少 那里 一般 这边 的话 而是 一旦 哪个 另 及其 其实 哪 刚 那些 不但 比如 一切 别人
首先 不再 几乎 除了 反而 从未 那个 否则 么 哪些 若 凭 即将 等到 怎样 自身 某些 即使 人家 仅仅 某 呀 之一 别的
本身 从来 不得不 就算 基本上 不过 他人 自从 将近 者 大概 极 不然 故 极其 除 简直 要么 从而 毕竟 那边 当然 怎么样
据说 各个 究竟 使得 来看 己 依照 可见 差不多 尽早 不如 例如 无论 本着 而言 理应 上下 她们 虽 其余 加之 大多
综上所述 鉴于 万一 啦 尽量 或是 况且 而已 替 一方面 当中 竟 其次 尽 那样 基于 至于 要是 沿 什么样 过于 也好 乃至
常常 再说 尽管 与其 并非 之类 何 即便 大都 以免 哪怕 照 此外 总之 或许 从此 它们 以便 假如 的确 恐怕 啥 咱们 咱 嘛
哦 唉 哎 呗 喂 嗯 罢了 似的 除非 倘若 尚且 因而 进而 以致 何况 不论 只不过 乃 之所以 与此同时 据此 由此可见
0 1 2 3 4 5 6 7 8 9 A a
`;

/** The stop list as a set. */
export const STOP_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter((word) => word.length > 0));
