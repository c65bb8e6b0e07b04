//! Writes the benchmark workbook: a 学校基本情况表 of 5,000 schools × 40 columns (the template's
//! columns, per-stage resource columns and a few columns the importer does not use), numbers as
//! numbers, codes as text. Used by `scripts/bench-import.sh`.
//!
//! Run: `cargo run --release -p ziping-import --example make_bench_workbook OUT.xlsx [SCHOOLS]`.

use rust_xlsxwriter::Workbook;
use ziping_import::template::template_headers;
use ziping_import::TableKind;

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "bench.xlsx".to_string());
    let n: u32 = args.next().and_then(|s| s.parse().ok()).unwrap_or(5000);
    let mut headers = template_headers(TableKind::Schools);
    headers.pop(); // 备注 last
    let res: Vec<String> = headers[10..17].to_vec();
    for stage in ["小学", "初中"] {
        for h in &res {
            headers.push(format!("{stage}{h}"));
        }
    }
    for extra in [
        "所在乡镇（街道）",
        "学校地址",
        "校长姓名",
        "联系电话",
        "建校年份",
        "占地面积（㎡）",
        "校舍建筑面积（㎡）",
        "图书（册）",
    ] {
        headers.push(extra.to_string());
    }
    headers.push("备注".to_string());
    assert_eq!(headers.len(), 40);

    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(TableKind::Schools.title()).unwrap();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    let kinds = [
        "小学",
        "初中",
        "九年一贯制",
        "小学",
        "小学",
        "初中",
        "教学点",
    ];
    let locs = ["城区", "镇区", "乡村"];
    for i in 0..n {
        let r = i + 1;
        let kind = kinds[(i % kinds.len() as u32) as usize];
        let (p, j) = match kind {
            "小学" => (300 + (i * 37) % 1500, 0),
            "初中" => (0, 400 + (i * 53) % 1400),
            "九年一贯制" => (200 + (i * 29) % 900, 150 + (i * 31) % 600),
            _ => (40 + i % 60, 0),
        };
        let s = f64::from(p + j);
        ws.write_string(r, 0, format!("第{}学校", i + 1)).unwrap();
        ws.write_string(r, 1, format!("{:010}", 2_133_000_000u64 + u64::from(i)))
            .unwrap();
        ws.write_string(r, 2, kind).unwrap();
        ws.write_string(r, 3, if i % 17 == 0 { "民办" } else { "公办" })
            .unwrap();
        ws.write_string(r, 4, locs[(i % 3) as usize]).unwrap();
        ws.write_number(r, 5, (s / 45.0).ceil()).unwrap();
        ws.write_number(r, 6, s).unwrap();
        if p > 0 {
            ws.write_number(r, 7, f64::from(p)).unwrap();
        }
        if j > 0 {
            ws.write_number(r, 8, f64::from(j)).unwrap();
        }
        let v = [
            s * 0.06,
            s * 0.016,
            s * 0.013,
            s * 6.2,
            s * 10.5,
            s * 0.29,
            s * 0.031,
        ];
        for (k, x) in v.iter().enumerate() {
            let x = if k == 5 {
                (x * 100.0).round() / 100.0
            } else {
                x.round()
            };
            ws.write_number(r, 10 + k as u16, x).unwrap();
        }
        if kind == "九年一贯制" {
            for (st, share) in [(0u16, f64::from(p) / s), (1, f64::from(j) / s)] {
                for (k, x) in v.iter().enumerate() {
                    let x = if k == 5 {
                        (x * share * 100.0).round() / 100.0
                    } else {
                        (x * share).round()
                    };
                    ws.write_number(r, 17 + st * 7 + k as u16, x).unwrap();
                }
            }
        }
        ws.write_string(r, 31, format!("第{}镇", i % 12 + 1))
            .unwrap();
        ws.write_string(r, 32, "张三").unwrap();
        ws.write_string(r, 33, format!("0571-{:08}", 80_000_000 + i))
            .unwrap();
        ws.write_number(r, 34, f64::from(1950 + i % 70)).unwrap();
        ws.write_number(r, 35, s * 18.0).unwrap();
        ws.write_number(r, 36, s * 8.5).unwrap();
        ws.write_number(r, 37, s * 30.0).unwrap();
        if i % 10 == 0 {
            ws.write_string(r, 39, "已完成标准化建设").unwrap();
        }
    }
    wb.save(&out).unwrap();
    println!("{out}: {n} 所学校 × {} 列", headers.len());
}
