//! Opening evidence with the system viewer: a read-only copy under the name it was added with, and
//! never a program or script (opening those runs them).

use ziping_app::EvidenceInput;

use crate::fixture;

fn input(title: &str) -> EvidenceInput {
    EvidenceInput { title: title.into(), kind: "文件".into(), ..EvidenceInput::default() }
}

#[test]
fn documents_open_as_read_only_copies_and_programs_are_refused() {
    let mut f = fixture();
    let pdf = f.app.add_evidence_bytes("会议纪要.PDF", b"%PDF-1.4 viewer test", &input("会议纪要")).unwrap();
    let copy = f.app.evidence_view_copy(pdf.item.id).unwrap();
    assert_eq!(copy.file_name().unwrap().to_str().unwrap(), "会议纪要.PDF");
    assert_eq!(std::fs::read(&copy).unwrap(), b"%PDF-1.4 viewer test");
    assert!(std::fs::metadata(&copy).unwrap().permissions().readonly(), "the viewer cannot change the copy");

    for name in ["安装程序.exe", "整理.sh", "快捷方式.desktop", "宏.vbs", "无扩展名", "软件.AppImage"] {
        let added = f.app.add_evidence_bytes(name, format!("#!/bin/sh\necho {name}\n").as_bytes(), &input(name)).unwrap();
        let err = f.app.evidence_view_copy(added.item.id).unwrap_err();
        assert!(err.message.contains("出于安全考虑") && err.message.contains(name), "{name}: {}", err.message);
    }
    assert!(ziping_app::evidence_view::viewable("照片.JPG") && ziping_app::evidence_view::viewable("台账.xlsx") && !ziping_app::evidence_view::viewable("a.bat"));
}
