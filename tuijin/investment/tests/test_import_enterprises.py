"""Importing a list of enterprises: codes checked, duplicates refused, contacts' phones sealed; all or none."""

from tuijin.investment import services
from tuijin.investment.importing import commit_import, preview_import
from tuijin.investment.models import Contact, Enterprise

from .conftest import OTHER_VALID_CODE, VALID_CODE
from .test_import import sheet

HEAD = [
    "企业名称",
    "统一社会信用代码",
    "所属行业",
    "企业来源",
    "注册地址",
    "联系人",
    "联系人职务",
    "联系电话",
]


def test_it_imports_enterprises_with_their_contacts(tmp_path, ivan):
    rows = [
        {"企业名称": "华为技术有限公司", "统一社会信用代码": VALID_CODE, "所属行业": "信息技术", "企业来源": "省外",
         "联系人": "张经理", "联系人职务": "投资总监", "联系电话": "13812345678"},
        {"企业名称": "中原量子科技有限公司", "统一社会信用代码": OTHER_VALID_CODE.lower(), "企业来源": "市内"},
    ]  # fmt: skip
    preview = preview_import(kind="enterprises", source=sheet(tmp_path, rows, head=HEAD, title=""), filename="e.xlsx",
                             actor=ivan)  # fmt: skip
    assert preview.can_commit, [p.as_line() for p in preview.problems]
    commit_import(actor=ivan, preview=preview)
    huawei = Enterprise.objects.get(credit_code=VALID_CODE)
    assert (huawei.origin, huawei.industry) == ("other_province", "信息技术")
    assert Enterprise.objects.get(name="中原量子科技有限公司").credit_code == OTHER_VALID_CODE  # normalised
    contact = Contact.objects.get()
    assert contact.phone == "13812345678" and contact.phone_index


def test_it_refuses_duplicates_bad_codes_and_phones_row_by_row(tmp_path, ivan, enterprise):
    rows = [
        {"企业名称": "华为技术有限公司"},  # registered already (by name)
        {"企业名称": "别的名字", "统一社会信用代码": VALID_CODE},  # registered already (by code)
        {"企业名称": "甲公司", "统一社会信用代码": "91440300192203821O"},  # O is not a code character
        {"企业名称": "乙公司", "联系人": "李四", "联系电话": "12345"},
        {"企业名称": "甲公司"},  # twice in the file
        {"企业名称": "", "统一社会信用代码": OTHER_VALID_CODE},
    ]  # fmt: skip
    preview = preview_import(kind="enterprises", source=sheet(tmp_path, rows, head=HEAD, title=""), filename="e.xlsx",
                             actor=ivan)  # fmt: skip
    at = {(p.row, p.column) for p in preview.errors}
    assert at == {(2, "A"), (3, "B"), (4, "B"), (5, "H"), (6, "A"), (7, "A")}
    assert Enterprise.objects.count() == 1 and not Contact.objects.exists()


def test_it_warns_of_very_similar_names(tmp_path, ivan):
    services.create_enterprise(actor=ivan, name="中原量子计算科技有限公司")
    rows = [{"企业名称": "中原量子计算技术有限公司"}]
    preview = preview_import(kind="enterprises", source=sheet(tmp_path, rows, head=HEAD, title=""), filename="e.xlsx",
                             actor=ivan)  # fmt: skip
    assert preview.can_commit and [p.level for p in preview.problems] == ["warning"]
    assert "中原量子计算科技有限公司" in preview.problems[0].message
