//! The CJK line breaker, data-driven on a monospace grid: wide characters are 1 unit, Latin
//! characters 0.5.

use ziping_report::linebreak::{break_lines, break_plain, grid_measure, no_start, Params, Span};

fn params(width: f32, indent: f32) -> Params {
    Params { width, first_indent: indent, justify: true, em: 1.0 }
}

#[track_caller]
fn check(text: &str, width: f32, indent: f32, expected: &[&str]) {
    let got = break_plain(text, &params(width, indent), &grid_measure(1.0));
    assert_eq!(got, expected, "text {text:?} at width {width} (indent {indent})");
}

#[test]
fn breaks() {
    // Plain CJK fills each line.
    check("一二三四五", 3.0, 0.0, &["一二三", "四五"]);
    // First-line indent of two characters.
    check("一二三四五六", 4.0, 2.0, &["一二", "三四五六"]);
    // A comma may not start a line: the character before it moves down with it (推出).
    check("一二三四，五六", 4.0, 0.0, &["一二三", "四，五六"]);
    // Punctuation that fits stays at the line end.
    check("一二三，四五", 4.0, 0.0, &["一二三，", "四五"]);
    // An opening bracket may not end a line; the bracketed text moves as a whole here.
    check("一二三（四）", 4.0, 0.0, &["一二三", "（四）"]);
    check("一二三《四》五", 5.0, 0.0, &["一二三", "《四》五"]);
    // Quotes and the full stop after them stay with the quoted word.
    check("他说“好”。", 4.0, 0.0, &["他说", "“好”。"]);
    // Enumeration comma and colon.
    check("甲乙丙、丁戊", 3.0, 0.0, &["甲乙", "丙、丁", "戊"]);
    check("主送机关：", 4.0, 0.0, &["主送机", "关："]);
    // Latin words and numbers are never split, and keep the punctuation after them.
    check("共有abcd个", 4.0, 0.0, &["共有abcd", "个"]);
    check("数值为97.66%。", 5.0, 0.0, &["数值为", "97.66%。"]);
    check("示政发〔2024〕12号", 7.0, 0.0, &["示政发〔2024〕", "12号"]);
    // A word longer than a line is cut by characters rather than lost.
    check("abcdefghij", 2.0, 0.0, &["abcd", "efgh", "ij"]);
    // A dash pair is one unit.
    check("一二——三", 3.0, 0.0, &["一二", "——三"]);
    // Spaces are break opportunities and vanish at line ends.
    check("ab cd ef", 2.5, 0.0, &["ab cd", "ef"]);
    // Empty text: no lines.
    check("", 4.0, 0.0, &[]);
}

/// A real paragraph at many widths: every line but the last is justified to the full width, and
/// no line starts with a character that may not begin a line.
#[test]
fn justified_and_kinsoku_at_every_width() {
    let text = "县政府建立校园安全工作联席会议制度，2024年开展校园及周边安全专项整治4次，全县未发生重大安全责任事故。全县128所中小学校和幼儿园封闭化管理、一键式紧急报警、视频监控与公安机关联网均达到100%；专职保安员配备方面，已按标准配齐125所，配备率为97.66%。《示例县学校安全条例》（示政发〔2024〕3号）规定：“校园安全，人人有责。”";
    let measure = grid_measure(1.0);
    for w in 6..=30 {
        let width = w as f32;
        for indent in [0.0, 2.0] {
            let lines = break_lines(&[Span::new(text, 0)], &params(width, indent), &measure);
            let joined: String = lines.iter().map(|l| l.text()).collect();
            assert_eq!(joined, text, "no text lost or added at width {w}");
            for (i, line) in lines.iter().enumerate() {
                let first = line.text().chars().next().unwrap();
                assert!(!no_start(first), "line {i} at width {w} starts with {first:?}: {:?}", line.text());
                let last_piece = line.pieces.last().unwrap();
                let end = line.indent + last_piece.x + last_piece.width;
                let avail = width;
                if i + 1 < lines.len() {
                    assert!((end - avail).abs() < 0.01, "line {i} at width {w} ends at {end}, not {avail}");
                } else {
                    assert!(end <= avail + 0.01, "last line at width {w} overflows: {end}");
                }
            }
        }
    }
}

/// Styled spans (a run-in heading) break like one text and keep their styles.
#[test]
fn styled_runs() {
    let spans = [Span::new("1.全面贯彻党的教育方针。", 1), Span::new("自评结果：完全落实。", 0)];
    let lines = break_lines(&spans, &params(8.0, 2.0), &grid_measure(1.0));
    let texts: Vec<String> = lines.iter().map(|l| l.text()).collect();
    assert_eq!(texts, ["1.全面贯彻党", "的教育方针。自评", "结果：完全落实。"]);
    assert_eq!(lines[1].pieces[0].style, 1);
    assert_eq!(lines[1].pieces.last().unwrap().style, 0);
}
