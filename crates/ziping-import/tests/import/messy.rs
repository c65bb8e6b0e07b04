//! One fixture per messy-workbook feature.

use rust_xlsxwriter::{Format, Workbook};
use ziping_import::{read_workbook_bytes, Severity, TableKind};
use ziping_metrics::tables::{SchoolKind, ScoreScale, Stage};

use crate::fixtures::{
    messages, one_sheet, roundtrip, school_header, school_row, write_rows, E, N, S, V,
};

#[test]
fn title_rows_above_the_header_are_skipped() {
    let (_d, _p, import) = roundtrip("示例县统计.xlsx", |wb| {
        let ws = wb.add_worksheet();
        ws.set_name("学校基本情况表").unwrap();
        ws.merge_range(
            0,
            0,
            0,
            9,
            "示例县2024年义务教育学校基本情况表",
            &Format::new(),
        )
        .unwrap();
        ws.write_string(1, 0, "填报单位：示例县教育局").unwrap();
        ws.write_string(1, 7, "单位：人、㎡、万元").unwrap();
        write_rows(
            ws,
            2,
            &[
                school_header(),
                school_row("县城第一小学", "小学", 2140.0),
                school_row("城关中学", "初中", 1200.0),
            ],
        );
    });
    let p = &import.preview;
    assert!(p.problems.is_empty(), "{:#?}", p.problems);
    assert_eq!(p.tables.len(), 1);
    assert_eq!(p.tables[0].header_rows, vec![3]);
    assert_eq!(p.tables[0].rows, 2);
    let s = &import.tables.schools[1];
    assert_eq!(s.name, "城关中学");
    assert_eq!(s.kind.value, SchoolKind::Junior);
    let at = s.students.total.as_ref().unwrap().at.as_ref().unwrap();
    assert_eq!((at.row, at.col.as_str()), (5, "C"));
}

#[test]
fn two_row_header_with_merged_group_cells() {
    let (_d, _p, import) = roundtrip("两行表头.xlsx", |wb| {
        let ws = wb.add_worksheet();
        ws.set_name("Sheet1").unwrap();
        let f = Format::new();
        ws.merge_range(0, 0, 1, 0, "学校名称", &f).unwrap();
        ws.merge_range(0, 1, 1, 1, "学校类型", &f).unwrap();
        ws.merge_range(0, 2, 0, 5, "在校学生数（人）", &f).unwrap();
        for (c, t) in ["合计", "小学", "初中", "高中"].iter().enumerate() {
            ws.write_string(1, 2 + c as u16, *t).unwrap();
        }
        ws.merge_range(0, 6, 0, 7, "办学条件", &f).unwrap();
        ws.write_string(1, 6, "教学及辅助用房面积（㎡）").unwrap();
        ws.write_string(1, 7, "教学仪器设备值（万元）").unwrap();
        write_rows(
            ws,
            2,
            &[
                vec![
                    S("实验学校"),
                    S("九年一贯制"),
                    N(1500.0),
                    N(1000.0),
                    N(500.0),
                    E,
                    N(9000.0),
                    N(400.0),
                ],
                vec![
                    S("县城第二小学"),
                    S("小学"),
                    N(900.0),
                    N(900.0),
                    E,
                    E,
                    N(4500.0),
                    N(200.0),
                ],
            ],
        );
    });
    let p = &import.preview;
    assert_eq!(p.tables[0].kind, TableKind::Schools);
    assert_eq!(p.tables[0].header_rows, vec![1, 2]);
    let fields: Vec<Option<&str>> = p.tables[0]
        .columns
        .iter()
        .map(|c| c.field.as_deref())
        .collect();
    assert_eq!(
        fields,
        vec![
            Some("school"),
            Some("kind"),
            Some("students"),
            Some("students.primary"),
            Some("students.junior"),
            Some("students.senior"),
            Some("teaching_area"),
            Some("equipment_value"),
        ]
    );
    assert_eq!(p.tables[0].columns[3].header, "在校学生数（人） › 小学");
    let s = &import.tables.schools[0];
    assert_eq!(s.kind.value, SchoolKind::NineYear);
    assert_eq!(s.students.total.as_ref().unwrap().value, 1500);
    assert_eq!(s.students.primary.as_ref().unwrap().value, 1000);
    assert_eq!(s.students.junior.as_ref().unwrap().value, 500);
    assert!(s.students.senior.is_none());
    assert_eq!(s.teaching_area.total.as_ref().unwrap().value, 9000.0);
    assert_eq!(
        import.tables.schools[1]
            .students
            .primary
            .as_ref()
            .unwrap()
            .at
            .as_ref()
            .unwrap()
            .row,
        4
    );
    // Only the warnings for the resource columns not present.
    assert!(
        p.problems.iter().all(|p| p.severity == Severity::Warning),
        "{:#?}",
        p.problems
    );
}

#[test]
fn units_in_headers_are_converted() {
    let (_d, _p, import) = roundtrip("单位.xlsx", |wb| {
        let ws = wb.add_worksheet();
        ws.set_name("学校").unwrap();
        write_rows(
            ws,
            0,
            &[
                vec![
                    S("学校名称"),
                    S("学校类型"),
                    S("在校生数"),
                    S("教学仪器设备值(元)"),
                    S("教学及辅助用房面积【平方米】"),
                    S("体育运动场馆面积 m²"),
                ],
                vec![
                    S("县城第一小学"),
                    S("小学"),
                    N(2140.0),
                    N(4_600_000.0),
                    N(10200.0),
                    S("1.68万"),
                ],
            ],
        );
        let ws = wb.add_worksheet();
        ws.set_name("经费").unwrap();
        write_rows(
            ws,
            0,
            &[
                vec![
                    S("年度"),
                    S("一般公共预算教育支出（亿元）"),
                    S("在校学生数（人）"),
                    S("按在校学生人数平均的一般公共预算教育支出（万元）"),
                ],
                vec![N(2024.0), N(10.2), N(60250.0), N(1.692946)],
            ],
        );
    });
    let p = &import.preview;
    let s = &import.tables.schools[0];
    assert_eq!(s.equipment_value.total.as_ref().unwrap().value, 460.0);
    assert_eq!(s.teaching_area.total.as_ref().unwrap().value, 10200.0);
    let cols = &p.tables[0].columns;
    assert_eq!(cols[3].unit.as_deref(), Some("元"));
    assert_eq!(cols[3].factor, 0.0001);
    assert_eq!(cols[5].field.as_deref(), Some("sports_area"));
    let f = &import.tables.finance[0];
    assert_eq!(f.year, 2024);
    assert_eq!(f.education_expenditure.value, 102000.0);
    assert!((f.per_student.as_ref().unwrap().value - 16929.46).abs() < 1e-6);
    // "1.68万" is not a number: reported, with everything else.
    assert_eq!(
        messages(&p.problems)
            .into_iter()
            .filter(|m| m.contains("F列"))
            .collect::<Vec<_>>(),
        vec![
            "单位.xlsx › 学校 › 第2行 › F列（体育运动场馆面积 m²）：“1.68万”不是数字。".to_string()
        ]
    );
}

#[test]
fn a_unit_of_the_wrong_kind_is_an_error() {
    let import = one_sheet(
        "错单位.xlsx",
        "学校基本情况表",
        vec![
            vec![
                S("学校名称"),
                S("学校类型"),
                S("在校学生数"),
                S("体育运动场馆面积（万元）"),
            ],
            vec![S("县城第一小学"), S("小学"), N(2140.0), N(100.0)],
        ],
    );
    let errors: Vec<String> = import
        .preview
        .problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| p.message.clone())
        .collect();
    assert_eq!(
        errors,
        vec!["错单位.xlsx › 学校基本情况表 › 第1行 › D列（体育运动场馆面积（万元））：表头中的单位“万元”与“体育运动场馆面积（㎡）”不相符。"]
    );
}

#[test]
fn synonyms_shuffled_and_extra_columns() {
    let import = one_sheet(
        "同义词.xlsx",
        "基本情况",
        vec![
            vec![
                S("序号"),
                S("在校生数"),
                S("校名"),
                S("校长姓名"),
                S("办学类型"),
                S("骨干教师数"),
                S("其中：小学在校生数"),
                S("体艺教师数"),
                S("教辅用房面积（㎡）"),
                S("多媒体教室数"),
                S("高学历教师数"),
                S("运动场馆面积(㎡)"),
                S("仪器设备值（万元）"),
                S("城乡"),
                S("性质"),
            ],
            vec![
                N(1.0),
                N(600.0),
                S("石桥小学"),
                S("张三"),
                S("小学"),
                N(8.0),
                N(600.0),
                N(7.0),
                N(3000.0),
                N(15.0),
                N(30.0),
                N(5000.0),
                N(130.0),
                S("乡村"),
                S("公办"),
            ],
        ],
    );
    let p = &import.preview;
    assert!(p.problems.is_empty(), "{:#?}", p.problems);
    let t = &p.tables[0];
    let unmapped: Vec<&str> = t
        .columns
        .iter()
        .filter(|c| c.field.is_none())
        .map(|c| c.header.as_str())
        .collect();
    assert_eq!(unmapped, vec!["序号", "校长姓名"]);
    let s = &import.tables.schools[0];
    assert_eq!(s.name, "石桥小学");
    assert_eq!(s.students.total.as_ref().unwrap().value, 600);
    assert_eq!(s.students.primary.as_ref().unwrap().value, 600);
    assert_eq!(s.key_teachers.total.as_ref().unwrap().value, 8);
    assert_eq!(s.qualified_teachers.total.as_ref().unwrap().value, 30);
    assert_eq!(s.multimedia_rooms.total.as_ref().unwrap().value, 15);
    assert_eq!(s.sports_area.total.as_ref().unwrap().value, 5000.0);
    assert!(!s.is_private());
}

#[test]
fn blank_rows_and_footers_are_skipped() {
    let import = one_sheet(
        "空行.xlsx",
        "班额明细表",
        vec![
            vec![
                S("学校名称"),
                S("学段"),
                S("年级"),
                S("班级"),
                S("班级人数"),
            ],
            vec![S("县城第一小学"), S("小学"), S("一年级"), S("1班"), N(45.0)],
            vec![],
            vec![E, S(""), S("  "), E, S("—")],
            vec![S("县城第一小学"), S("小学"), S("一年级"), S("2班"), N(46.0)],
            vec![],
            vec![S("填表人：张三"), E, E, S("审核人：李四")],
        ],
    );
    let p = &import.preview;
    assert!(p.problems.is_empty(), "{:#?}", p.problems);
    assert_eq!(p.tables[0].rows, 2);
    assert_eq!(p.tables[0].skipped_rows, 4);
    let sizes: Vec<u32> = import.tables.classes.iter().map(|c| c.size.value).collect();
    assert_eq!(sizes, vec![45, 46]);
    assert_eq!(import.tables.classes[1].size.at.as_ref().unwrap().row, 5);
}

#[test]
fn vertically_merged_school_names_repeat_over_their_classes() {
    let (_d, _p, import) = roundtrip("合并单元格.xlsx", |wb| {
        let ws = wb.add_worksheet();
        ws.set_name("班额").unwrap();
        write_rows(
            ws,
            0,
            &[vec![S("学校名称"), S("学段"), S("班级"), S("班额")]],
        );
        ws.merge_range(1, 0, 3, 0, "城关中学", &Format::new())
            .unwrap();
        ws.merge_range(1, 1, 3, 1, "初中", &Format::new()).unwrap();
        for (i, n) in [52.0, 57.0, 66.0].iter().enumerate() {
            ws.write_string(1 + i as u32, 2, format!("{}班", i + 1))
                .unwrap();
            ws.write_number(1 + i as u32, 3, *n).unwrap();
        }
    });
    assert!(
        import.preview.problems.is_empty(),
        "{:#?}",
        import.preview.problems
    );
    let c = &import.tables.classes;
    assert_eq!(c.len(), 3);
    assert!(c
        .iter()
        .all(|r| r.school == "城关中学" && r.stage.value == Stage::Junior));
    assert_eq!(c[2].size.value, 66);
}

fn totals_fixture(total_students: f64, total_area: V) -> ziping_import::Import {
    one_sheet(
        "合计.xlsx",
        "学校基本情况表",
        vec![
            school_header(),
            school_row("甲小学", "小学", 400.0),
            school_row("乙小学", "小学", 600.0),
            vec![S("小计"), E, N(1000.0)],
            school_row("丙中学", "初中", 800.0),
            vec![S("小计"), E, N(800.0)],
            vec![S("全县合计"), E, N(total_students), E, E, E, total_area],
        ],
    )
}

#[test]
fn total_rows_that_match_are_skipped_silently() {
    let import = totals_fixture(1800.0, N(9000.0));
    let p = &import.preview;
    assert!(p.problems.is_empty(), "{:#?}", p.problems);
    assert_eq!(p.tables[0].rows, 3);
    assert_eq!(p.tables[0].total_rows, 3);
    assert_eq!(import.tables.schools.len(), 3);
}

#[test]
fn total_rows_that_differ_are_errors() {
    let import = totals_fixture(1900.0, S("9,100"));
    assert_eq!(
        messages(&import.preview.problems),
        vec![
            "合计.xlsx › 学校基本情况表 › 第7行 › C列（在校学生数（人））：合计行为“1900”，但上面各行之和为1800，两者不一致。",
            "合计.xlsx › 学校基本情况表 › 第7行 › G列（教学及辅助用房面积（㎡））：合计行为“9,100”，但上面各行之和为9000，两者不一致。",
        ]
    );
}

#[test]
fn numbers_stored_as_text() {
    let import = one_sheet(
        "文本数字.xlsx",
        "学校基本情况表",
        vec![
            school_header(),
            vec![
                S("甲小学"),
                S("小学"),
                S("2,140"),
                S("１０７"),
                S(" 27 "),
                S("21人"),
                S("10,700.5"),
                S("17 120"),
                S("535"),
                S("54"),
            ],
            vec![
                S("乙小学"),
                S("小学"),
                S("二百"),
                S("1,23"),
                S("12.5"),
                S("-3"),
                S("50%"),
                E,
                E,
                E,
            ],
        ],
    );
    let s = &import.tables.schools[0];
    assert_eq!(s.students.total.as_ref().unwrap().value, 2140);
    assert_eq!(s.qualified_teachers.total.as_ref().unwrap().value, 107);
    assert_eq!(s.key_teachers.total.as_ref().unwrap().value, 27);
    assert_eq!(s.pe_art_teachers.total.as_ref().unwrap().value, 21);
    assert_eq!(s.teaching_area.total.as_ref().unwrap().value, 10700.5);
    assert_eq!(s.sports_area.total.as_ref().unwrap().value, 17120.0);
    assert_eq!(
        messages(&import.preview.problems),
        vec![
            "文本数字.xlsx › 学校基本情况表 › 第3行 › C列（在校学生数（人））：“二百”不是数字。",
            "文本数字.xlsx › 学校基本情况表 › 第3行 › D列（高于规定学历专任教师数）：“1,23”不是数字（千位分隔符位置不对）。",
            "文本数字.xlsx › 学校基本情况表 › 第3行 › E列（县级及以上骨干教师数）：“12.5”不是整数。",
            "文本数字.xlsx › 学校基本情况表 › 第3行 › F列（体育艺术专任教师数）：“-3”是负数。",
            "文本数字.xlsx › 学校基本情况表 › 第3行 › G列（教学及辅助用房面积（㎡））：“50%”带百分号，这一列应填数值。",
            "文本数字.xlsx › 学校基本情况表 › 第3行：学校“乙小学”没有填写在校学生数。",
        ]
    );
    assert_eq!(import.preview.errors, 6);
}

#[test]
fn percentages_and_ten_point_satisfaction() {
    let import = one_sheet(
        "满意度.xlsx",
        "满意度调查表",
        vec![
            vec![
                S("年度"),
                S("调查对象"),
                S("有效问卷数"),
                S("满意度"),
                S("计分制"),
            ],
            vec![S("2024年"), S("总体"), S("3,200"), S("83.5%"), E],
            vec![N(2023.0), S("总体"), N(3000.0), N(7.962), S("十分制")],
        ],
    );
    assert!(
        import.preview.problems.is_empty(),
        "{:#?}",
        import.preview.problems
    );
    let s = &import.tables.satisfaction;
    assert_eq!(
        (
            s[0].year,
            s[0].score.value,
            s[0].sample.as_ref().unwrap().value
        ),
        (2024, 83.5, 3200)
    );
    assert_eq!(
        (s[1].year, s[1].score.value, s[1].source_scale),
        (2023, 79.62, ScoreScale::Ten)
    );
}

#[test]
fn codes_are_kept_as_text_exactly() {
    let (_d, _p, import) = roundtrip("代码.xlsx", |wb| {
        let ws = wb.add_worksheet();
        ws.set_name("学校基本情况表").unwrap();
        write_rows(
            ws,
            0,
            &[
                vec![
                    S("学校名称"),
                    S("学校标识码"),
                    S("学校类型"),
                    S("在校学生数"),
                ],
                vec![S("甲小学"), S("330123200601010012"), S("小学"), N(300.0)],
                vec![S("乙小学"), S("0213300001"), S("小学"), N(300.0)],
                vec![S("丙小学"), N(2133000003.0), S("小学"), N(300.0)],
                vec![S("丁小学"), N(330123200601010099.0), S("小学"), N(300.0)],
            ],
        );
    });
    let codes: Vec<Option<&str>> = import
        .tables
        .schools
        .iter()
        .map(|s| s.code.as_deref())
        .collect();
    assert_eq!(
        codes[..3],
        [
            Some("330123200601010012"),
            Some("0213300001"),
            Some("2133000003")
        ]
    );
    let warnings: Vec<&str> = import
        .preview
        .problems
        .iter()
        .filter(|p| p.col.as_deref() == Some("B"))
        .map(|p| p.message.as_str())
        .collect();
    assert_eq!(
        warnings,
        vec!["代码.xlsx › 学校基本情况表 › 第5行 › B列（学校标识码）：“330123200601010100”以数字形式存储，超过15位的代码已被Excel改变，请将该列设为文本格式后重新输入。"]
    );
    assert_eq!(import.preview.problems[0].severity, Severity::Warning);
}

#[test]
fn wrong_template_is_one_clear_error() {
    let import = one_sheet(
        "别的表.xlsx",
        "Sheet1",
        vec![
            vec![S("姓名"), S("性别"), S("出生日期"), S("联系电话")],
            vec![S("张三"), S("男"), S("1980-01-01"), S("13800000000")],
        ],
    );
    assert_eq!(
        messages(&import.preview.problems),
        vec!["别的表.xlsx：没有识别出任何统计表：各工作表的表头与模板不符。请使用“下载模板”生成的模板（学校基本情况表、班额明细表、教育经费表、教师工资对比表、学前教育表、特殊群体与资助表、满意度调查表），或检查表头文字。"]
    );
    assert!(import.present.is_empty());
}

#[test]
fn a_sheet_named_like_a_table_without_its_header_is_an_error() {
    let import = one_sheet(
        "缺表头.xlsx",
        "学校基本情况表",
        vec![vec![S("名称"), S("人数")], vec![S("甲小学"), N(300.0)]],
    );
    assert_eq!(
        messages(&import.preview.problems),
        vec!["缺表头.xlsx › 学校基本情况表：工作表名称是学校基本情况表，但找不到它的表头（至少应有“学校名称”“学校类型”列）。"]
    );
}

#[test]
fn empty_workbook_is_an_error() {
    let (_d, _p, import) = roundtrip("空.xlsx", |wb| {
        wb.add_worksheet();
    });
    assert_eq!(
        messages(&import.preview.problems),
        vec!["空.xlsx：工作簿是空的，没有任何数据。"]
    );
}

#[test]
fn not_a_workbook_is_refused() {
    let err = read_workbook_bytes("假的.xlsx", b"this is not a workbook").unwrap_err();
    assert_eq!(
        err.to_string(),
        "文件“假的.xlsx”不是可读取的Excel或WPS表格文件（支持.xlsx、.xls、.ods），或文件已损坏。"
    );
}

#[test]
fn row_level_checks_duplicates_required_and_categories() {
    let import = one_sheet(
        "行检查.xlsx",
        "学校基本情况表",
        vec![
            vec![
                S("学校名称"),
                S("学校类型"),
                S("办学性质"),
                S("城乡类别"),
                S("在校学生数"),
            ],
            vec![S("甲小学"), S("小学"), S("公办"), S("城区"), N(300.0)],
            vec![S("甲小学"), S("小学"), S("公办"), S("城区"), N(310.0)],
            vec![S("乙小学"), E, S("公办"), S("城区"), N(300.0)],
            vec![S("丙小学"), S("大学"), S("集体"), S("郊区"), N(300.0)],
        ],
    );
    let errors: Vec<String> = import
        .preview
        .problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| p.message.clone())
        .collect();
    assert_eq!(
        errors,
        vec![
            "行检查.xlsx › 学校基本情况表 › 第4行 › B列（学校类型）：必填项，不能为空。",
            "行检查.xlsx › 学校基本情况表 › 第5行 › B列（学校类型）：“大学”不是可识别的取值（应为“小学”、“初中”、“九年一贯制”、“十二年一贯制”、“完全中学”、“高中”、“教学点”、“特殊教育”、“职业学校”、“幼儿园”、“其他”）。",
            "行检查.xlsx › 学校基本情况表 › 第5行 › C列（办学性质）：“集体”不是可识别的取值（应为“公办”、“民办”）。",
            "行检查.xlsx › 学校基本情况表 › 第5行 › D列（城乡类别）：“郊区”不是可识别的取值（应为“城区”、“镇区”、“乡村”）。",
            "行检查.xlsx › 学校基本情况表 › 第3行：学校“甲小学”与第2行重复。",
        ]
    );
}

#[test]
fn tables_found_by_header_in_any_sheet_order_with_per_year_rows() {
    let (_d, _p, import) = roundtrip("多表.xlsx", |wb| {
        let ws = wb.add_worksheet();
        ws.set_name("表3").unwrap();
        write_rows(
            ws,
            0,
            &[
                vec![
                    S("年份"),
                    S("教师年平均工资（元）"),
                    S("公务员年平均工资（元）"),
                ],
                vec![S("2024年度"), S("118,600"), S("115,200")],
            ],
        );
        let ws = wb.add_worksheet();
        ws.set_name("表1").unwrap();
        write_rows(
            ws,
            0,
            &[
                vec![
                    S("年度"),
                    S("在园幼儿数"),
                    S("公办园在园幼儿数"),
                    S("普惠性民办园在园幼儿数"),
                    S("3-5岁适龄人口"),
                ],
                vec![N(2024.0), N(10450.0), N(5873.0), N(3365.0), N(11320.0)],
                vec![N(2024.0), N(10450.0), N(5873.0), N(3365.0), N(11320.0)],
            ],
        );
        let ws = wb.add_worksheet();
        ws.set_name("表2").unwrap();
        ws.merge_range(0, 0, 1, 0, "年度", &Format::new()).unwrap();
        ws.merge_range(0, 1, 0, 3, "随迁子女", &Format::new())
            .unwrap();
        ws.merge_range(0, 4, 0, 7, "残疾儿童少年", &Format::new())
            .unwrap();
        write_rows(
            ws,
            1,
            &[
                vec![
                    E,
                    S("总数"),
                    S("公办学校就读数"),
                    S("政府购买学位就读数"),
                    S("适龄数"),
                    S("特教学校就读"),
                    S("随班就读"),
                    S("送教上门"),
                ],
                vec![
                    N(2024.0),
                    N(3860.0),
                    N(3520.0),
                    N(192.0),
                    N(412.0),
                    N(180.0),
                    N(165.0),
                    N(54.0),
                ],
            ],
        );
    });
    let kinds: Vec<TableKind> = import.preview.tables.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds,
        vec![
            TableKind::TeacherPay,
            TableKind::Preschool,
            TableKind::SpecialGroups
        ]
    );
    assert_eq!(import.tables.teacher_pay[0].teacher_avg.value, 118600.0);
    assert_eq!(
        import.tables.preschool[0]
            .population_3_5
            .as_ref()
            .unwrap()
            .value,
        11320
    );
    let sg = &import.tables.special_groups[0];
    assert_eq!(sg.migrant_total.as_ref().unwrap().value, 3860);
    assert_eq!(sg.disabled_population.as_ref().unwrap().value, 412);
    assert_eq!(sg.disabled_home_teaching.as_ref().unwrap().value, 54);
    assert_eq!(
        messages(&import.preview.problems),
        vec!["多表.xlsx › 表1 › 第3行：2024年度的数据与第2行重复。"]
    );
}

#[test]
fn ods_files_are_read() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/学前教育.ods");
    let import = ziping_import::read_workbook(&path).unwrap();
    assert!(
        import.preview.problems.is_empty(),
        "{:#?}",
        import.preview.problems
    );
    let p = &import.tables.preschool;
    assert_eq!(p.len(), 2);
    assert_eq!(
        (p[0].year, p[0].enrolled.value, p[0].public_enrolled.value),
        (2024, 10450, 5873)
    );
    assert_eq!(p[1].population_3_5.as_ref().unwrap().value, 11600);
}

#[test]
fn problems_serialise_for_the_ui() {
    let import = one_sheet(
        "序列化.xlsx",
        "班额明细表",
        vec![
            vec![S("学校名称"), S("学段"), S("班级人数")],
            vec![S("甲小学"), S("小学"), S("四十五")],
        ],
    );
    let v = serde_json::to_value(&import.preview.problems[0]).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "severity": "error",
            "file": "序列化.xlsx",
            "sheet": "班额明细表",
            "row": 2,
            "col": "C",
            "header": "班级人数",
            "value": "四十五",
            "reason": "“四十五”不是数字。",
            "message": "序列化.xlsx › 班额明细表 › 第2行 › C列（班级人数）：“四十五”不是数字。"
        })
    );
    let _ = Workbook::new();
}
