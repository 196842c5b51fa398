"""Pages drawn for the golden files (tests/golden.py) where no document of the corpus shows an
error pattern of the corpus's families: each drawing prints the pattern as the publications do,
with totals that add up, so the golden file shows the reading its own sums confirm."""

from __future__ import annotations

from pathlib import Path

from tests.pdf_drawing import LEFT, UP, Grid, Page, draw

TITLE = Page(["测试市文化局", "2026年部门预算"])
CAPTION = "部门：测试市文化局  单位：万元"


def three_public_whole_numbers(path: Path) -> Path:
    """A 三公 table in 万元 printing whole numbers ('237'): amounts, not function codes."""
    grid = Grid([
        ["合计", "因公出国（境）费", "公务用车购置及运行维护费", LEFT, LEFT, "公务接待费"],
        [UP, UP, "小计", "公务用车购置费", "公务用车运行维护费", UP],
        ["237", "40", "180", "120", "60", "17"],
    ], [70, 80, 70, 80, 90, 70])
    return draw(path, [TITLE, Page(["表7", "一般公共预算“三公”经费支出预算表", CAPTION, grid])])


def economic_codes_joined_to_names(path: Path) -> Path:
    """Economic classes printed with their codes joined to their names: the 类 by its 政府经济分类
    code ('501-机关工资福利支出'), each 款 by both schemes ('50101/30101-基本工资')."""
    grid = Grid([
        ["经济分类科目", "合计", "人员经费", "公用经费"],
        ["合计", "1,250.00", "1,000.00", "250.00"],
        ["501-机关工资福利支出", "1,000.00", "1,000.00", ""],
        ["50101/30101-基本工资", "600.00", "600.00", ""],
        ["50102/30102-津贴补贴", "400.00", "400.00", ""],
        ["502-机关商品和服务支出", "250.00", "", "250.00"],
        ["50201/30201-办公费", "250.00", "", "250.00"],
    ], [200, 80, 80, 80])
    return draw(path, [TITLE, Page(["表6", "一般公共预算基本支出预算表", CAPTION, grid])])


def total_net_of_a_part(path: Path) -> Path:
    """A 支出 table printing, beside 合计 = 基本支出 + 项目支出, the total net of its 基建 projects
    ('扣除基建项目后预算数'): a restatement of the total, no component of it."""
    grid = Grid([
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出", "扣除基建项目后预算数"],
        ["", "合计", "1,500.00", "1,000.00", "500.00", "1,200.00"],
        ["201", "一般公共服务支出", "1,500.00", "1,000.00", "500.00", "1,200.00"],
        ["20101", "人大事务", "1,500.00", "1,000.00", "500.00", "1,200.00"],
        ["2010101", "行政运行", "1,000.00", "1,000.00", "", "1,000.00"],
        ["2010199", "其他人大事务支出", "500.00", "", "500.00", "200.00"],
    ], [50, 110, 60, 60, 60, 110])
    return draw(path, [TITLE, Page(["表5", "一般公共预算支出预算表", CAPTION, grid])])


def title_variants(path: Path) -> Path:
    """Titles the catalogue once missed: a table '（不含上年结转）', a 政府购买服务预算表, each
    numbered past 10 ('预算11表', '预算12表')."""
    general = Grid([
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["", "合计", "300.00", "200.00", "100.00"],
        ["201", "一般公共服务支出", "300.00", "200.00", "100.00"],
        ["20101", "人大事务", "300.00", "200.00", "100.00"],
    ], [60, 150, 70, 70, 70])
    services = Grid([
        ["项目名称", "购买服务内容", "金额"],
        ["合计", "", "80.00"],
        ["物业管理", "物业管理服务", "50.00"],
        ["信息系统运维", "运行维护服务", "30.00"],
    ], [120, 160, 80])
    return draw(path, [TITLE,
                       Page(["预算11表", "一般公共预算支出预算表（不含上年结转）", CAPTION, general]),
                       Page(["预算12表", "政府购买服务预算表", CAPTION, services])])


DRAWINGS = {f.__name__: f for f in (three_public_whole_numbers, economic_codes_joined_to_names, total_net_of_a_part,
                                    title_variants)}
