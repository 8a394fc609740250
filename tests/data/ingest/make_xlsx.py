#!/usr/bin/env python3
"""Writes opportunities.xlsx, the XLSX fixture of the importer and API tests.

The workbook is built here from hand-written XML parts with Python's zipfile module, not saved
by Excel, so that every feature the reader must handle is present and known: shared strings
(one with a phonetic run that must be left out), an inline string, numbers, a date-styled
serial number (built-in format 14), a custom date format, a boolean, an empty cell inside a row
and a first sheet that is not named sheet1.xml. Run it from any folder; it overwrites the file.
"""
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/data.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""

ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""

WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<workbookPr date1904="false"/>
<sheets><sheet name="商机" sheetId="1" r:id="rId7"/><sheet name="其他" sheetId="2" r:id="rId8"/></sheets>
</workbook>"""

WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/>
<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId10" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""

# Style 0: general; 1: built-in date format 14; 2: custom format yyyy"年"m"月"d"日".
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="176"/></cellXfs>
</styleSheet>"""

SHARED = ["商机编号", "商机名称", "客户", "负责人", "阶段", "金额", "开始日期", "结束日期",
          "华为技术有限公司", "赢单", "洽谈中", "张伟", "李娜"]


def shared_strings():
    items = []
    for i, text in enumerate(SHARED):
        if i == 1:
            # A rich-text item with a phonetic guide, which is not part of the text.
            items.append('<si><r><t>商机</t></r><r><t>名称</t></r><rPh sb="0" eb="2"><t>shangji</t></rPh></si>')
        else:
            items.append(f"<si><t>{text}</t></si>")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + "".join(items) + "</sst>")


def s(ref, index):
    return f'<c r="{ref}" t="s"><v>{index}</v></c>'


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def n(ref, value, style=0):
    return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'


# 45296 is 2024-01-05 and 45352 is 2024-03-01 in the 1900 date system; 45332 is 2024-02-10.
ROWS = [
    [s(f"{c}1", i) for i, c in enumerate("ABCDEFGH")],
    [inline("A2", "X001"), inline("B2", "华为 5G 基站电源采购"), s("C2", 8), s("D2", 11), s("E2", 9),
     n("F2", 1200000), n("G2", 45296, 1), n("H2", 45352, 2)],
    # The customer cell C3 is left out, so the row has a gap.
    [inline("A3", "X002"), inline("B3", "腾讯云机房改造, 二期"), s("D3", 12), s("E3", 10),
     n("F3", 350000.5), n("G3", 45332, 1)],
    # An unknown stage and a text that is no date: this row is rejected.
    [inline("A4", "X003"), inline("B4", "错误行"), s("D4", 11), inline("E4", "未知阶段"),
     n("F4", 100), inline("G4", "不是日期")],
]


def sheet():
    rows = "".join(f'<row r="{i + 1}">{"".join(cells)}</row>' for i, cells in enumerate(ROWS))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<sheetData>{rows}</sheetData></worksheet>")


OTHER_SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="b"><v>1</v></c></row></sheetData></worksheet>"""


def main():
    path = os.path.join(HERE, "opportunities.xlsx")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
                           ("xl/workbook.xml", WORKBOOK), ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                           ("xl/styles.xml", STYLES), ("xl/sharedStrings.xml", shared_strings()),
                           ("xl/worksheets/data.xml", sheet()), ("xl/worksheets/sheet1.xml", OTHER_SHEET)]:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))


if __name__ == "__main__":
    main()
