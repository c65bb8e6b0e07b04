"""Writes 学前教育.ods, the .ods fixture of the import tests (a plain OpenDocument zip)."""
import zipfile

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def cell(v):
    if isinstance(v, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
    if v is None:
        return '<table:table-cell/>'
    return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'


rows = [
    ["示例县学前教育基本情况", None, None, None, None],
    ["年度", "在园幼儿数（人）", "公办园在园幼儿数（人）", "普惠性民办园在园幼儿数（人）", "3—5岁适龄人口（人）"],
    [2024, 10450, 5873, 3365, "11,320"],
    ["2023年", 11320, 6020, 3500, "１１６００"],
]
body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.2">'
           f'<office:body><office:spreadsheet><table:table table:name="学前教育表">{body}</table:table>'
           '</office:spreadsheet></office:body></office:document-content>')
manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '</manifest:manifest>')
with zipfile.ZipFile("学前教育.ods", "w") as z:
    z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
    z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
