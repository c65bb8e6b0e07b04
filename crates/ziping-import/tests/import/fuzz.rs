//! Fuzz smoke run: a few hundred deterministic mutations fed to the reader, which must never
//! panic (it returns an error or a preview with problems).

use rust_xlsxwriter::{Format, Workbook};
use ziping_import::{read_workbook_bytes, template_bytes};

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Byte-level mutations of a valid workbook: flips, overwrites, truncations, duplications.
#[test]
fn byte_mutations_never_panic() {
    let base = template_bytes().unwrap();
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    for i in 0..300 {
        let mut b = base.clone();
        match i % 5 {
            0 => {
                for _ in 0..1 + rng.below(8) {
                    let p = rng.below(b.len());
                    b[p] ^= 1 << rng.below(8);
                }
            }
            1 => {
                let p = rng.below(b.len());
                b.truncate(p);
            }
            2 => {
                let p = rng.below(b.len());
                let n = rng.below(64);
                for k in 0..n {
                    if p + k < b.len() {
                        b[p + k] = rng.next() as u8;
                    }
                }
            }
            3 => {
                let p = rng.below(b.len());
                let q = rng.below(b.len());
                let chunk: Vec<u8> = b[p.min(q)..p.max(q).min(p.min(q) + 256)].to_vec();
                let at = rng.below(b.len());
                b.splice(at..at, chunk);
            }
            _ => {
                // Keep the zip structure, damage the end (central directory).
                let n = b.len();
                let p = n - 1 - rng.below(200.min(n - 1));
                b[p] = b[p].wrapping_add(1 + rng.below(250) as u8);
            }
        }
        let _ = read_workbook_bytes("变异.xlsx", &b);
    }
}

const WORDS: &[&str] = &[
    "学校名称",
    "学校类型",
    "在校学生数（人）",
    "小学",
    "初中",
    "合计",
    "小计",
    "九年一贯制",
    "教学点",
    "教学仪器设备值（万元）",
    "（元）",
    "年度",
    "2024",
    "2024年度",
    "一般公共预算教育支出",
    "满意度",
    "十分制",
    "1,234",
    "１２３",
    "83.5%",
    "-1",
    "1e308",
    "NaN",
    "",
    " ",
    "—",
    "填表人：",
    "班级人数",
    "学段",
    "在园幼儿数",
    "公办园在园幼儿数",
    "随迁子女总数",
    "((",
    "）",
    "【万元",
    "万㎡",
    "0.5",
    "99999999999999999999",
    "1,2,3",
    "%",
    "年",
    "学校",
    "班额",
    "330123200601010012",
];

/// Structured mutations: random grids of header words, numbers and junk, with random merges,
/// written as real workbooks.
#[test]
fn random_workbooks_never_panic() {
    let mut rng = Rng(0xC0FF_EE00_D15E_A5E5);
    for i in 0..200 {
        let mut wb = Workbook::new();
        let sheets = 1 + rng.below(3);
        for s in 0..sheets {
            let ws = wb.add_worksheet();
            let names = [
                "学校基本情况表",
                "班额明细表",
                "Sheet",
                "满意度调查表",
                "经费",
                "说明",
            ];
            let _ = ws.set_name(format!("{}{}", names[rng.below(names.len())], s));
            let rows = rng.below(12) as u32;
            let cols = rng.below(10) as u16;
            for r in 0..rows {
                for c in 0..cols {
                    match rng.below(4) {
                        0 => {
                            let _ = ws.write_number(r, c, (rng.next() % 5000) as f64 / 4.0 - 50.0);
                        }
                        1 => {}
                        _ => {
                            let _ = ws.write_string(r, c, WORDS[rng.below(WORDS.len())]);
                        }
                    }
                }
            }
            for _ in 0..rng.below(3) {
                let r0 = rng.below(6) as u32;
                let c0 = rng.below(6) as u16;
                let r1 = r0 + rng.below(3) as u32;
                let c1 = c0 + rng.below(3) as u16;
                if (r0, c0) != (r1, c1) {
                    let _ = ws.merge_range(r0, c0, r1, c1, "在校学生数", &Format::new());
                }
            }
        }
        let Ok(bytes) = wb.save_to_buffer() else {
            continue;
        };
        let import = read_workbook_bytes(&format!("随机{i}.xlsx"), &bytes).unwrap();
        // Counts are consistent with the problem list.
        let p = &import.preview;
        assert_eq!(p.errors + p.warnings, p.problems.len());
    }
}
