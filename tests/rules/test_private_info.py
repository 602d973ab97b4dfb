from __future__ import annotations

from collections.abc import Callable

import pytest

from fazhi.document import Document
from fazhi.rules import private_info

Make = Callable[[str], Document]


def with_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, private_info.ID_WEIGHTS, strict=True))
    return first17 + private_info.ID_CHECK[total % 11]


ID_X = with_check_digit("11010519491231002")  # check digit X
ID_DIGIT = with_check_digit("44030119900307123")


def found(doc: Document) -> list[tuple[str, str]]:
    return [
        (doc.text[f.start : f.end], f.message)
        for f in private_info.check(doc)
        if f.start is not None
    ]


def test_id_number_with_x_check_digit_is_masked(doc: Make) -> None:
    assert ID_X.endswith("X")
    d = doc(f"申请人王某,身份证号码{ID_X},现住某镇。")
    (finding,) = private_info.check(d)
    assert d.text[finding.start : finding.end] == ID_X
    assert finding.severity == "error"
    assert finding.message == "疑似身份证号码“1101**********002X”，公开前应删除或做脱敏处理。"


def test_mobile_number_is_masked(doc: Make) -> None:
    assert found(doc("联系人:张某,电话13812345678。")) == [
        ("13812345678", "疑似手机号码“138****5678”，公开前应删除或做脱敏处理。")
    ]


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        (f"身份证{ID_DIGIT.lower()}", ID_DIGIT, "身份证号码"),
        ("身份证110105491231002", "110105491231002", "身份证号码"),  # 15-digit, born 1949
        ("手机:138-1234-5678", "138-1234-5678", "手机号码"),
        ("手机+86 139 1234 5678", "+86 139 1234 5678", "手机号码"),
        ("银行卡号4111111111111111", "4111111111111111", "银行卡号"),
        ("联系人邮箱zhangsan@qq.com", "zhangsan@qq.com", "电子邮箱"),
        ("邮箱13812345678@163.com", "13812345678@163.com", "电子邮箱"),
    ],
)
def test_personal_data_is_flagged(doc: Make, text: str, value: str, kind: str) -> None:
    (finding,) = private_info.check(doc(text))
    assert text[finding.start : finding.end].lower() == value.lower()
    assert kind in finding.message
    assert value not in finding.message


@pytest.mark.parametrize(
    "text",
    [
        # statistics, hotlines, dates and document numbers
        "全年共受理12345热线3134单,办理各类登记业务19495宗,食品快检36714批次",
        "2021年1月28日,雄法治办〔2022〕17号,同比增长10.75%",
        "罚没款13812345678元,平台汇总32.3万条数据",
        # office landlines and public mailboxes
        "咨询电话0769-22831234,举报邮箱:jubao@163.com,邮箱fzb@dg.gov.cn",
        # an 18-digit number whose check digit is wrong, a code with letters
        f"编号{ID_DIGIT[:17]}{(int(ID_DIGIT[17]) + 1) % 10},代码91441900MA4UJ13812",
        # 11 digits inside a longer run
        "流水号2022138123456789012",
    ],
)
def test_not_flagged(doc: Make, text: str) -> None:
    assert found(doc(text)) == []


def test_signature_after_body_end_is_not_checked(doc: Make) -> None:
    d = doc("依法行政。\n联系人:张某 13812345678")
    d.meta.closing_start = d.text.index("联系人")
    assert found(d) == []


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_seed_reports(seed: Callable[[str], Document], name: str) -> None:
    # The seeds are full of counts, dates and hotlines, and hold no personal data.
    assert found(seed(name)) == []


def test_luhn() -> None:
    assert private_info.luhn("4111111111111111")
    assert not private_info.luhn("4111111111111112")


def test_labelled_id_with_a_wrong_check_digit(doc: Make) -> None:
    assert [
        f.message[2:7]
        for f in private_info.check(doc("当事人张某(身份证号430102198506151234)申请复议。"))
    ] == ["身份证号码"]
    assert list(private_info.check(doc("统计编号430102198506151234。"))) == []


def test_labelled_account_that_fails_luhn(doc: Make) -> None:
    (finding,) = private_info.check(doc("请汇至账号6222021234567890123。"))
    assert "银行卡号" in finding.message
